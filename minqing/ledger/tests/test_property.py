"""Random sequences of (actor, action, params) against a few problems never reach an invalid state.

A hypothesis state machine drives ``problem_transition`` with every user of the ledger world
(right and wrong roles, in and out of the subtree) and every action of the table. After each
step: every state is a valid State and equals the last event's to_state; versions only grow
(and grow exactly when an event is written); counts by state add up to the number of problems;
merged problems point at their target, closed ones have closed_at, resolved ones a resolution.
Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
"""

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from minqing.core.errors import DomainError
from minqing.ledger.enums import ResolutionKind, Satisfaction, State
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.services.workflow import TRANSITIONS, problem_transition

pytestmark = pytest.mark.django_db

N_PROBLEMS = 3
USERS = [
    "root",
    "county_office",
    "county_intake",
    "county_leader",
    "a_staff",
    "village_a_staff",
    "b_staff",
    "b_office",
    "viewer",
]
UNITS = ["town_a", "town_b", "village_a", "county"]
ACTIONS = sorted(TRANSITIONS)
STAFF = ["a_staff", "b_staff"]
# Users whose role fits each action (scope permitting), so that random walks get deep.
FITTING: dict[str, list[str]] = {
    "assign": ["county_intake", "county_office", "b_office"],
    "accept": STAFF,
    "return": STAFF,
    "claim": ["county_leader"],
    "start": STAFF,
    "request_extension": STAFF,
    "grant_extension": ["county_office", "county_leader"],
    "deny_extension": ["county_office", "b_office"],
    "resolve": STAFF,
    "close": ["county_office", "b_office"],
    "callback": ["county_intake"],
    "merge": ["county_office", "county_intake"],
    "note": ["viewer", "a_staff"],
}


VALUES = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "kind": st.sampled_from(ResolutionKind.values),
        "satisfaction": st.sampled_from(Satisfaction.values),
        "days": st.integers(1, 12),
    }
)


def make_machine(lw: Any, reached: set[str]) -> type[RuleBasedStateMachine]:
    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.ids: list[int] = []
            self.versions: dict[int, int] = {}
            self.events: dict[int, int] = {}

        @initialize()
        def register(self) -> None:
            for key in ("village_a", "village_a", "village_b"):
                p = lw.submit(unit_key=key).problem
                self.ids.append(p.pk)
                self.versions[p.pk] = p.version
                self.events[p.pk] = 1

        def apply(self, user: str, action: str, i: int, j: int, values: dict[str, Any]) -> None:
            p = Problem.objects.get(pk=self.ids[i])
            params = {
                "responsible_unit": lw.u[values["unit"]],
                "resolution_kind": values["kind"],
                "satisfaction": values["satisfaction"],
                "into": Problem.objects.get(pk=self.ids[j]),
                "days": values["days"],
                "reason": "需要时间",
                "note": "说明",
            }
            before = (p.state, p.version, p.events.count())
            try:
                after = problem_transition(actor=lw.users[user], problem=p, action=action, **params)
            except DomainError:
                p.refresh_from_db()
                assert (p.state, p.version, p.events.count()) == before
                return
            reached.add(after.state)
            assert after.version == before[1] + 1
            assert after.events.count() == before[2] + 1

        @rule(
            user=st.sampled_from(USERS),
            action=st.sampled_from(ACTIONS),
            i=st.integers(0, N_PROBLEMS - 1),
            j=st.integers(0, N_PROBLEMS - 1),
            values=VALUES,
        )
        def anything(self, user: str, action: str, i: int, j: int, values: dict[str, Any]) -> None:
            """Any user, any action: mostly refused."""
            self.apply(user, action, i, j, values)

        @rule(
            pick=st.integers(0, 1000),
            who=st.integers(0, 1000),
            i=st.integers(0, N_PROBLEMS - 1),
            j=st.integers(0, N_PROBLEMS - 1),
            values=VALUES,
        )
        def advance(self, pick: int, who: int, i: int, j: int, values: dict[str, Any]) -> None:
            """An action the problem's state allows, by a user whose role fits it (scope permitting)."""
            state = Problem.objects.values_list("state", flat=True).get(pk=self.ids[i])
            actions = [a for a in ACTIONS if state in TRANSITIONS[a].sources]
            action = actions[pick % len(actions)]
            users = FITTING[action]
            self.apply(users[who % len(users)], action, i, j, values)

        @invariant()
        def consistent(self) -> None:
            if not self.ids:
                return
            problems = list(Problem.objects.filter(pk__in=self.ids))
            for p in problems:
                assert p.state in State.values
                last = ProblemEvent.objects.filter(problem=p).order_by("at", "id").last()
                assert last is not None and last.to_state == p.state
                assert p.version >= self.versions[p.pk]
                count = ProblemEvent.objects.filter(problem=p).count()
                assert count - self.events[p.pk] == p.version - self.versions[p.pk]
                self.versions[p.pk], self.events[p.pk] = p.version, count
                if p.state == State.MERGED:
                    assert p.merged_into_id is not None and p.merged_into_id != p.pk
                if p.state == State.CLOSED:
                    assert p.closed_at is not None
                if p.state == State.RESOLVED:
                    assert p.resolution_kind in ResolutionKind.values and p.resolved_at is not None
                if p.state in (State.ASSIGNED, State.ACCEPTED, State.RECTIFYING):
                    assert p.responsible_unit_id is not None
            by_state = Problem.objects.filter(pk__in=self.ids).values("state").annotate(n=Count("id"))
            assert sum(row["n"] for row in by_state) == len(problems) == N_PROBLEMS

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    return Ledger


def test_random_transitions_keep_the_ledger_valid(lw) -> None:
    reached: set[str] = set()
    run_state_machine_as_test(
        make_machine(lw, reached),
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            derandomize=True,  # the same sequences on every run (and in CI)
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert Problem.objects.count() == 0  # every example rolled back
    # the walks went deep: most states were reached by some successful transition
    assert len(reached - {State.REGISTERED}) >= 5, reached
    assert {State.RESOLVED, State.MERGED} <= reached, reached
