from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
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


class DutyAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` obeys the three administrator duties
    (``minqing.core.admin_duties``); named in INSTALLED_APPS in its place."""

    default = False  # minqing.core's own config stays CoreConfig
    default_site = "minqing.core.admin_duties.DutyAdminSite"
