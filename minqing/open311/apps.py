from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "minqing.open311"
    verbose_name = _("Open311 接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from minqing.ledger.models import Category
        from minqing.open311.models import ServiceAttribute, ServiceAttributeValue, ServiceOffer
        from minqing.open311.selectors import CATALOGUE
        from minqing.orgs.models import Unit

        CATALOGUE.watch(Unit, Category, ServiceOffer, ServiceAttribute, ServiceAttributeValue)
