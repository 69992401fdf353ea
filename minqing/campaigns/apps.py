from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "minqing.campaigns"
    label = "campaigns"
    verbose_name = _("专题")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies("campaigns.Campaign")
