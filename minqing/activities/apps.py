from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "minqing.activities"
    label = "activities"
    verbose_name = _("学习与走访")

    def ready(self) -> None:
        from minqing.activities.coverage_rules import register_checks

        register_checks()
