"""Bulk registration writes what the services write: the same fields, version and events, and
the state as of any date read from the events equals the state the history had then."""

import dataclasses
import datetime as dt
import io
import itertools
from collections import defaultdict
from typing import Any

import pytest
from django.utils import timezone

from minqing.core.workdays import WorkCalendar
from minqing.demo.context import DemoContext
from minqing.demo.runner import run_demo
from minqing.demo.stages import ledger as demo_stages
from minqing.demo.tiers import MINI
from minqing.ledger.enums import Action, Channel, Moderation, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.selectors import public_problem_list
from minqing.ledger.services.bulk import ProblemRow, Step, problems_bulk_register
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.services.bulk import ref_of

pytestmark = pytest.mark.django_db

NOT_TRANSITIONS = {Action.REGISTER, Action.ESCALATE}  # events that do not bump the version


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 9, day, hour))


def test_bulk_row_equals_the_service_path(lw) -> None:
    cal = WorkCalendar({})
    town = lw.u["town_a"]
    steps = [
        Step(Action.ASSIGN, at(2), unit=ref_of(town)),
        Step(Action.ACCEPT, at(3)),
        Step(Action.START, at(4)),
        Step(Action.RESOLVE, at(10), resolution_kind=ResolutionKind.RECTIFIED, measures="修好"),
        Step(Action.CALLBACK, at(11), satisfaction=Satisfaction.UNSATISFIED),
        Step(Action.RESOLVE, at(15), resolution_kind=ResolutionKind.ON_THE_SPOT),
        Step(Action.CLOSE, at(16)),
    ]
    row = ProblemRow(
        "BULK-1", "路灯不亮", "村口路灯", ref_of(lw.u["village_a"]), Source.PUBLIC, at(1), Channel.CALL
    )
    row.steps = steps
    problems_bulk_register([row], cal)
    bulk = Problem.objects.get(number="BULK-1")

    facts = ProblemFacts(
        "路灯不亮", "村口路灯", lw.u["village_a"], Source.PUBLIC, Channel.CALL, registered_at=at(1)
    )
    p = problem_register(actor=SYSTEM, facts=dataclasses.replace(facts, number="SVC-1"), calendar=cal)
    for s in steps:
        params: dict[str, Any] = {
            "resolution_kind": s.resolution_kind,
            "measures": s.measures,
            "satisfaction": s.satisfaction,
        }
        if s.unit:
            params["responsible_unit"] = town
        params = {k: v for k, v in params.items() if v}
        p = problem_transition(actor=SYSTEM, problem=p, action=s.action, at=s.at, calendar=cal, **params)

    compare = [f.attname for f in Problem._meta.concrete_fields if f.attname not in ("id", "number")]
    assert {k: getattr(bulk, k) for k in compare} == {k: getattr(p, k) for k in compare}

    def log(problem):
        return list(
            ProblemEvent.objects.filter(problem=problem).values_list(
                "at", "actor", "action", "from_state", "to_state", "note", "public", "data"
            )
        )

    assert log(bulk) == log(p)


def state_as_of(events: list[tuple[dt.datetime, str]], when: dt.datetime) -> str:
    state = ""
    for t, to_state in events:
        if t > when:
            break
        if to_state:
            state = to_state
    return state


def test_mini_demo_as_of_state_from_events_equals_the_history() -> None:
    report = run_demo(tier=MINI, seed=3, out=io.StringIO(), progress=False)
    counts = dict((name, c) for name, _label, c, _t in report.stages)
    assert counts["problems"]["problems"] == MINI.targets["problems"] == Problem.objects.count()
    events: dict[int, list[tuple[dt.datetime, str, str, str]]] = defaultdict(list)
    for pid, t, action, frm, to in ProblemEvent.objects.order_by("at", "id").values_list(
        "problem_id", "at", "action", "from_state", "to_state"
    ):
        events[pid].append((t, action, frm, to))
    problems = list(Problem.objects.values_list("id", "number", "state", "version", "overdue"))
    states = {s for _i, _n, s, _v, _o in problems}
    assert {State.CLOSED, State.RESOLVED, State.RECTIFYING, State.ASSIGNED, State.REGISTERED} <= states
    assert any(o for *_rest, o in problems)  # the job ran as of the demo's last day
    for pid, _number, state, version, _overdue in problems:
        evs = events[pid]
        assert evs[0][1] == Action.REGISTER
        for prev, cur in itertools.pairwise(evs):
            assert cur[2] == prev[3], (pid, prev, cur)  # each event starts where the last ended
        assert evs[-1][3] == state
        assert version == sum(1 for e in evs if e[1] not in NOT_TRANSITIONS)

    # the demo's published list shows its problems; the residents' reports of its last week
    # wait for moderation (issue 14), with their masked title suggested
    assert public_problem_list().paginator.count > MINI.targets["problems"] // 2
    pending = Problem.objects.filter(moderation=Moderation.PENDING)
    assert pending.exists() and not pending.exclude(source=Source.PUBLIC).exists()
    assert not pending.filter(is_public=True).exists() and not pending.filter(public_title="").exists()

    # as of a past date: the events say what the generated history says
    ctx = DemoContext(tier=MINI, seed=3, progress=False)
    w = demo_stages._world()
    rows = demo_stages.block_rows(ctx, w, 0, 0, MINI.targets["problems"])
    ids = dict(Problem.objects.values_list("number", "id"))
    when = timezone.make_aware(dt.datetime(2025, 7, 1))
    for r in rows:
        expected = "" if r.registered_at > when else State.REGISTERED
        for s in r.steps:
            if s.at <= when:
                expected = _after(expected, s)
        got = state_as_of([(t, to) for t, _a, _f, to in events[ids[r.number]]], when)
        assert got == expected, r.number


def _after(state: str, s: Step) -> str:
    if s.action == Action.CALLBACK:
        return State.RECTIFYING if s.satisfaction == Satisfaction.UNSATISFIED else State.CLOSED
    after: dict[str, str] = {
        Action.ASSIGN: State.ASSIGNED,
        Action.RETURN: State.RETURNED,
        Action.ACCEPT: State.ACCEPTED,
        Action.START: State.RECTIFYING,
        Action.RESOLVE: State.RESOLVED,
        Action.CLOSE: State.CLOSED,
    }
    return after[s.action]
