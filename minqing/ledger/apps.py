from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "minqing.ledger"
    label = "ledger"
    verbose_name = _("问题台账")

    def ready(self) -> None:
        from minqing.orgs.pathcopies import register_path_copies

        register_path_copies("ledger.Problem", fields=("path", "responsible_path"))
