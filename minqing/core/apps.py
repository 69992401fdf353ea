from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "minqing.core"
    label = "core"
    verbose_name = _("基础")


class DutyAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` obeys the three administrator duties
    (``minqing.core.admin_duties``); named in INSTALLED_APPS in its place."""

    default = False  # minqing.core's own config stays CoreConfig
    default_site = "minqing.core.admin_duties.DutyAdminSite"
