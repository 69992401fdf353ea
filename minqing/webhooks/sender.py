"""Sending one delivery: claim the row, POST the signed body, record the attempt, and either mark
it delivered, schedule the next try (exponential backoff) or mark it failed.

The claim is a conditional update (the row is pending, due, and nobody's claim is live), so two
workers, the periodic job and a "retry now" never send one delivery at the same time; a claim
expires after ``MINQING_WEBHOOK_CLAIM_SECONDS`` so a worker that died mid-send loses nothing.
Only the holder of the claim may write the outcome, and it keeps trying to write it while the
database is away (``core.db_retry``), so a database restart does not make a delivery go twice.
Only a sender killed between the receiver's answer and that write sends it again (at least once,
the same ``Minqing-Delivery-Id`` and body: receivers dedupe on it).
"""

import datetime as dt
import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from minqing.core import db_retry
from minqing.webhooks import signing
from minqing.webhooks.models import Attempt, Delivery, DeliveryStatus

USER_AGENT = "Minqing-Webhooks/1"


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try: ``MINQING_WEBHOOK_RETRY_FIRST`` seconds,
    doubling, at most ``MINQING_WEBHOOK_RETRY_MAX``."""
    first = int(settings.MINQING_WEBHOOK_RETRY_FIRST)
    most = int(settings.MINQING_WEBHOOK_RETRY_MAX)
    return dt.timedelta(seconds=min(most, first * 2 ** max(0, min(attempts - 1, 40))))


def body_of(delivery: Delivery) -> bytes:
    """The JSON body: the same bytes on every attempt (the event, frozen when it happened)."""
    event = delivery.event
    payload: dict[str, Any] = {
        "id": str(event.pk),
        "type": event.type,
        "types": event.types,
        "occurred_at": event.occurred_at.isoformat(),
        "subscription": delivery.subscription_id,
        "delivery": delivery.pk,
        "data": event.data,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def lease_seconds() -> float:
    """How long a claim lasts: it outlives the longest attempt, so a live sender never loses it
    mid-send."""
    return max(
        float(settings.MINQING_WEBHOOK_CLAIM_SECONDS), 2 * float(settings.MINQING_WEBHOOK_TIMEOUT) + 10
    )


def claim(pk: int, *, force: bool = False) -> str | None:
    """Take delivery ``pk`` for one attempt; the claim token, or ``None`` when it is not due,
    not pending, or another sender holds it. ``force``: due now whatever its next try says."""
    now = timezone.now()
    token = secrets.token_hex(16)
    due = Q() if force else Q(next_attempt_at__lte=now)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    lease = dt.timedelta(seconds=lease_seconds())
    taken = Delivery.objects.filter(due, free, pk=pk, status=DeliveryStatus.PENDING).update(
        claim=token, claimed_until=now + lease, attempts=F("attempts") + 1
    )
    return token if taken == 1 else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is an answer like any other non-2xx: not delivered


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """POST ``body``; the status code (``None`` when no answer came) and an error text."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), f"HTTP {exc.code} {exc.reason}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"[:500]


def deliver(pk: int, *, force: bool = False) -> str | None:
    """One attempt at delivery ``pk`` if it can be claimed; its status afterwards, or ``None``
    when it was not claimed (not due, already done, or being sent by another worker)."""
    token = claim(pk, force=force)
    if token is None:
        return None
    delivery = Delivery.objects.select_related("event", "subscription__application").get(pk=pk)
    sub = delivery.subscription
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Minqing-Event-Id": str(delivery.event_id),
        "Minqing-Event-Type": delivery.event.type,
        "Minqing-Delivery-Id": str(delivery.pk),
        signing.HEADER: signing.header_value(sub.secret, body),
    }
    started = time.monotonic()
    now = timezone.now()
    if sub.is_active and sub.application.is_active:
        code, error = post(sub.url, body, headers, float(settings.MINQING_WEBHOOK_TIMEOUT))
    else:
        code, error = None, "subscription inactive"
    took = int((time.monotonic() - started) * 1000)
    fields: dict[str, Any] = {"claim": "", "claimed_until": None, "last_status_code": code}
    if code is not None and 200 <= code < 300:
        fields |= {"status": DeliveryStatus.DELIVERED, "delivered_at": timezone.now(), "last_error": ""}
    elif delivery.attempts >= int(settings.MINQING_WEBHOOK_MAX_ATTEMPTS) or not sub.is_active:
        fields |= {"status": DeliveryStatus.FAILED, "last_error": error, "next_attempt_at": None}
    else:
        fields |= {"last_error": error, "next_attempt_at": timezone.now() + retry_delay(delivery.attempts)}

    def record() -> None:
        with transaction.atomic():
            Attempt.objects.create(delivery=delivery, at=now, status_code=code, error=error, duration_ms=took)
            Delivery.objects.filter(pk=pk, claim=token).update(**fields)

    # the receiver has answered: a database that is restarting must not make us send it again
    # (within what is left of the claim, so the outcome is never written over another sender's)
    left = lease_seconds() - (time.monotonic() - started) - 5
    db_retry.until_written(record, seconds=max(left, 1.0))
    return str(fields.get("status", DeliveryStatus.PENDING))


def due_ids(limit: int = 200) -> list[int]:
    """Pending deliveries whose next try has come and that nobody is sending, oldest first."""
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return list(
        Delivery.objects.filter(free, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
