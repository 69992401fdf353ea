"""One delivery, one sender at a time: the claim, the backoff, failing after the last attempt,
"retry now", and what counts as delivered."""

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.orgs.actors import SYSTEM
from minqing.webhooks import sender
from minqing.webhooks.models import Attempt, Delivery, DeliveryStatus, EventType
from minqing.webhooks.services import delivery_retry_now, subscription_create, subscription_set_active
from minqing.webhooks.tests.conftest import make_app
from minqing.webhooks.tests.receiver import Receiver


def _one_delivery(tree: Any, url: str) -> Delivery:
    app = make_app(tree["county"], f"app-{time.monotonic_ns()}")
    subscription_create(actor=SYSTEM, application=app, url=url, event_types=[EventType.PROBLEM_REGISTERED])
    problem_register(actor=SYSTEM, facts=ProblemFacts(title="t", description="d", unit=tree["village_a"]))
    return Delivery.objects.get(subscription__application=app)


@pytest.mark.django_db
@override_settings(MINQING_WEBHOOK_RETRY_FIRST=60, MINQING_WEBHOOK_RETRY_MAX=6 * 3600)
def test_backoff_doubles_from_a_minute_to_six_hours() -> None:
    waits = [sender.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]


@pytest.mark.django_db
def test_a_claimed_delivery_is_not_claimed_again_until_its_claim_expires(tree: Any) -> None:
    d = _one_delivery(tree, "http://127.0.0.1:9/")
    token = sender.claim(d.pk)
    assert token is not None
    assert sender.claim(d.pk) is None and sender.claim(d.pk, force=True) is None
    assert sender.due_ids() == []
    # the first sender died: its claim expires and another may take the row
    Delivery.objects.filter(pk=d.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    second = sender.claim(d.pk)
    assert second is not None and second != token
    # the dead sender's late outcome is not written over the live claim
    assert Delivery.objects.filter(pk=d.pk, claim=token).update(status=DeliveryStatus.DELIVERED) == 0
    assert Delivery.objects.get(pk=d.pk).attempts == 2


@pytest.mark.django_db
@override_settings(MINQING_WEBHOOK_MAX_ATTEMPTS=2)
def test_after_the_last_attempt_it_fails_and_retry_now_gives_one_more(tree: Any, receiver: Receiver) -> None:
    d = _one_delivery(tree, receiver.url("/h"))
    assert sender.deliver(d.pk) == DeliveryStatus.PENDING
    assert sender.deliver(d.pk) is None  # not due yet
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    assert sender.deliver(d.pk) == DeliveryStatus.FAILED
    d.refresh_from_db()
    assert d.attempts == 2 and d.next_attempt_at is None and "Connection" in d.last_error
    assert sender.due_ids() == []
    receiver.set("ok")
    assert delivery_retry_now(actor=SYSTEM, delivery=d)
    assert sender.deliver(d.pk) == DeliveryStatus.DELIVERED
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED and d.attempts == 3 and d.last_status_code == 200
    assert Attempt.objects.filter(delivery=d).count() == 3
    assert not delivery_retry_now(actor=SYSTEM, delivery=d)  # delivered: nothing to retry
    assert len(receiver.delivered("/h")) == 1


@pytest.mark.django_db
def test_a_redirect_is_not_delivered_and_a_paused_subscription_fails(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _one_delivery(tree, "http://127.0.0.1:9/")

    def answer(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
        return 302, "HTTP 302 Found"

    monkeypatch.setattr(sender, "post", answer)
    assert sender.deliver(d.pk) == DeliveryStatus.PENDING
    d.refresh_from_db()
    assert d.last_status_code == 302
    subscription_set_active(actor=SYSTEM, subscription=d.subscription, active=False)
    assert sender.deliver(d.pk, force=True) == DeliveryStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_eight_workers_at_once_send_one_delivery_once(tree: Any, receiver: Receiver) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers: run on PostgreSQL (DATABASE_URL)")
    d = _one_delivery(tree, receiver.url("/h"))  # its first try, on commit, was refused
    assert Delivery.objects.get(pk=d.pk).attempts == 1
    receiver.set("ok")
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    results: list[Any] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        try:
            results.append(sender.deliver(d.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [None] * 7 + [DeliveryStatus.DELIVERED]
    assert len(receiver.requests) == 1 and Attempt.objects.filter(delivery=d).count() == 2


@pytest.mark.django_db
def test_a_queue_that_is_down_loses_nothing_the_periodic_job_sends_the_row(
    tree: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from minqing.webhooks import tasks

    def queue_down(pk: int) -> None:
        raise ConnectionError("redis is down")

    receiver.set("ok")
    with monkeypatch.context() as m:
        m.setattr(tasks, "send_delivery", queue_down)
        with django_capture_on_commit_callbacks(execute=True):
            d = _one_delivery(tree, receiver.url("/h"))
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.attempts == 0 and not receiver.requests
    assert tasks.deliveries_due.call_local() == {"queued": 1}
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED and len(receiver.delivered("/h")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_after_the_answer_does_not_send_it_twice(
    tree: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The receiver answered 2xx, then the database went away while the outcome was written:
    the sender writes it once the database is back, so the sweep never sends it again."""
    from django.db import OperationalError

    d = _one_delivery(tree, receiver.url("/h"))  # its first try (on commit) found the receiver down
    receiver.set("ok")
    create = Attempt.objects.create
    calls = {"n": 0}

    def restarting(**kwargs: Any) -> Attempt:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise OperationalError("terminating connection due to administrator command")
        return create(**kwargs)

    monkeypatch.setattr(Attempt.objects, "create", restarting)
    monkeypatch.setattr("minqing.core.db_retry.time.sleep", lambda s: None)
    assert sender.deliver(d.pk, force=True) == DeliveryStatus.DELIVERED
    d.refresh_from_db()
    assert (d.status, d.attempts, d.claim) == (DeliveryStatus.DELIVERED, 2, "")
    assert [a.status_code for a in Attempt.objects.filter(delivery=d)] == [None, 200]
    assert sender.due_ids() == [] and sender.deliver(d.pk, force=True) is None
    assert len(receiver.delivered("/h")) == 1
