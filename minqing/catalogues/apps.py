from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CataloguesConfig(AppConfig):
    name = "minqing.catalogues"
    label = "catalogues"
    verbose_name = _("清单")
