"""Every row of the transition table: allowed from each source state with the right role and scope,
refused from every other state, refused to a wrong role, refused out of the subtree; refusals
change nothing. Parametrized over ``TRANSITIONS``: a new row without a spec here fails."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Action, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.models import DeadlineRule, Extension, ExtensionState, Feedback, Problem, ProblemEvent
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.services.workflow import TRANSITIONS, problem_transition
from minqing.orgs.actors import SYSTEM, Actor
from minqing.orgs.enums import Role
from minqing.orgs.models import RoleAssignment
from minqing.orgs.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Spec:
    who: str  # a user of the ledger world with a role the row allows
    params: Callable[[Any], dict[str, Any]] = lambda lw: {}
    prepare: Callable[[Any, Problem], None] | None = None  # needed before the action (in a source state)
    expect: dict[str, Any] = field(default_factory=dict)  # fields of the problem afterwards


def _request(lw, p: Problem) -> None:
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.REQUEST_EXTENSION, days=3, reason="r"
    )


SPECS: dict[str, Spec] = {
    Action.ASSIGN: Spec("county_intake", lambda lw: {"responsible_unit": lw.u["town_a"]}),
    Action.ACCEPT: Spec("a_staff"),
    Action.RETURN: Spec("a_staff", lambda lw: {"note": "不属本单位"}, expect={"responsible_unit": None}),
    Action.CLAIM: Spec("county_leader", expect={"must_solve": True}),
    Action.START: Spec("a_staff"),
    Action.REQUEST_EXTENSION: Spec("a_staff", lambda lw: {"days": 5, "reason": "材料未齐"}),
    Action.GRANT_EXTENSION: Spec("county_leader", prepare=_request),
    Action.DENY_EXTENSION: Spec("county_office", prepare=_request),
    Action.RESOLVE: Spec(
        "a_staff",
        lambda lw: {"resolution_kind": ResolutionKind.ON_THE_SPOT, "measures": "已修"},
        expect={"resolution_kind": ResolutionKind.ON_THE_SPOT},
    ),
    Action.CLOSE: Spec("county_office"),
    Action.CALLBACK: Spec(
        "county_intake",
        lambda lw: {"satisfaction": Satisfaction.SATISFIED},
        expect={"satisfaction": "satisfied"},
    ),
    Action.MERGE: Spec("county_office", lambda lw: {"into": lw.submit().problem}),
    Action.NOTE: Spec("county_intake", lambda lw: {"note": "备注"}),
}

# How the system brings a new problem (about village A) to each state.
PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    State.REGISTERED: [],
    State.ASSIGNED: [(Action.ASSIGN, {"responsible_unit": "town_a"})],
    State.ACCEPTED: [(Action.ASSIGN, {"responsible_unit": "town_a"}), (Action.ACCEPT, {})],
    State.RECTIFYING: [
        (Action.ASSIGN, {"responsible_unit": "town_a"}),
        (Action.ACCEPT, {}),
        (Action.START, {}),
    ],
    State.RESOLVED: [
        (Action.ASSIGN, {"responsible_unit": "town_a"}),
        (Action.RESOLVE, {"resolution_kind": ResolutionKind.RECTIFIED}),
    ],
    State.CLOSED: [
        (Action.ASSIGN, {"responsible_unit": "town_a"}),
        (Action.RESOLVE, {"resolution_kind": ResolutionKind.RECTIFIED}),
        (Action.CLOSE, {}),
    ],
    State.RETURNED: [(Action.ASSIGN, {"responsible_unit": "town_a"}), (Action.RETURN, {"note": "错"})],
    State.MERGED: [(Action.MERGE, {"into": None})],
}


def in_state(lw, state: str) -> Problem:
    p = lw.submit().problem
    for action, params in PATHS[state]:
        params = dict(params)
        if "responsible_unit" in params:
            params["responsible_unit"] = lw.u[params["responsible_unit"]]
        if "into" in params:
            params["into"] = lw.submit().problem
        p = problem_transition(actor=SYSTEM, problem=p, action=action, **params)
    assert p.state == state
    return p


def snapshot(p: Problem) -> tuple:
    return (
        Problem.objects.filter(pk=p.pk).values().get(),
        list(ProblemEvent.objects.filter(problem=p).values_list("pk", flat=True)),
        list(Extension.objects.filter(problem=p).values()),
        sorted(Feedback.objects.filter(problem=p).values_list("pk", flat=True)),
    )


def refused(lw, p: Problem, actor: Actor, action: str, code: ErrorCode, params: dict[str, Any]) -> None:
    before = snapshot(p)
    with pytest.raises(DomainError) as err:
        problem_transition(actor=actor, problem=p, action=action, **params)
    assert err.value.code is code, err.value
    assert snapshot(p) == before


def user_with(role: str, unit) -> Any:
    u = UserFactory()
    grant(u, role, unit)
    return u


ALLOWED = [(a, s) for a, t in TRANSITIONS.items() for s in sorted(t.sources)]
FORBIDDEN = [(a, s) for a, t in TRANSITIONS.items() for s in State if s not in t.sources]


def test_every_row_has_a_spec() -> None:
    assert set(SPECS) == set(TRANSITIONS), "add a Spec for each new row of TRANSITIONS"


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_allowed(lw, action, state) -> None:
    spec, t = SPECS[action], TRANSITIONS[action]
    p = in_state(lw, state)
    if spec.prepare:
        spec.prepare(lw, p)
        p.refresh_from_db()
    actor = lw.users[spec.who]
    events = p.events.count()
    after = problem_transition(actor=actor, problem=p, action=action, **spec.params(lw))
    expected = t.target or state
    assert after.state == expected
    assert after.version == p.version + 1
    assert after.events.count() == events + 1
    ev = after.events.order_by("at", "id").last()
    assert ev is not None
    assert (ev.action, ev.from_state, ev.to_state, ev.actor) == (action, state, expected, actor)
    for name, value in spec.expect.items():
        assert getattr(after, name) == value, name
    if expected == State.MERGED:
        assert after.merged_into is not None
    if expected == State.CLOSED:
        assert after.closed_at is not None


@pytest.mark.parametrize(("action", "state"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_forbidden_from_other_states(lw, action, state) -> None:
    spec = SPECS[action]
    p = in_state(lw, state)
    refused(lw, p, lw.users[spec.who], action, ErrorCode.TRANSITION_NOT_ALLOWED, spec.params(lw))


WRONG_ROLE_ORDER = (Role.VIEWER, Role.INSPECTOR, Role.INTAKE, Role.LEADER, Role.UNIT_STAFF, Role.OFFICE)
WITH_WRONG_ROLE = [a for a, t in TRANSITIONS.items() if set(Role.values) - t.roles]


@pytest.mark.parametrize("action", WITH_WRONG_ROLE)
def test_wrong_role(lw, action) -> None:
    spec, t = SPECS[action], TRANSITIONS[action]
    role = next(r for r in WRONG_ROLE_ORDER if r not in t.roles)
    p = in_state(lw, sorted(t.sources)[0])
    if spec.prepare:
        spec.prepare(lw, p)
    refused(lw, p, user_with(role, lw.u["county"]), action, ErrorCode.TRANSITION_ROLE, spec.params(lw))


RESPONSIBLE_ONLY = [a for a, t in TRANSITIONS.items() if t.scope == "responsible"]


@pytest.mark.parametrize("action", RESPONSIBLE_ONLY)
def test_seeing_it_is_not_handling_it(lw, action) -> None:
    """Village A's staff see a problem about village A, but town A handles it."""
    spec, t = SPECS[action], TRANSITIONS[action]
    p = in_state(lw, sorted(t.sources)[0])
    refused(lw, p, lw.users["village_a_staff"], action, ErrorCode.TRANSITION_ROLE, spec.params(lw))


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_out_of_subtree(lw, action) -> None:
    spec, t = SPECS[action], TRANSITIONS[action]
    p = in_state(lw, sorted(t.sources)[0])
    if spec.prepare:
        spec.prepare(lw, p)
    role = RoleAssignment.objects.filter(user=lw.users[spec.who]).values_list("role", flat=True).first()
    assert role is not None
    outsider = user_with(role, lw.u["town_b"])
    refused(lw, p, outsider, action, ErrorCode.PERMISSION_DENIED, spec.params(lw))


