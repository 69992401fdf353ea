"""The outbox: queue a message in the caller's transaction, deliver it once, sweep what is due.

``queue`` writes a pending row and, when the transaction commits, hands its id to the job
worker (``tasks.deliver_message``). The row is the truth: a worker that was down, a job that was
lost, a sender that failed all leave the row pending, and the sweep (every minute) delivers it
when it is due. ``deliver`` locks the row and sends only a pending one, so a message goes out
once even if a job and the sweep reach it together (a crash between the provider's acceptance
and the commit may send it again: at least once, never lost). A database that goes away between
the send and the commit does not: the row is marked sent once it is back (``core.db_retry``).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from minqing.core import db_retry
from minqing.notify.models import OutboxMessage, OutboxState, Subscription
from minqing.notify.senders import Message, get_sender

log = logging.getLogger("minqing.notify")
SWEEP_BATCH = 200


def queue(
    *,
    channel: str,
    address: str,
    body: str,
    subject: str = "",
    subscription: Subscription | None = None,
    user_id: int | None = None,
) -> OutboxMessage:
    """A pending message, in the caller's transaction; its job is queued once that commits."""
    msg = OutboxMessage.objects.create(
        channel=channel,
        address=address,
        subject=subject[:200],
        body=body,
        next_attempt_at=timezone.now(),
        subscription=subscription,
        user_id=user_id,
    )
    transaction.on_commit(lambda: _enqueue(msg.pk))
    return msg


def _enqueue(pk: int) -> None:
    from minqing.notify.tasks import deliver_message

    try:
        deliver_message(pk)
    except Exception:  # the queue is down: the sweep sends it later
        log.warning("could not queue outbox message %s; the sweep will send it", pk, exc_info=True)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 ... minutes after the ``attempts``-th failure, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def deliver(pk: int) -> bool:
    """Send the message if it is still pending and due-or-not; True when it went out now."""
    sent = False
    try:
        with transaction.atomic():
            msg = OutboxMessage.objects.select_for_update().filter(pk=pk, state=OutboxState.PENDING).first()
            if msg is None:
                return False
            if msg.subscription_id is not None and not _subscription_active(msg.subscription_id):
                msg.state = OutboxState.CANCELLED
                msg.save(update_fields=["state"])
                return False
            message = Message(channel=msg.channel, to=msg.address, subject=msg.subject, body=msg.body)
            try:
                get_sender(msg.channel).send(message)
            except Exception as err:
                msg.attempts += 1
                msg.last_error = f"{type(err).__name__}: {err}"[:500]
                if msg.attempts >= settings.MINQING_OUTBOX_MAX_ATTEMPTS:
                    msg.state = OutboxState.FAILED
                msg.next_attempt_at = timezone.now() + backoff(msg.attempts)
                msg.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
                log.warning("outbox message %s failed (attempt %s): %s", pk, msg.attempts, msg.last_error)
                return False
            sent = True
            _mark_sent(pk)
    except (OperationalError, InterfaceError):
        if not sent or transaction.get_connection().in_atomic_block:
            raise
        # the provider took it but the database went away before the commit: record it as sent
        # once the database is back, or the sweep would send it again
        db_retry.until_written(lambda: _mark_sent(pk))
    return True


def _mark_sent(pk: int) -> int:
    """The pending message ``pk`` went out: counted as an attempt and marked sent."""
    return OutboxMessage.objects.filter(pk=pk, state=OutboxState.PENDING).update(
        state=OutboxState.SENT, sent_at=timezone.now(), last_error="", attempts=F("attempts") + 1
    )


def _subscription_active(pk: int) -> bool:
    return Subscription.objects.filter(pk=pk, stopped_at__isnull=True).exists()


def due_ids(now: dt.datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    qs = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
    return list(qs.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Deliver every pending message that is due (what a restart or a failure left behind), and
    delete the finished ones older than ``MINQING_OUTBOX_KEEP_DAYS`` (their addresses with them)."""
    ids = due_ids(now)
    sent = sum(1 for pk in ids if deliver(pk))
    return {"due": len(ids), "sent": sent, "purged": purge(now)}


def purge(now: dt.datetime | None = None) -> int:
    before = (now or timezone.now()) - dt.timedelta(days=settings.MINQING_OUTBOX_KEEP_DAYS)
    done = OutboxMessage.objects.exclude(state=OutboxState.PENDING).filter(created_at__lt=before)
    deleted, _by_model = done.delete()
    return deleted
