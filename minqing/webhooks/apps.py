from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "minqing.webhooks"
    verbose_name = _("事件推送")
    default_auto_field = "django.db.models.BigAutoField"
