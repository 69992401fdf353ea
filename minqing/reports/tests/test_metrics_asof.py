"""``minqing.ledger.asof``: a problem's state and resolution kind as of a date, from its events."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.ledger.asof import AsOf, annotate_as_of, end_of, state_counts_as_of, states_as_of
from minqing.ledger.enums import Action, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import small_tree
from minqing.reports.tests.test_metrics_world import at, day

pytestmark = pytest.mark.django_db


def _problem(u: dict[str, Any], month: int, d: int, source: str = Source.PUBLIC) -> Problem:
    facts = ProblemFacts(
        title="t", description="d", unit=u["village_a"], source=source, registered_at=at(month, d)
    )
    return problem_register(actor=SYSTEM, facts=facts)


def _go(p: Problem, action: str, month: int, d: int, **params: Any) -> Problem:
    return problem_transition(actor=SYSTEM, problem=p, action=action, at=at(month, d), **params)


@pytest.fixture
def problems(db: Any) -> dict[str, Problem]:
    u = small_tree()
    a = _problem(u, 10, 1)
    a = _go(a, Action.ASSIGN, 10, 2, responsible_unit=u["town_a"])
    a = _go(a, Action.RESOLVE, 10, 5, resolution_kind=ResolutionKind.ON_THE_SPOT)
    a = _go(a, Action.CALLBACK, 10, 8, satisfaction=Satisfaction.UNSATISFIED)  # reopened: 整改中
    a = _go(a, Action.RESOLVE, 10, 12, resolution_kind=ResolutionKind.RECTIFIED)
    a = _go(a, Action.CLOSE, 10, 15)
    b = _problem(u, 10, 3, Source.SELF_INSPECTION)
    c = _problem(u, 10, 20)
    return {"a": a, "b": b, "c": c}


def test_state_and_resolution_kind_day_by_day(problems: dict[str, Problem]) -> None:
    qs = Problem.objects.filter(pk=problems["a"].pk)
    pk = problems["a"].pk
    expected = {
        day(9, 30): AsOf("", ""),
        day(10, 1): AsOf(State.REGISTERED, ""),
        day(10, 4): AsOf(State.ASSIGNED, ""),
        day(10, 5): AsOf(State.RESOLVED, ResolutionKind.ON_THE_SPOT),
        day(10, 8): AsOf(State.RECTIFYING, ""),  # the reopened problem has no resolution kind
        day(10, 12): AsOf(State.RESOLVED, ResolutionKind.RECTIFIED),
        day(10, 15): AsOf(State.CLOSED, ResolutionKind.RECTIFIED),  # closing keeps the kind
        day(12, 31): AsOf(State.CLOSED, ResolutionKind.RECTIFIED),
    }
    for when, want in expected.items():
        assert states_as_of(qs, when)[pk] == want, when


def test_annotate_and_grouped_counts_agree(problems: dict[str, Problem]) -> None:
    qs = Problem.objects.all()
    rows = annotate_as_of(qs, end_of(day(10, 6))).order_by("pk")
    got = [(p.state_as_of, p.resolution_kind_as_of) for p in rows]  # type: ignore[attr-defined]
    assert got == [(State.RESOLVED, ResolutionKind.ON_THE_SPOT), (State.REGISTERED, ""), ("", "")]
    counts = state_counts_as_of(qs, end_of(day(10, 9)), by=("source",))
    assert sorted((r["source"], r["state_as_of"], r["resolution_kind_as_of"], r["n"]) for r in counts) == [
        (Source.PUBLIC, "", "", 1),  # c: registered on 10-20
        (Source.PUBLIC, State.RECTIFYING, "", 1),
        (Source.SELF_INSPECTION, State.REGISTERED, "", 1),
    ]


def test_events_at_the_same_instant_go_by_id(problems: dict[str, Problem]) -> None:
    b = problems["b"]
    # assigned and resolved at the same instant (as an import does): the later event wins
    b = _go(b, Action.ASSIGN, 10, 4, responsible_unit=b.unit)
    _go(b, Action.RESOLVE, 10, 4, resolution_kind=ResolutionKind.EXPLAINED)
    assert states_as_of(Problem.objects.filter(pk=b.pk), day(10, 4))[b.pk] == AsOf(
        State.RESOLVED, ResolutionKind.EXPLAINED
    )


def test_one_query_whatever_the_number_of_problems(problems: dict[str, Problem]) -> None:
    with CaptureQueriesContext(connection) as queries:
        states_as_of(Problem.objects.all(), day(10, 9))
        state_counts_as_of(Problem.objects.all(), end_of(day(10, 9)), by=("source", "prominent"))
    assert len(queries.captured_queries) == 2


def test_the_log_is_read_only_for_problems_changed_since(problems: dict[str, Problem]) -> None:
    """``last_event_at`` (kept by triggers on the event log) is the latest event's time; after it
    the row's own state answers, before it the log does."""
    a = Problem.objects.get(pk=problems["a"].pk)
    latest = a.events.order_by("-at", "-id").first()
    assert latest is not None and a.last_event_at == latest.at == at(10, 15)
    # an event written without the services (an import's bulk insert) raises it too
    a.events.create(at=at(11, 2), action=Action.NOTE, from_state=State.CLOSED, to_state=State.CLOSED)
    a.events.create(at=at(10, 20), action=Action.NOTE, from_state=State.CLOSED, to_state=State.CLOSED)
    a.refresh_from_db()
    assert a.last_event_at == at(11, 2)  # never lowered by an older event
    # the row changed behind the log's back shows where the row is read: only after the latest event
    Problem.objects.filter(pk=a.pk).update(state=State.RECTIFYING, resolution_kind="")
    qs = Problem.objects.filter(pk=a.pk)
    assert states_as_of(qs, day(11, 1))[a.pk] == AsOf(State.CLOSED, ResolutionKind.RECTIFIED)  # the log
    assert states_as_of(qs, day(11, 2))[a.pk] == AsOf(State.RECTIFYING, "")  # the row
