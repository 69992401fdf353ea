"""``periods.registered_in``: the same problems whichever index it lets SQLite read them by."""

from typing import Any

import pytest

from minqing.core.paths import prefix_q
from minqing.ledger import periods
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import small_tree
from minqing.reports.tests.test_metrics_world import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("from_depth", [1, 9])  # the village read by its path, and by the date
def test_the_same_problems_by_either_index(from_depth: int, monkeypatch: Any) -> None:
    u = small_tree()
    for month, unit in ((9, "village_a"), (10, "village_a"), (10, "village_b"), (11, "village_a")):
        facts = ProblemFacts(title="t", description="d", unit=u[unit], registered_at=at(month, 5))
        problem_register(actor=SYSTEM, facts=facts)
    monkeypatch.setattr(periods, "BY_PATH_FROM_DEPTH", from_depth)
    start, end = at(10, 1), at(11, 1)
    got = periods.registered_in(start, end, u["village_a"].path).filter(prefix_q(u["village_a"].path))
    want = Problem.objects.filter(
        registered_at__gte=start, registered_at__lt=end, path__startswith=u["village_a"].path
    )
    assert sorted(got.values_list("pk", flat=True)) == sorted(want.values_list("pk", flat=True))
    assert got.count() == 1
