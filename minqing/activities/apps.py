from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "minqing.activities"
    label = "activities"
    verbose_name = _("学习与走访")

    def ready(self) -> None:
        from minqing.activities.coverage_rules import register_checks

        register_checks()

        from minqing.activities.services.rollups import rebuild_after_move
        from minqing.orgs.pathcopies import register_path_copies, register_repath_hook

        register_path_copies(
            "activities.Activity",
            "activities.Attendance",
            "activities.ResearchTopic",
            "activities.Visit",
            "activities.WorkPlan",
        )
        register_repath_hook(rebuild_after_move)
