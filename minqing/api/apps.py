from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "minqing.api"
    verbose_name = _("开放接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from minqing.api.keys import CREDENTIALS
        from minqing.api.models import ApiKey
        from minqing.orgs.models import AdminDuty, Application, RoleAssignment

        # a key, its owner or a role written in this process: the keys checked are read again
        CREDENTIALS.watch(ApiKey, Application, RoleAssignment, AdminDuty, get_user_model())
