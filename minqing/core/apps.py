from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "minqing.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from minqing.core import audit_writes
        from minqing.core.audit_archive import check_retention

        check_retention(int(getattr(settings, "MINQING_AUDIT_RETENTION_DAYS", 180)))
        audit_writes.connect()
