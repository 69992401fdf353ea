"""Where events become deliveries: called by the services that record them, inside their
transaction (``record_event`` in the ledger's workflow, the deadline job, ``bulletin_publish``).

An event is matched against the active subscriptions whose application may see it (the
application is active, holds the ``webhooks`` scope and a role on a unit above the event's units:
``minqing.orgs.scoping``) and wants one of its types. Nothing is written when none matches (the
subscriptions are read at most every few seconds: ``active_subscriptions``); else one ``Event``
row and one ``Delivery`` row per matching subscription, in the caller's transaction, so the
deliveries exist exactly when the event does.
Sending is queued when the transaction commits (``transaction.on_commit``); if that enqueue is
lost, the periodic job (``tasks.deliveries_due``) sends the rows anyway.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minqing.api.scopes import Scope
from minqing.orgs.scoping import can_access_path
from minqing.webhooks.models import Delivery, Event, Subscription

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """An event about to be recorded: its types (the main one first), the unit paths it concerns
    (an application above any of them receives it), and how to build its data (called only when a
    subscription matches)."""

    types: list[str]
    paths: Callable[[], list[str]]
    data: Callable[[], dict[str, Any]]
    occurred_at: dt.datetime


# The active subscriptions, read at most every MINQING_WEBHOOK_SUBSCRIPTIONS_TTL seconds per
# process, so an event costs the write path no query at all while nobody subscribes (or while the
# list is fresh). A write of a subscription or an application in this process forgets it at once
# (``forget_subscriptions``, connected in ``apps.py``); another process sees it within the TTL.
_cache: tuple[float, list[Subscription]] | None = None


def forget_subscriptions(**_kwargs: Any) -> None:
    global _cache
    _cache = None


def active_subscriptions() -> list[Subscription]:
    global _cache
    ttl = float(settings.MINQING_WEBHOOK_SUBSCRIPTIONS_TTL)
    now = time.monotonic()
    cached = _cache
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    subs = list(
        Subscription.objects.filter(is_active=True, application__is_active=True).select_related(
            "application__unit"
        )
    )
    _cache = (now, subs)
    return subs


def _wants(sub: Subscription, types: Iterable[str]) -> bool:
    return Scope.WEBHOOKS in sub.application.scopes and not set(sub.event_types).isdisjoint(types)


def emit(pending: list[Pending], subscriptions: list[Subscription] | None = None) -> list[int]:
    """Record the deliveries of ``pending`` events; returns the new delivery ids (their sending is
    queued on commit)."""
    if not pending:
        return []
    subs = active_subscriptions() if subscriptions is None else subscriptions
    if not subs:
        return []
    now = timezone.now()
    rows: list[Delivery] = []
    for item in pending:
        wanting = [s for s in subs if _wants(s, item.types)]
        if not wanting:
            continue
        paths = [p for p in item.paths() if p]
        matched = [s for s in wanting if any(can_access_path(s.application, p) for p in paths)]
        if not matched:
            continue
        event = Event.objects.create(
            type=item.types[0],
            types=item.types,
            path=paths[0],
            data=item.data(),
            occurred_at=item.occurred_at,
        )
        rows += [Delivery(subscription=s, event=event, next_attempt_at=now) for s in matched]
    if not rows:
        return []
    ids = [d.pk for d in Delivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: enqueue(ids))
    return ids


def enqueue(ids: list[int]) -> None:
    """Queue the sending of ``ids``. A queue that is down loses nothing: the rows stay due and the
    periodic job sends them."""
    from minqing.webhooks.tasks import send_delivery

    for pk in ids:
        try:
            send_delivery(pk)
        except Exception:  # the queue is down: the periodic job picks the row up
            log.exception("webhook delivery %s not queued; the periodic job will send it", pk)
