"""The outbox is durable: a message is a row, pending until a sender took it; a failure is
retried later and the message goes out once; a stopped worker (or a lost job) loses nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.notify import outbox
from minqing.notify.models import OutboxMessage, OutboxState
from minqing.notify.senders import Message, SendError
from minqing.notify.senders.file import FileSender, read_sent

pytestmark = pytest.mark.django_db


class FlakySender:
    """Fails the first ``failures`` sends, then writes through the file sender."""

    failures = 0
    calls = 0

    def send(self, message: Message) -> None:
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SendError("provider down")
        FileSender().send(message)


@pytest.fixture
def flaky(settings, sent_file):
    FlakySender.calls = 0
    FlakySender.failures = 1
    settings.MINQING_SENDERS = {"sms": f"{__name__}.FlakySender", "email": "file"}
    return FlakySender


def test_a_queued_message_is_sent_by_the_job_once_its_transaction_commits(
    sent_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        msg = outbox.queue(channel="sms", address="13900001111", body="进展")
        assert OutboxMessage.objects.get(pk=msg.pk).state == OutboxState.PENDING  # before the commit
        assert read_sent(sent_file) == []
    # the job was handed over on commit (huey runs it at once in the tests)
    msg.refresh_from_db()
    assert (msg.state, msg.attempts) == (OutboxState.SENT, 1)
    assert [m["body"] for m in read_sent(sent_file)] == ["进展"]


def test_a_rolled_back_transaction_sends_nothing(sent_file, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.queue(channel="sms", address="13900001111", body="进展")
        raise RuntimeError
    assert callbacks == [] and not OutboxMessage.objects.exists()
    assert read_sent(sent_file) == []


def test_a_failed_send_is_retried_later_and_delivered_once(flaky, sent_file):
    msg = outbox.queue(channel="sms", address="13900001111", body="第一条")
    assert outbox.deliver(msg.pk) is False  # the provider is down
    msg.refresh_from_db()
    assert (msg.state, msg.attempts) == (OutboxState.PENDING, 1)
    assert "provider down" in msg.last_error and msg.next_attempt_at > timezone.now()
    assert outbox.sweep() == {"due": 0, "sent": 0, "purged": 0}  # not due yet: no hammering
    later = timezone.now() + dt.timedelta(minutes=2)
    assert outbox.sweep(later) == {"due": 1, "sent": 1, "purged": 0}
    assert outbox.sweep(later + dt.timedelta(hours=1)) == {"due": 0, "sent": 0, "purged": 0}
    assert outbox.deliver(msg.pk) is False  # a late duplicate job finds it sent
    msg.refresh_from_db()
    assert (msg.state, msg.attempts, msg.last_error) == (OutboxState.SENT, 2, "")
    assert [m["body"] for m in read_sent(sent_file)] == ["第一条"]  # delivered exactly once
    assert flaky.calls == 2


def test_a_worker_restart_loses_nothing(sent_file):
    """The job never ran (no commit callback: the worker was down, the queue lost): the row stays
    pending and the sweep sends it."""
    msg = outbox.queue(channel="email", address="a@example.com", subject="主题", body="正文")
    assert read_sent(sent_file) == []
    assert outbox.sweep() == {"due": 1, "sent": 1, "purged": 0}
    msg.refresh_from_db()
    assert msg.state == OutboxState.SENT
    assert [(m["to"], m["subject"]) for m in read_sent(sent_file)] == [("a@example.com", "主题")]


def test_a_message_that_always_fails_is_given_up_after_the_maximum(flaky, settings, sent_file):
    settings.MINQING_OUTBOX_MAX_ATTEMPTS = 3
    flaky.failures = 100
    msg = outbox.queue(channel="sms", address="13900001111", body="x")
    for _ in range(5):
        outbox.deliver(msg.pk)
    msg.refresh_from_db()
    assert (msg.state, msg.attempts) == (OutboxState.FAILED, 3)
    assert read_sent(sent_file) == []


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 8, 60]


def test_the_address_is_encrypted_at_rest(sent_file):
    from django.db import connection

    msg = outbox.queue(channel="sms", address="13900001111", body="x")
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notify_outboxmessage WHERE id = %s", [msg.pk])
        (raw,) = cursor.fetchone()
    assert "13900001111" not in raw
    assert OutboxMessage.objects.get(pk=msg.pk).address == "13900001111"


def test_finished_messages_are_purged_after_the_keeping_time(settings, sent_file):
    settings.MINQING_OUTBOX_KEEP_DAYS = 30
    old = outbox.queue(channel="sms", address="13900001111", body="旧")
    outbox.deliver(old.pk)
    waiting = outbox.queue(channel="sms", address="13900001111", body="未发")
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + dt.timedelta(days=1))
    assert outbox.purge() == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [waiting.pk]  # pending stays


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_after_the_send_does_not_send_it_again(sent_file, monkeypatch):
    """The provider took the message, then the database went away before the commit: the row is
    marked sent once the database is back, so the sweep does not send it a second time."""
    from django.db import OperationalError

    msg = OutboxMessage.objects.create(
        channel="sms", address="13900001111", body="进展", next_attempt_at=timezone.now()
    )
    save = OutboxMessage.save

    def restarting(self, *args, **kwargs):
        if self.state == OutboxState.SENT:
            raise OperationalError("terminating connection due to administrator command")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(OutboxMessage, "save", restarting)
    monkeypatch.setattr("minqing.core.db_retry.time.sleep", lambda s: None)
    assert outbox.deliver(msg.pk) is True
    msg.refresh_from_db()
    assert (msg.state, msg.attempts) == (OutboxState.SENT, 1)
    assert outbox.deliver(msg.pk) is False
    assert outbox.sweep(timezone.now() + dt.timedelta(hours=2))["sent"] == 0
    assert [m["body"] for m in read_sent(sent_file)] == ["进展"]
