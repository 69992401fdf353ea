from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "minqing.open311"
    verbose_name = _("Open311 接口")
    default_auto_field = "django.db.models.BigAutoField"
