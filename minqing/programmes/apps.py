from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "minqing.programmes"
    label = "programmes"
    verbose_name = _("项目")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies("programmes.Programme", "programmes.TargetPlan", "programmes.ProgressReport")
