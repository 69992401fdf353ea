from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "minqing.supervision"
    label = "supervision"
    verbose_name = _("督导")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies("supervision.GuidanceGroup", "supervision.GroupUnit", "supervision.Inspection")
