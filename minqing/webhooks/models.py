"""Webhooks: an application's subscriptions, the events they receive and each delivery.

The ``Delivery`` row is the truth, not the queue: it is written in the same transaction as the
event it carries (a crash loses none), a job sends it, and a periodic job picks up every row that
is due (a lost job or a restart loses nothing). ``docs/api.md`` (## Webhooks) describes the wire
format and the signature.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.fields import EncryptedCharField
from minqing.orgs.models import Application


class EventType(models.TextChoices):
    PROBLEM_REGISTERED = "problem.registered", _("问题登记")
    PROBLEM_ASSIGNED = "problem.assigned", _("问题交办")
    PROBLEM_STATE_CHANGED = "problem.state_changed", _("问题状态变化")
    PROBLEM_RESOLVED = "problem.resolved", _("问题办结")
    PROBLEM_OVERDUE = "problem.overdue", _("问题逾期")
    BULLETIN_PUBLISHED = "bulletin.published", _("简报发布")


class Subscription(models.Model):
    """An application's endpoint for some event types of its unit's subtree."""

    application = models.ForeignKey(
        Application, verbose_name=_("接入应用"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("接收地址"), max_length=500)
    # the signing key: kept (encrypted) because every delivery is signed with it; shown once
    secret = EncryptedCharField(_("签名密钥"), max_length=100)
    event_types = models.JSONField(_("事件类型"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")

    def __str__(self) -> str:
        return f"{self.application} → {self.url}"


class Event(models.Model):
    """One event as sent: its id (receivers dedupe on it), its types and its frozen body data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("事件类型"), max_length=40, choices=EventType.choices)
    types = models.JSONField(default=list)  # every type the event counts as (type first)
    path = models.CharField(max_length=255)  # the unit it concerns (for the pages' scoping)
    data = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(_("发生时间"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推送事件")
        verbose_name_plural = _("推送事件")

    def __str__(self) -> str:
        return f"{self.type} {self.pk}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("已失败")


class Delivery(models.Model):
    """One event for one subscription: sent until the receiver answers 2xx, with backoff."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    # a sender's claim: only the holder of ``claim`` may finish the attempt; expires at ``claimed_until``
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.status})"


class Attempt(models.Model):
    """One try at sending a delivery: when, the answer or the error, how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField(_("时间"))
    status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时(毫秒)"), default=0)

    class Meta:
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at} {self.status_code or self.error}"