def test_unknown_action(lw) -> None:
    p = lw.submit().problem
    refused(lw, p, lw.users["county_office"], "escalate", ErrorCode.TRANSITION_BAD_VALUE, {})


def test_assign_to_a_unit_outside_the_dispatchers_subtree(lw) -> None:
    b_office = lw.users["b_office"]
    p = lw.submit(unit_key="village_b").problem
    refused(lw, p, b_office, Action.ASSIGN, ErrorCode.PERMISSION_DENIED, {"responsible_unit": lw.u["town_a"]})


# -- extensions: the petition rule allows at most 30 working days ---------------------------------


@pytest.fixture
def petition(lw) -> Problem:
    DeadlineRule.objects.update_or_create(
        source=Source.PETITION_BACKLOG,
        channel="",
        urgency="",
        defaults={"accept_days": 15, "handle_days": 60, "max_extension_days": 30},
    )
    facts = ProblemFacts(
        title="信访积案", description="多年未解决", unit=lw.u["village_a"], source=Source.PETITION_BACKLOG
    )
    p = problem_register(actor=lw.users["county_intake"], facts=facts)
    p = problem_transition(
        actor=lw.users["county_office"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"]
    )
    return problem_transition(actor=lw.users["a_staff"], problem=p, action=Action.ACCEPT)


def _ask(lw, p: Problem, days: int) -> Problem:
    return problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.REQUEST_EXTENSION, days=days, reason="需协调"
    )


