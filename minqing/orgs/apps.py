from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "minqing.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies("orgs.Household", "orgs.Person", "orgs.Assignment")
