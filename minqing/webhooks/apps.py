from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "minqing.webhooks"
    verbose_name = _("事件推送")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from minqing.orgs.models import Application, Unit
        from minqing.webhooks.emit import forget_subscriptions
        from minqing.webhooks.models import Subscription

        # not domain logic: the emitter's cached list of subscriptions is forgotten when one changes
        for model in (Subscription, Application, Unit):
            post_save.connect(
                forget_subscriptions, sender=model, dispatch_uid=f"webhooks-forget-{model.__name__}"
            )
            post_delete.connect(
                forget_subscriptions, sender=model, dispatch_uid=f"webhooks-forget-d-{model.__name__}"
            )