def _grant(lw, p: Problem) -> Problem:
    return problem_transition(actor=lw.users["county_office"], problem=p, action=Action.GRANT_EXTENSION)


def test_extension_limit(lw, petition) -> None:
    p = petition
    old_due = p.due_date
    p = _grant(lw, _ask(lw, p, 20))
    assert p.due_date == WorkCalendar().add_workdays(old_due, 20)
    ext = Extension.objects.get(problem=p)
    assert (ext.state, ext.old_due, ext.new_due) == (ExtensionState.GRANTED, old_due, p.due_date)
    with pytest.raises(DomainError) as err:
        _ask(lw, p, 11)
    assert err.value.code is ErrorCode.EXTENSION_TOO_LONG
    p = _ask(lw, p, 10)
    with pytest.raises(DomainError) as err:  # the pending 10 days count
        _ask(lw, p, 1)
    assert err.value.code is ErrorCode.EXTENSION_TOO_LONG
    p = _grant(lw, p)
    assert (
        sum(Extension.objects.filter(problem=p, state=ExtensionState.GRANTED).values_list("days", flat=True))
        == 30
    )


def test_grant_rechecks_the_limit(lw, petition) -> None:
    p = _ask(lw, petition, 25)
    DeadlineRule.objects.filter(source=Source.PETITION_BACKLOG).update(max_extension_days=20)
    refused(lw, p, lw.users["county_office"], Action.GRANT_EXTENSION, ErrorCode.EXTENSION_TOO_LONG, {})


def test_deny_keeps_the_deadline_and_grant_needs_a_request(lw, petition) -> None:
    p = _ask(lw, petition, 5)
    p = problem_transition(actor=lw.users["county_office"], problem=p, action=Action.DENY_EXTENSION)
    assert p.due_date == petition.due_date
    assert Extension.objects.get(problem=p).state == ExtensionState.DENIED
    refused(lw, p, lw.users["county_office"], Action.GRANT_EXTENSION, ErrorCode.EXTENSION_NONE_PENDING, {})


# -- merge and callback ---------------------------------------------------------------------------


def test_merge_moves_the_feedback(lw) -> None:
    a, b = lw.submit(), lw.submit()
    extra = lw.submit()
    Feedback.objects.filter(pk=extra.pk).update(problem=a.problem)
    p = problem_transition(
        actor=lw.users["county_office"], problem=a.problem, action=Action.MERGE, into=b.problem
    )
    assert p.state == State.MERGED and p.merged_into == b.problem
    assert set(Feedback.objects.filter(problem=b.problem).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
        extra.pk,
    }
    assert not Feedback.objects.filter(problem=p).exists()
    # not into itself, nor into a merged problem
    c = lw.submit().problem
    refused(lw, c, lw.users["county_office"], Action.MERGE, ErrorCode.MERGE_TARGET, {"into": c})
    refused(lw, c, lw.users["county_office"], Action.MERGE, ErrorCode.MERGE_TARGET, {"into": p})


@pytest.mark.parametrize("state", [State.RESOLVED, State.CLOSED])
def test_unsatisfied_callback_reopens(lw, state) -> None:
    p = in_state(lw, state)
    p = problem_transition(
        actor=lw.users["county_intake"],
        problem=p,
        action=Action.CALLBACK,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    assert p.state == State.RECTIFYING
    assert (p.resolution_kind, p.resolved_at, p.closed_at, p.satisfaction) == ("", None, None, "unsatisfied")
    ev = p.events.order_by("at", "id").last()
    assert ev is not None
    assert (ev.action, ev.from_state, ev.to_state) == (Action.REOPEN, state, State.RECTIFYING)
    # and it can be resolved again
    p = problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.RECTIFIED
    )
    assert p.state == State.RESOLVED


def test_bad_values_change_nothing(lw) -> None:
    p = in_state(lw, State.ACCEPTED)
    staff = lw.users["a_staff"]
    refused(lw, p, staff, Action.RESOLVE, ErrorCode.TRANSITION_BAD_VALUE, {"resolution_kind": "fixed"})
    refused(lw, p, staff, Action.RESOLVE, ErrorCode.TRANSITION_MISSING, {})
    r = in_state(lw, State.RESOLVED)
    refused(
        lw,
        r,
        lw.users["county_intake"],
        Action.CALLBACK,
        ErrorCode.TRANSITION_BAD_VALUE,
        {"satisfaction": "ok"},
    )


def test_event_time_is_the_given_time(lw) -> None:
    p = lw.submit().problem
    at = dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC)
    p = problem_transition(actor=lw.users["county_office"], problem=p, action=Action.NOTE, note="x", at=at)
    assert p.events.get(action=Action.NOTE).at == at
