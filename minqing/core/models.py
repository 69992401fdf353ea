from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Rows are added, never changed or removed: ``update`` and ``delete`` refuse (the archive job
    removes archived rows through ``minqing.core.audit_archive``, which bypasses this on purpose)."""

    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError


class AuditImmutableError(PermissionError):
    """An audit row was to be changed or deleted: the audit trail is append-only."""

    def __init__(self) -> None:
        super().__init__("审计记录只能追加,不能修改或删除 / audit rows are append-only")


class AuditEventManager(models.Manager["AuditEvent"]):
    def get_queryset(self) -> AuditEventQuerySet:
        return AuditEventQuerySet(self.model, using=self._db)

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditImmutableError


class AuditEvent(models.Model):
    """Who did what, on what, when, from where, and the outcome. Append-only: ``save`` of a stored
    row, ``delete``, ``QuerySet.update``/``delete`` and ``bulk_update`` refuse, and on PostgreSQL
    a trigger refuses UPDATE, DELETE and TRUNCATE (docs/audit.md)."""

    class Action(models.TextChoices):
        VIEW_PERSONAL = "view_personal", _("查看个人信息")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出系统")
        PASSWORD_CHANGE = "password_change", _("密码变更")
        PERMISSION = "permission", _("权限变更")
        ACCESS_DENIED = "access_denied", _("拒绝访问")
        ARCHIVE = "archive", _("审计归档")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        REFUSED = "refused", _("拒绝")

    # a default, not auto_now_add: imports and tests may set the time of a row they create
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # deleting a user leaves its rows as they are (no SET NULL, no constraint): actor_name names it
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)

    objects = AuditEventManager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["action", "at"], name="core_audit_action_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError


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
