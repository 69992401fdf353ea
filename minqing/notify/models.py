"""The outbox (one row per message, pending until a sender delivered it), residents'
subscriptions to their problem's changes, and each staff user's delivery preference.

Addresses (phone numbers, e-mail addresses) are encrypted at rest like ``FeedbackIdentity``
(``minqing.core.fields``, docs/privacy.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.fields import EncryptedCharField


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class StaffDelivery(models.TextChoices):
    IN_APP = "in_app", _("仅站内通知")
    EMAIL = "email", _("站内通知 + 电子邮件")
    SMS = "sms", _("站内通知 + 短信")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


class Subscription(models.Model):
    """A reporter asked to be told of each public change of their problem, by one channel."""

    feedback = models.ForeignKey(
        "ledger.Feedback", on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("群众反映")
    )
    channel = models.CharField(_("方式"), max_length=10, choices=MessageChannel.choices)
    address = EncryptedCharField(_("手机号或邮箱"), max_length=254)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    stopped_at = models.DateTimeField(_("退订时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展订阅")
        verbose_name_plural = _("进展订阅")
        indexes = [models.Index(fields=["feedback", "stopped_at"], name="notify_sub_feedback")]

    def __str__(self) -> str:
        return f"subscription #{self.pk} ({self.channel})"

    @property
    def active(self) -> bool:
        return self.stopped_at is None


class StaffPreference(models.Model):
    """How a staff user hears of events beyond the in-app list."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notify_preference"
    )
    delivery = models.CharField(
        _("通知方式"), max_length=10, choices=StaffDelivery.choices, default=StaffDelivery.IN_APP
    )
    phone = EncryptedCharField(_("接收短信的手机号"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return f"preference of user #{self.pk}"


class OutboxMessage(models.Model):
    """One message to send; written in the transaction of what it tells of, delivered by a job."""

    channel = models.CharField(_("方式"), max_length=10, choices=MessageChannel.choices)
    address = EncryptedCharField(_("收件地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    state = models.CharField(
        _("状态"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notify_outbox_due")]

    def __str__(self) -> str:
        return f"outbox #{self.pk} {self.channel} {self.state}"
