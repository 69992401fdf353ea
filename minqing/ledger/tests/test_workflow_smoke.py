"""The happy path through one service, end to end, and the reporter kept from the accused unit."""

import pytest

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.access import can_see_reporter
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, State
from minqing.ledger.models import ProblemEvent
from minqing.ledger.services.workflow import allowed_actions, problem_transition

pytestmark = pytest.mark.django_db


def test_lifecycle_to_closure_with_events(lw) -> None:
    fb = lw.submit(Channel.CALL, actor=lw.users["county_intake"])
    p = fb.problem
    assert p.state == State.REGISTERED and p.due_date and p.accept_due
    office, staff = lw.users["county_office"], lw.users["a_staff"]
    p = problem_transition(actor=office, problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    assert Action.ACCEPT in allowed_actions(staff, p)
    p = problem_transition(actor=staff, problem=p, action=Action.ACCEPT)
    p = problem_transition(actor=lw.users["county_leader"], problem=p, action=Action.CLAIM)
    assert p.claimed_by == lw.leader_person and p.must_solve
    p = problem_transition(actor=staff, problem=p, action=Action.START)
    p = problem_transition(
        actor=staff,
        problem=p,
        action=Action.RESOLVE,
        resolution_kind=ResolutionKind.RECTIFIED,
        measures="换灯",
    )
    p = problem_transition(
        actor=lw.users["county_intake"],
        problem=p,
        action=Action.CALLBACK,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    assert p.state == State.RECTIFYING
    p = problem_transition(
        actor=staff, problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.ON_THE_SPOT
    )
    p = problem_transition(actor=office, problem=p, action=Action.CLOSE)
    assert p.state == State.CLOSED
    actions = list(ProblemEvent.objects.filter(problem=p).values_list("action", flat=True))
    assert actions == [
        "register",
        "assign",
        "accept",
        "claim",
        "start",
        "resolve",
        "reopen",
        "resolve",
        "close",
    ]


def test_other_township_cannot_touch_it(lw) -> None:
    p = lw.submit().problem
    p = problem_transition(
        actor=lw.users["county_office"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"]
    )
    with pytest.raises(DomainError) as err:
        problem_transition(actor=lw.users["b_staff"], problem=p, action=Action.ACCEPT)
    assert err.value.code is ErrorCode.PERMISSION_DENIED
    p.refresh_from_db()
    assert p.state == State.ASSIGNED


def test_stale_version_loses(lw) -> None:
    p = lw.submit().problem
    v = p.version
    problem_transition(
        actor=lw.users["county_office"],
        problem=p,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
        expected_version=v,
    )
    with pytest.raises(DomainError) as err:
        problem_transition(
            actor=lw.users["county_office"],
            problem=p,
            action=Action.MERGE,
            into=lw.submit().problem,
            expected_version=v,
        )
    assert err.value.code is ErrorCode.TRANSITION_STALE


def test_reporter_hidden_from_the_accused_unit(lw) -> None:
    p = lw.submit(unit_key="town_a").problem
    assert can_see_reporter(lw.users["county_office"], p)
    assert can_see_reporter(lw.users["county_intake"], p)
    assert not can_see_reporter(lw.users["a_staff"], p)
    assert not can_see_reporter(lw.users["village_a_staff"], p)
    assert not can_see_reporter(lw.users["viewer"], p)
