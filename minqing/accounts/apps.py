from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Identity (等保 2.0): password policy and expiry, the second factor, idle logout."""

    name = "minqing.accounts"
    verbose_name = _("账号安全")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from minqing.accounts import signals  # noqa: F401 (connects the receivers)
