"""Writes of the webhooks: subscriptions (by the office that manages the application) and a
manual "retry now". Subscriptions are audited by their saves (``core.audit_writes``); a retry,
an update of the delivery row, writes its own audit row."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from minqing.api.keys import can_manage_application
from minqing.api.scopes import Scope
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.models import Application
from minqing.webhooks.emit import enqueue
from minqing.webhooks.models import Delivery, DeliveryStatus, EventType, Subscription

SECRET_PREFIX = "whsec_"
MIN_SECRET = 16


@dataclass(frozen=True)
class NewSubscription:
    subscription: Subscription
    secret: str  # shown once on the page; kept encrypted to sign the deliveries


def _check(actor: Actor, application: Application) -> None:
    if not can_manage_application(actor, application):
        raise PermissionDeniedError()


def _clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="url", value=url[:100])
    return url


def _clean_types(types: list[str]) -> list[str]:
    chosen = sorted(set(types))
    bad = [t for t in chosen if t not in EventType.values]
    if not chosen:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="event_types")
    if bad:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="event_types", value=", ".join(bad))
    return chosen


def subscription_create(
    *, actor: Actor, application: Application, url: str, event_types: list[str], secret: str = ""
) -> NewSubscription:
    """Subscribe ``application`` to ``event_types`` of its unit's subtree at ``url``, signed with
    ``secret`` (made here when empty). The application needs the ``webhooks`` scope."""
    _check(actor, application)
    if Scope.WEBHOOKS not in application.scopes:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="scopes", value=Scope.WEBHOOKS.value)
    secret = secret.strip() or SECRET_PREFIX + secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET or len(secret) > 100:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="secret", value=f"{len(secret)}")
    sub = Subscription.objects.create(
        application=application, url=_clean_url(url), event_types=_clean_types(event_types), secret=secret
    )
    return NewSubscription(subscription=sub, secret=secret)


def subscription_set_active(*, actor: Actor, subscription: Subscription, active: bool) -> Subscription:
    """Pause or resume a subscription (a paused one gets no new deliveries; pending ones fail)."""
    _check(actor, subscription.application)
    if subscription.is_active != active:
        subscription.is_active = active
        subscription.save(update_fields=["is_active"])
    return subscription


def delivery_retry_now(*, actor: Actor, delivery: Delivery) -> bool:
    """Send a pending or failed delivery now (a failed one gets one more try); ``False`` when it
    was delivered already or is being sent at this moment."""
    _check(actor, delivery.subscription.application)
    with transaction.atomic():
        now = timezone.now()
        moved = (
            Delivery.objects.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk=delivery.pk)
            .exclude(status=DeliveryStatus.DELIVERED)
            .update(status=DeliveryStatus.PENDING, next_attempt_at=now)
        )
        if moved:
            audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=delivery, detail="retry now")
            transaction.on_commit(lambda: enqueue([delivery.pk]))
    return bool(moved)
