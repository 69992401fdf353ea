"""The issue's webhook test: a real HTTP receiver that is down (connection refused, then 503) for
the first attempts; after it comes up every event arrives exactly once per subscription, and
every signature verifies."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from minqing.ledger.enums import Action, ResolutionKind
from minqing.ledger.jobs import run_deadlines
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.webhooks import signing
from minqing.webhooks.models import Attempt, Delivery, DeliveryStatus, Event, EventType
from minqing.webhooks.services import subscription_create
from minqing.webhooks.tasks import deliveries_due, send_delivery
from minqing.webhooks.tests.conftest import make_app
from minqing.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

ALL = list(EventType.values)


def _time_passes() -> None:
    """The retry wait is over (instead of sleeping a minute in a test)."""
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


@override_settings(MINQING_WEBHOOK_RETRY_FIRST=60, MINQING_WEBHOOK_MAX_ATTEMPTS=5)
def test_a_receiver_down_at_first_gets_every_event_once_per_subscription_signed(
    tree: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    county = make_app(tree["county"], "county-app")
    town_a = make_app(tree["town_a"], "town-a-app", roles=(Role.UNIT_STAFF,))
    subs = {
        "/county-all": subscription_create(
            actor=SYSTEM, application=county, url=receiver.url("/county-all"), event_types=ALL
        ),
        "/county-reg": subscription_create(
            actor=SYSTEM,
            application=county,
            url=receiver.url("/county-reg"),
            event_types=[EventType.PROBLEM_REGISTERED],
            secret="a-secret-of-the-receivers-own",
        ),
        "/town-a": subscription_create(
            actor=SYSTEM, application=town_a, url=receiver.url("/town-a"), event_types=ALL
        ),
    }
    assert receiver.mode == "down"
    with django_capture_on_commit_callbacks(execute=True):
        p1 = problem_register(
            actor=SYSTEM,
            facts=ProblemFacts(title="路灯不亮", description="泉山社区路灯", unit=tree["village_a"]),
        )
        problem_transition(actor=SYSTEM, problem=p1, action=Action.ASSIGN, responsible_unit=tree["village_a"])
        problem_transition(actor=SYSTEM, problem=p1, action=Action.ACCEPT)
        problem_transition(
            actor=SYSTEM, problem=p1, action=Action.RESOLVE, resolution_kind=ResolutionKind.ON_THE_SPOT
        )
        p2 = problem_register(
            actor=SYSTEM, facts=ProblemFacts(title="道路积水", description="红旗村", unit=tree["village_b"])
        )
        report = run_deadlines(today=timezone.localdate() + dt.timedelta(days=60))
    assert report.overdue_marked == 1

    expected = {
        "/county-all": 6,  # p1: registered, assigned, accepted, resolved; p2: registered, overdue
        "/county-reg": 2,  # the two registrations
        "/town-a": 4,  # p1 only: p2 lies in town B
    }
    for path, n in expected.items():
        assert Delivery.objects.filter(subscription=subs[path].subscription).count() == n, path
    # first try (queued on commit): connection refused, each try recorded, retry in a minute
    assert not receiver.requests
    first = list(Delivery.objects.all())
    assert all(d.status == DeliveryStatus.PENDING and d.attempts == 1 for d in first)
    assert Attempt.objects.count() == 12 and all(
        a.status_code is None and a.error for a in Attempt.objects.all()
    )
    for d in first:
        assert d.next_attempt_at is not None
        wait = (d.next_attempt_at - Attempt.objects.get(delivery=d).at).total_seconds()
        assert 59 <= wait <= 62

    # second try, by the periodic job: the receiver answers 503; the wait doubles
    receiver.set("503")
    _time_passes()
    deliveries_due()
    assert len(receiver.requests) == 12 and not any(r.answered == 200 for r in receiver.requests)
    for d in Delivery.objects.all():
        assert d.status == DeliveryStatus.PENDING and d.attempts == 2 and d.last_status_code == 503
        assert d.next_attempt_at is not None
        assert 119 <= (d.next_attempt_at - timezone.now()).total_seconds() <= 121

    # the receiver is up: the periodic job delivers every row
    receiver.set("ok")
    _time_passes()
    deliveries_due()
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED, attempts=3).count() == 12
    # nothing is sent again: not by the periodic job, nor by a stray queued job
    deliveries_due()
    for d in Delivery.objects.all():
        assert send_delivery.call_local(d.pk) is None

    for path, new in subs.items():
        got = receiver.delivered(path)
        bodies = [json.loads(r.body) for r in got]
        ids = [b["id"] for b in bodies]
        assert len(ids) == len(set(ids)) == expected[path], path  # exactly once each
        wanted = set(
            Delivery.objects.filter(subscription=new.subscription).values_list("event_id", flat=True)
        )
        assert {str(e) for e in wanted} == set(ids)
        for r, b in zip(got, bodies, strict=True):
            assert signing.verify(new.secret, r.body, r.headers[signing.HEADER])
            assert not signing.verify(new.secret + "x", r.body, r.headers[signing.HEADER])
            assert r.headers["Minqing-Event-Id"] == b["id"]
            assert b["subscription"] == new.subscription.pk
    types = [json.loads(r.body)["type"] for r in receiver.delivered("/county-all")]
    assert sorted(types) == sorted(
        [
            EventType.PROBLEM_REGISTERED,
            EventType.PROBLEM_ASSIGNED,
            EventType.PROBLEM_STATE_CHANGED,
            EventType.PROBLEM_RESOLVED,
            EventType.PROBLEM_REGISTERED,
            EventType.PROBLEM_OVERDUE,
        ]
    )
    # one event row per event, shared by the subscriptions that got it
    assert Event.objects.count() == 6
    assert p2.pk
