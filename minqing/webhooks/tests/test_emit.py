"""Which events become deliveries: written with the event in one transaction, for the active
subscriptions of applications that may see the event and want its type; nothing else."""

import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from minqing.ledger.enums import Action
from minqing.ledger.models import Feedback
from minqing.ledger.services.intake import ProblemFacts, Reporter, feedback_submit, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.webhooks import emit as emit_module
from minqing.webhooks.models import Delivery, Event, EventType, Subscription
from minqing.webhooks.services import subscription_create, subscription_set_active
from minqing.webhooks.sources import problem_event_types
from minqing.webhooks.tests.conftest import make_app

pytestmark = pytest.mark.django_db

ALL = list(EventType.values)


def _register(tree: Any, unit: str = "village_a") -> Any:
    return problem_register(actor=SYSTEM, facts=ProblemFacts(title="t", description="d", unit=tree[unit]))


def _webhook_queries(action: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return sum(1 for q in ctx.captured_queries if "webhooks_" in q["sql"])


def test_no_subscription_writes_nothing_and_costs_no_query_while_the_list_is_fresh(
    tree: Any, settings: Any
) -> None:
    settings.MINQING_WEBHOOK_SUBSCRIPTIONS_TTL = 60
    assert _webhook_queries(lambda: _register(tree)) == 1  # read once
    assert _webhook_queries(lambda: _register(tree)) == 0  # then kept
    settings.MINQING_WEBHOOK_SUBSCRIPTIONS_TTL = 0
    assert _webhook_queries(lambda: _register(tree)) == 1
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_a_change_in_this_process_is_seen_at_once_one_elsewhere_within_the_ttl(
    tree: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MINQING_WEBHOOK_SUBSCRIPTIONS_TTL = 2
    app = make_app(tree["county"], "a")
    _register(tree)  # the (empty) list is read and kept
    sub = subscription_create(actor=SYSTEM, application=app, url="https://example.org/h", event_types=ALL)
    _register(tree)
    assert Delivery.objects.count() == 1  # a save in this process: seen at once
    # another process pauses it (no signal here): seen once the list is older than the TTL
    Subscription.objects.filter(pk=sub.subscription.pk).update(is_active=False)
    _register(tree)
    assert Delivery.objects.count() == 2
    later = time.monotonic() + 2.5
    monkeypatch.setattr(emit_module.time, "monotonic", lambda: later)
    _register(tree)
    assert Delivery.objects.count() == 2


def test_only_apps_that_see_the_event_and_want_its_type_get_it(tree: Any) -> None:
    inside = make_app(tree["town_a"], "inside", roles=(Role.VIEWER,))
    outside = make_app(tree["town_b"], "outside")
    no_roles = make_app(tree["county"], "no-roles", roles=())
    only_resolved = make_app(tree["county"], "only-resolved")
    for app in (inside, outside, no_roles):
        subscription_create(actor=SYSTEM, application=app, url="https://example.org/h", event_types=ALL)
    subscription_create(
        actor=SYSTEM,
        application=only_resolved,
        url="https://example.org/r",
        event_types=[EventType.PROBLEM_RESOLVED],
    )
    _register(tree)
    got = set(Delivery.objects.values_list("subscription__application__name", flat=True))
    assert got == {"inside"}


def test_a_paused_subscription_or_a_lost_scope_or_an_inactive_app_gets_nothing(tree: Any) -> None:
    a = make_app(tree["county"], "a")
    b = make_app(tree["county"], "b")
    c = make_app(tree["county"], "c")
    subs = [
        subscription_create(actor=SYSTEM, application=x, url="https://example.org/h", event_types=ALL)
        for x in (a, b, c)
    ]
    subscription_set_active(actor=SYSTEM, subscription=subs[0].subscription, active=False)
    b.scopes = ["read"]
    b.save()
    c.is_active = False
    c.save()
    _register(tree)
    assert not Delivery.objects.exists() and not Event.objects.exists()


def test_a_rolled_back_event_leaves_no_delivery(tree: Any) -> None:
    app = make_app(tree["county"], "a")
    subscription_create(actor=SYSTEM, application=app, url="https://example.org/h", event_types=ALL)
    with pytest.raises(RuntimeError), transaction.atomic():
        _register(tree)
        assert Delivery.objects.count() == 1
        raise RuntimeError
    assert not Delivery.objects.exists() and not Event.objects.exists()


def test_a_unit_hears_of_a_problem_returned_away_from_it(tree: Any) -> None:
    app = make_app(tree["town_a"], "a")
    sub = subscription_create(
        actor=SYSTEM,
        application=app,
        url="https://example.org/h",
        event_types=[EventType.PROBLEM_STATE_CHANGED],
    ).subscription
    p = _register(tree, "village_b")  # town B's problem, assigned to town A, returned
    problem_transition(actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=tree["village_a"])
    problem_transition(actor=SYSTEM, problem=p, action=Action.RETURN, note="不是我们的")
    actions = [d.event.data["event"]["action"] for d in Delivery.objects.filter(subscription=sub)]
    assert sorted(actions) == ["assign", "return"]


def test_the_body_never_names_the_reporter_and_hides_private_notes(tree: Any) -> None:
    app = make_app(tree["town_a"], "a", roles=(Role.OFFICE, Role.INTAKE))
    subscription_create(actor=SYSTEM, application=app, url="https://example.org/h", event_types=ALL)
    fb = feedback_submit(
        actor=SYSTEM,
        channel="online",
        title="噪音扰民",
        content="夜间施工",
        unit=tree["village_a"],
        reporter=Reporter(name="张三丰", phone="13800001234", address="泉山社区 3 号"),
    )
    p = Feedback.objects.get(pk=fb.pk).problem
    assert p is not None
    problem_transition(actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=tree["village_a"])
    problem_transition(actor=SYSTEM, problem=p, action=Action.RETURN, note="内部说明:不归我们")
    text = "".join(str(e.data) for e in Event.objects.all())
    for secret in ("张三丰", "13800001234", "泉山社区 3 号", "内部说明"):
        assert secret not in text
    assert (
        Event.objects.filter(type=EventType.PROBLEM_REGISTERED).get().data["problem"]["title"] == "噪音扰民"
    )


def test_event_types_of_each_action() -> None:
    from minqing.ledger.models import ProblemEvent

    def types(action: str, a: str, b: str) -> list[str]:
        return problem_event_types(ProblemEvent(action=action, from_state=a, to_state=b))

    assert types("register", "", "registered") == ["problem.registered"]
    assert types("assign", "registered", "assigned") == ["problem.assigned", "problem.state_changed"]
    assert types("resolve", "rectifying", "resolved") == ["problem.resolved", "problem.state_changed"]
    assert types("overdue", "accepted", "accepted") == ["problem.overdue"]
    assert types("close", "resolved", "closed") == ["problem.state_changed"]
    assert types("note", "accepted", "accepted") == []
    assert types("escalate", "accepted", "accepted") == []
