"""Workflow events notify the right people at once (in the transition's transaction), nobody
else: never the actor, never the informant, never a unit outside the problem's units."""

import pytest
from django.urls import reverse

from minqing.core.errors import DomainError
from minqing.ledger.enums import Action, Channel, Satisfaction
from minqing.ledger.models import DeadlineRule, Notification, NotificationKind
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import login
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(lw):
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title="小区供暖不热",
        content="国庆前报修,至今未修",
        unit=lw.u["village_a"],
        reporter=Reporter(name="张先生", phone="13900002222"),
    )
    return fb.problem


def act(lw, who, problem, action, **params):
    return problem_transition(actor=lw.users[who], problem=problem, action=action, **params)


def told(problem, action_text=""):
    qs = Notification.objects.filter(problem=problem, kind=NotificationKind.INFO)
    if action_text:
        qs = qs.filter(text__contains=action_text)
    return sorted(qs.values_list("user__username", flat=True))


def fresh(lw, problem):
    Notification.objects.all().delete()
    return problem


def assigned(lw, p):
    return act(lw, "county_intake", p, Action.ASSIGN, responsible_unit=lw.u["town_a"])


def test_assign_tells_the_responsible_units_watchers_only(lw, p):
    assert told(p) == []  # registering tells nobody
    p = assigned(lw, p)
    # exactly town_a's staff: not the county above it, not town_b, not the viewer, not the actor
    assert told(p, "新交办") == ["a_staff"]
    n = Notification.objects.get(problem=p)
    assert p.number in n.text and n.read_at is None


def test_accept_and_return_tell_the_dispatcher_who_assigned(lw, p):
    p = fresh(lw, assigned(lw, p))
    act(lw, "a_staff", p, Action.ACCEPT)
    assert told(p, "已被责任单位受理") == ["county_intake"]
    q = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title="另一个问题",
        content="内容",
        unit=lw.u["village_a"],
        reporter=Reporter(name="李", phone="13900003333"),
    ).problem
    q = act(lw, "county_office", q, Action.ASSIGN, responsible_unit=lw.u["town_a"])
    act(lw, "a_staff", q, Action.RETURN, note="不属于本单位")
    assert told(q, "被责任单位退回") == ["county_office"]


def test_return_of_a_system_assignment_tells_the_dispatchers_of_the_unit(lw, p):
    clerk = UserFactory(username="village_clerk")
    grant(clerk, Role.INTAKE, lw.u["village_a"])
    p = problem_transition(actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    act(lw, "a_staff", p, Action.RETURN, note="不属于本单位")
    # no user assigned it: the dispatchers on exactly the unit it concerns (not the county's)
    assert told(p, "被责任单位退回") == ["village_clerk"]


def test_claim_resolve_and_reopen(lw, p):
    p = act(lw, "a_staff", assigned(lw, p), Action.ACCEPT)
    Notification.objects.all().delete()
    act(lw, "county_leader", p, Action.CLAIM)
    assert told(p, "已由领导认领") == ["a_staff"]
    act(lw, "a_staff", p, Action.RESOLVE, resolution_kind="rectified")
    assert told(p, "已办结") == ["county_intake", "county_leader"]
    act(lw, "county_intake", p, Action.CALLBACK, satisfaction=Satisfaction.UNSATISFIED)
    assert told(p, "重新整改") == ["a_staff", "county_leader"]


def test_extension_decisions_tell_the_requester_and_the_unit(lw, p):
    DeadlineRule.objects.update(max_extension_days=10)
    if not DeadlineRule.objects.exists():
        DeadlineRule.objects.create(accept_days=3, handle_days=15, max_extension_days=10)
    p = act(lw, "a_staff", assigned(lw, p), Action.ACCEPT)
    act(lw, "a_staff", p, Action.REQUEST_EXTENSION, days=3, reason="需要施工")
    Notification.objects.all().delete()
    act(lw, "county_office", p, Action.GRANT_EXTENSION)
    assert told(p, "已批准") == ["a_staff"]
    act(lw, "a_staff", p, Action.REQUEST_EXTENSION, days=2, reason="再延")
    act(lw, "county_leader", p, Action.DENY_EXTENSION)
    assert told(p, "未获批准") == ["a_staff"]


def test_the_informant_and_outsiders_are_never_told(lw, p):
    p = act(lw, "a_staff", assigned(lw, p), Action.ACCEPT)
    act(lw, "county_leader", p, Action.CLAIM)
    act(lw, "a_staff", p, Action.RESOLVE, resolution_kind="rectified")
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users.isdisjoint({"b_staff", "b_office", "viewer", "village_a_staff"})
    # the informant has no account: no notification names anyone but role holders
    assert not Notification.objects.filter(user__isnull=True).exists()


def test_a_failed_transition_notifies_nobody(lw, p):
    with pytest.raises(DomainError):
        act(lw, "a_staff", p, Action.ACCEPT)  # registered, not assigned: refused
    assert Notification.objects.count() == 0


def test_unread_count_in_the_top_bar(client, lw, p):
    assigned(lw, p)
    c = login(client, lw.users["a_staff"])
    html = c.get(reverse("orgs:home")).content.decode()
    assert '<span class="badge" aria-label="未读通知">1</span>' in html
    n = Notification.objects.get(user=lw.users["a_staff"])
    c.post(reverse("ledger:notification_read", args=[n.pk]))
    html = c.get(reverse("orgs:home")).content.decode()
    assert 'aria-label="未读通知"' not in html
    html = login(client, lw.users["b_staff"]).get(reverse("orgs:home")).content.decode()
    assert 'aria-label="未读通知"' not in html
