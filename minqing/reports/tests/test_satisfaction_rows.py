"""满意率 from the problems: ``judged_at`` and ``judgement`` (the latest valid judgement in the
log, kept by triggers on it) answer for problems not judged again since the end instant; the
log answers for the others. The counts equal reading the whole log, judgement by judgement."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.ledger.asof import end_of
from minqing.ledger.enums import Action, ResolutionKind, Satisfaction, State
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.satisfaction import SatisfactionCounts, satisfaction_counts
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import small_tree
from minqing.reports.tests.test_metrics_world import at, day

pytestmark = pytest.mark.django_db


def _judged(u: dict[str, Any], d: int, satisfaction: str) -> Problem:
    facts = ProblemFacts(title="t", description="d", unit=u["village_a"], registered_at=at(10, d))
    p = problem_register(actor=SYSTEM, facts=facts)
    p = problem_transition(
        actor=SYSTEM, problem=p, action=Action.ASSIGN, at=at(10, d), responsible_unit=u["town_a"]
    )
    p = problem_transition(
        actor=SYSTEM,
        problem=p,
        action=Action.RESOLVE,
        at=at(10, d + 1),
        resolution_kind=ResolutionKind.ON_THE_SPOT,
    )
    return problem_transition(
        actor=SYSTEM, problem=p, action=Action.CALLBACK, at=at(10, d + 2), satisfaction=satisfaction
    )


def _event(p: Problem, when: Any, action: str, value: str) -> ProblemEvent:
    """An event in ``p``'s log carrying a satisfaction, written without the services (as an import
    or a repair would), its state unchanged."""
    return ProblemEvent(
        problem=p, at=when, action=action, from_state=p.state, to_state=p.state, data={"satisfaction": value}
    )


def _counts(u: dict[str, Any], end_day: Any) -> SatisfactionCounts:
    return satisfaction_counts(SYSTEM, u["county"], at(1, 1), end_of(end_day))


def test_the_row_holds_the_latest_judgement_and_the_log_answers_before_it() -> None:
    u = small_tree()
    a = _judged(u, 1, Satisfaction.SATISFIED)  # judged on 10-03
    b = _judged(u, 5, Satisfaction.UNSATISFIED)  # judged on 10-07: reopened (整改中)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.judged_at, a.judgement) == (at(10, 3), Satisfaction.SATISFIED)
    assert (b.judged_at, b.judgement, b.state) == (at(10, 7), Satisfaction.UNSATISFIED, State.RECTIFYING)
    b = problem_transition(
        actor=SYSTEM, problem=b, action=Action.RESOLVE, at=at(10, 9), resolution_kind=ResolutionKind.RECTIFIED
    )
    b = problem_transition(
        actor=SYSTEM, problem=b, action=Action.CALLBACK, at=at(10, 10), satisfaction=Satisfaction.BASICALLY
    )
    b.refresh_from_db()
    assert (b.judged_at, b.judgement) == (at(10, 10), Satisfaction.BASICALLY)
    # an event without a valid judgement, or of another action, leaves the row alone
    _event(b, at(10, 11), Action.CALLBACK, "great").save()
    _event(b, at(10, 12), Action.NOTE, Satisfaction.UNSATISFIED).save()
    b.refresh_from_db()
    assert (b.judged_at, b.judgement) == (at(10, 10), Satisfaction.BASICALLY)
    assert _counts(u, day(10, 2)) == SatisfactionCounts()
    assert _counts(u, day(10, 3)) == SatisfactionCounts(satisfied=1)
    # b's row says 基本满意 (10-10); before that the log says 不满意 (10-07)
    assert _counts(u, day(10, 8)) == SatisfactionCounts(satisfied=1, unsatisfied=1)
    with CaptureQueriesContext(connection) as queries:
        assert _counts(u, day(10, 31)) == SatisfactionCounts(satisfied=1, basically=1)
    # one grouped query over the problems, after the problem rollup's check (not built here)
    first, count = (q["sql"] for q in queries.captured_queries)
    assert 'FROM "ledger_problemrollupstate"' in first
    assert 'FROM "ledger_problem" ' in count and "GROUP BY" in count


def test_a_bulk_insert_keeps_the_latest_of_the_statement() -> None:
    """An import writes many events in one statement (PostgreSQL's trigger runs once for it)."""
    u = small_tree()
    a = _judged(u, 1, Satisfaction.SATISFIED)
    rows = [
        _event(a, at(11, d), Action.CALLBACK, v)
        for d, v in ((5, Satisfaction.UNSATISFIED), (9, Satisfaction.BASICALLY), (7, Satisfaction.SATISFIED))
    ]
    ProblemEvent.objects.bulk_create(rows)
    a.refresh_from_db()
    assert (a.judged_at, a.judgement) == (at(11, 9), Satisfaction.BASICALLY)
    # an older judgement written later does not lower it
    _event(a, at(10, 20), Action.CALLBACK, Satisfaction.UNSATISFIED).save()
    a.refresh_from_db()
    assert (a.judged_at, a.judgement) == (at(11, 9), Satisfaction.BASICALLY)
    # two judgements at one instant: the later row wins, as reading the log does
    for v in (Satisfaction.UNSATISFIED, Satisfaction.SATISFIED):
        _event(a, at(11, 9), Action.REOPEN, v).save()
        a.refresh_from_db()
        assert (a.judged_at, a.judgement) == (at(11, 9), v)
    assert _counts(u, day(11, 6)) == SatisfactionCounts(unsatisfied=1)
    assert _counts(u, day(12, 1)) == SatisfactionCounts(satisfied=1)
