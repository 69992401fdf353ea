"""supervision.*: guidance groups and the rounds of their inspections.

G1 (sent by the county, units town_a and town_b): town_a 10-01 and town_b 10-02 (round 1),
town_a 10-10 and town_b 10-11 (round 2: the group came back), town_a 12-21 (round 3, after the
as-of date). G2 (county, village_a): 10-05, 10-06, 10-07 (rounds 1, 2, 3; a finding on 10-06).
G3 (sent by the sibling county): no inspection. G4 (county, 其他专题): one inspection.

County as of 12-20: 2 groups, rounds 2 and 3: the smallest is 2; as of 12-21: 3. City: 3 groups,
G3 has no round yet: 0.
"""

from typing import Any

import pytest

from minqing.ledger.enums import Source
from minqing.ledger.models import Problem
from minqing.orgs.actors import SYSTEM
from minqing.reports.tests.test_metrics_world import MetricWorld, at, day, make_world
from minqing.supervision.enums import InspectionKind
from minqing.supervision.services.groups import group_create
from minqing.supervision.services.inspections import FindingSpec, inspection_record

pytestmark = pytest.mark.django_db
IDS = ["supervision.groups", "supervision.rounds.min_per_group"]


@pytest.fixture
def gw(db: Any) -> MetricWorld:
    mw = make_world()
    u = mw.u

    def group(name: str, sender: str, units: list[str], campaign: Any = None) -> Any:
        return group_create(
            actor=SYSTEM, name=name, campaign=campaign or mw.campaign, unit=u[sender],
            units=[u[k] for k in units], at=at(9, 2),
        )  # fmt: skip

    def visit(g: Any, unit: str, d: Any, **kw: Any) -> None:
        inspection_record(actor=SYSTEM, group=g, unit=u[unit], date=d, kind=InspectionKind.SPOT_CHECK, **kw)

    g1 = group("第一指导组", "county", ["town_a", "town_b"])
    for unit, d in (
        ("town_a", day(10, 1)),
        ("town_b", day(10, 2)),
        ("town_a", day(10, 10)),
        ("town_b", day(10, 11)),
        ("town_a", day(12, 21)),
    ):
        visit(g1, unit, d)  # fmt: skip
    g2 = group("第二指导组", "county", ["village_a"])
    visit(g2, "village_a", day(10, 5))
    visit(g2, "village_a", day(10, 6), findings=[FindingSpec("学习记录不全")])
    visit(g2, "village_a", day(10, 7))
    group("卓资县指导组", "sibling", ["sibling_town"])
    g4 = group("其他指导组", "county", ["town_a"], campaign=mw.other)
    visit(g4, "town_a", day(10, 1))
    return mw


def test_groups_and_rounds(gw: MetricWorld) -> None:
    assert list(gw.values("county", IDS).values()) == [2, 2]
    assert list(gw.values("county", IDS, as_of=day(12, 21)).values()) == [2, 3]
    assert list(gw.values("county", IDS, as_of=day(10, 6)).values()) == [2, 1]
    assert list(gw.values("prefecture", IDS).values()) == [3, 0]
    assert list(gw.values("sibling", IDS).values()) == [1, 0]
    assert list(gw.values("town_a", IDS).values()) == [0, 0]  # sent by the county, not by town A
    assert list(gw.values("county", IDS, campaign=gw.other).values()) == [1, 1]


def test_findings_enter_the_ledger_as_supervision_problems(gw: MetricWorld) -> None:
    assert Problem.objects.filter(source=Source.SUPERVISION, campaign=gw.campaign).count() == 1
    # not from the public nor self-inspection: no problem figure of those counts it
    v = gw.values("county", ["problems.public_self.count", "problems.prominent.resolved"])
    assert v == {"problems.public_self.count": 0, "problems.prominent.resolved": 0}
