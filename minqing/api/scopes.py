"""What a key may be used for (an application's or a personal token's scopes).

Scopes narrow a key; they never widen what the roles allow: a key with ``problems:write`` still
acts only where its application (or its user) holds a role that may do the action.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("读取(单位、人员、专题、活动、问题、督导、项目、目录、简报、看板)")
    PROBLEMS_WRITE = "problems:write", _("登记问题和办理问题")
    ACTIVITIES_WRITE = "activities:write", _("登记活动和签到")
    PROGRAMMES_WRITE = "programmes:write", _("报送项目进度")
    SUPERVISION_WRITE = "supervision:write", _("记录督导")
    OPEN311 = "open311", _("Open311 接口")
    WEBHOOKS = "webhooks", _("订阅事件推送")


ALL_SCOPES: frozenset[str] = frozenset(Scope.values)
