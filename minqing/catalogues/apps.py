from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CataloguesConfig(AppConfig):
    name = "minqing.catalogues"
    label = "catalogues"
    verbose_name = _("清单")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies(
            "catalogues.PowerItem",
            "catalogues.ReformMeasure",
            "catalogues.ReformResult",
            "catalogues.Commendation",
        )
