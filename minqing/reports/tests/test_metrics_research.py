"""research.*, visits.contact_points.* and plans.*.

Research topics (campaign 主题教育 unless said) and their interviews (person-times):

===  =========  ====  ========  ==========================================
no.  unit       key   created   interviews
===  =========  ====  ========  ==========================================
T1   town_a     yes   09-10     09-20: 100, 12-20: 50, 12-21: 7 (after)
T2   county     no    09-15     10-01: 20
T3   town_b     yes   12-21     12-21: 3 (both after the as-of date)
T4   sibling    yes   10-01     10-02: 1000 (another county)
T5   town_a     yes   10-01     10-05: 9 (其他专题)
===  =========  ====  ========  ==========================================

County as of 12-20: key topics T1 = 1; person-times 100 + 50 + 20 = 170. Division-level people:
county_leader (report on T2, 11-01) and a_leader (report on T1 only on 12-21): 1 without.

Contact-point visits (no campaign: the campaign period counts): village_a 10-01 and 10-02,
town_b 12-20, town_b 12-21 (after), sibling_town 10-01 (elsewhere), village_a 08-31 (before the
campaign); a household visit (not a contact point). County: 3.

Work plans (主题教育): county filed 09-05, passed 09-10; sibling county filed 09-06, returned
09-12, filed again 09-20; AG-P (under the city) filed 09-07, passed 12-21; AG-1 (under the
county) filed 09-08, passed 09-09; town_a filed 10-01; town_b filed 12-21; village_a for 其他专题.
"""

from typing import Any

import pytest

from minqing.activities.models import WorkPlan
from minqing.activities.services.research import interview_record, report_submit, topic_create
from minqing.activities.services.visits import visit_record
from minqing.activities.services.workplans import workplan_file, workplan_review
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Rank
from minqing.orgs.services.households import household_create
from minqing.reports.tests.test_metrics_world import MetricWorld, at, day, make_world, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(db: Any) -> MetricWorld:
    mw = make_world()
    county_leader = person(mw.u["county"], rank=Rank.DIVISION, duties="副区长")
    a_leader = person(mw.u["town_a"], rank=Rank.DIVISION, duties="调研员")
    cadre = person(mw.u["town_a"])

    def topic(unit: str, key: bool, when: Any, interviews: list[tuple[Any, int]], **kw: Any) -> Any:
        t = topic_create(
            actor=SYSTEM, title=f"课题@{unit}", leader=kw.pop("leader", county_leader), unit=mw.u[unit],
            campaign=kw.pop("campaign", mw.campaign), is_key=key, at=when,
        )  # fmt: skip
        for d, n in interviews:
            interview_record(actor=SYSTEM, topic=t, date=d, person_times=n)
        return t

    t1 = topic("town_a", True, at(9, 10), [(day(9, 20), 100), (day(12, 20), 50), (day(12, 21), 7)])
    t2 = topic("county", False, at(9, 15), [(day(10, 1), 20)])
    topic("town_b", True, at(12, 21), [(day(12, 21), 3)])
    topic("sibling", True, at(10, 1), [(day(10, 2), 1000)])
    topic("town_a", True, at(10, 1), [(day(10, 5), 9)], campaign=mw.other)
    report_submit(actor=SYSTEM, topic=t2, title="报告", author=county_leader, submitted_on=day(11, 1))
    report_submit(actor=SYSTEM, topic=t1, title="报告", author=a_leader, submitted_on=day(12, 21))

    for unit, d in (
        ("village_a", day(10, 1)),
        ("village_a", day(10, 2)),
        ("town_b", day(12, 20)),
        ("town_b", day(12, 21)),
        ("sibling_town", day(10, 1)),
        ("village_a", day(8, 31)),
    ):
        visit_record(actor=SYSTEM, cadre=cadre, date=d, unit=mw.u[unit])  # fmt: skip
    house = household_create(actor=SYSTEM, grid=mw.u["grid_a"], number="A1")
    visit_record(actor=SYSTEM, cadre=cadre, date=day(10, 3), household=house)

    def plan(unit: str, filed: Any, **kw: Any) -> WorkPlan:
        return workplan_file(
            actor=SYSTEM, unit=mw.u[unit], campaign=kw.get("campaign", mw.campaign), title="方案", at=filed
        )

    workplan_review(actor=SYSTEM, plan=plan("county", at(9, 5)), passed=True, at=at(9, 10))
    returned = workplan_review(
        actor=SYSTEM, plan=plan("sibling", at(9, 6)), passed=False, comments="重写", at=at(9, 12)
    )
    workplan_file(actor=SYSTEM, unit=mw.u["sibling"], campaign=mw.campaign, title="方案", plan=returned,
                  at=at(9, 20))  # fmt: skip
    workplan_review(actor=SYSTEM, plan=plan("ag_p", at(9, 7)), passed=True, at=at(12, 21))
    workplan_review(actor=SYSTEM, plan=plan("ag_1", at(9, 8)), passed=True, at=at(9, 9))
    plan("town_a", at(10, 1))
    plan("town_b", at(12, 21))
    plan("village_a", at(10, 1), campaign=mw.other)
    return mw


RESEARCH = ["research.topics.key", "research.interviews.person_times", "research.leaders_without_report"]


def test_research(rw: MetricWorld) -> None:
    assert list(rw.values("county", RESEARCH).values()) == [1, 170, 1]
    assert list(rw.values("county", RESEARCH, as_of=day(12, 21)).values()) == [2, 180, 0]
    assert list(rw.values("town_a", RESEARCH).values()) == [1, 150, 1]
    assert list(rw.values("prefecture", RESEARCH).values()) == [2, 1170, 1]
    # without a campaign: T5 (其他专题) counts too
    assert list(rw.values("county", RESEARCH, campaign=None).values()) == [2, 179, 1]


def test_visits_to_contact_points(rw: MetricWorld) -> None:
    key = "visits.contact_points.person_times"
    assert rw.values("county", [key])[key] == 3
    assert rw.values("county", [key], as_of=day(12, 21))[key] == 4
    assert rw.values("town_a", [key])[key] == 2
    assert rw.values("prefecture", [key])[key] == 4
    assert rw.values("county", [key], campaign=None)[key] == 4  # the year: + 08-31


PLANS = ["plans.filed", "plans.reviewed.county", "plans.reviewed.department"]


def test_work_plans(rw: MetricWorld) -> None:
    # the city: filed by the county, the sibling county, AG-P, AG-1, town_a
    assert list(rw.values("prefecture", PLANS).values()) == [5, 2, 0]
    # AG-P (directly under the city) passed on 12-21; town_b filed on 12-21
    assert list(rw.values("prefecture", PLANS, as_of=day(12, 21)).values()) == [6, 2, 1]
    # the county: its own plan, AG-1 (directly under the county), town_a
    assert list(rw.values("county", PLANS).values()) == [3, 1, 1]
    # a plan filed again keeps only its latest filing time: the sibling county's counts from its
    # review (09-12), the earliest date the records still show, not from 09-06
    assert list(rw.values("prefecture", PLANS, as_of=day(9, 9)).values()) == [3, 0, 0]
    assert list(rw.values("prefecture", PLANS, as_of=day(9, 12)).values()) == [4, 2, 0]
    assert list(rw.values("county", PLANS, campaign=None).values()) == [4, 1, 1]  # + village_a
