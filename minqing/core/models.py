from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who read or changed what, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW_PERSONAL = "view_personal", _("查看个人信息")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"


class WorkdayOverride(models.Model):
    """A day the office marks as a holiday or a make-up working day, ahead of the package's data."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class RateLimitHit(models.Model):
    """One counted request of a rate-limited public endpoint (a sliding-window log, shared by all workers)."""

    key = models.CharField(max_length=100)  # "<scope>:<client ip>"
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("限流记录")
        verbose_name_plural = _("限流记录")
        indexes = [models.Index(fields=["key", "at"], name="core_ratelimit_key_at")]

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"
