"""The queue's counts by state: the split count (SQLite) equals the plain OR count."""

import pytest
from django.db import connection

from minqing.ledger import selectors
from minqing.ledger.enums import Action
from minqing.ledger.models import Problem
from minqing.ledger.services.workflow import problem_transition

pytestmark = pytest.mark.django_db


def test_split_counts_equal_the_or_count(lw) -> None:
    office = lw.users["county_office"]
    lw.submit(unit_key="village_a")  # concerns town A
    lw.submit(unit_key="town_a")
    into_a = lw.submit(unit_key="village_b").problem  # concerns town B, assigned into town A
    problem_transition(actor=office, problem=into_a, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    own_b = lw.submit(unit_key="village_b").problem  # town B's, assigned inside town B
    problem_transition(actor=office, problem=own_b, action=Action.ASSIGN, responsible_unit=lw.u["town_b"])
    for user in ("a_staff", "b_staff", "county_office"):
        actor = lw.users[user]
        plain = selectors._count_by_state(
            Problem.objects.filter(selectors._tab_q(actor, selectors.QueueTab.UNIT))
        )
        split = selectors._split_state_counts(actor, selectors.QueueTab.UNIT, selectors.QueueFilters())
        if connection.vendor == "sqlite":
            assert split == plain, user
        else:
            assert split is None
        page = selectors.problem_queue(actor, tab=selectors.QueueTab.UNIT)
        assert page.state_counts == plain
    assert sum(plain.values()) == 4  # the county office sees all four
    a_counts = selectors.problem_queue(lw.users["a_staff"], tab=selectors.QueueTab.UNIT).state_counts
    assert sum(a_counts.values()) == 3
