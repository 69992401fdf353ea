"""study.*, orgs.following.* and lectures.*: counted from activities, rosters and lecturers.

Activities (2019; campaign 主题教育 unless said; P1..P7 people of the tree):

=====  ================  ============  ===========  ===========================================
no.    type              organiser     start        roster / headcount
=====  ================  ============  ===========  ===========================================
R1     读书班            town_a        10-10        P1 P2 P3
R2     读书班            village_a     11-01        P1 P4
R3     读书班            county        12-20 23:00  headcount 50
R4     读书班            town_a        12-21        P5 (after the as-of date)
R5     读书班            sibling_town  10-10        P6 (another county)
R6     读书班            town_a        10-12        P7 (其他专题)
S1     研讨              town_b        10-15        headcount 30
S2     研讨              town_a        10-16        P1 P2
M1     动员安排会        AG-1          10-01        headcount 20
C1     中心组学习会      AG-2          10-02        headcount 12
B1     支部学习会        EN-1          10-03        P3
V1     支部学习会        village_b     10-04        P4 (其他专题)
L1     专题党课          town_a        10-20        lecturers: a_secretary, a_deputy
L2     专题党课          county        11-05        lecturers: county_member, a_deputy, grid_secretary
L3     专题党课          town_b        12-21        lecturer: b_secretary (after the as-of date)
=====  ================  ============  ===========  ===========================================

County, campaign, as of 12-20: 读书班 R1 R2 R3 = 3 sessions, people P1 P2 P3 P4 = 4 (R3 has a
headcount only); 研讨 S1 S2 = 2 sessions, 30 + 2 = 32 person-times.
Following (organised at least one campaign activity): agencies AG-1, AG-2 (no category: an agency
by kind) = 2; townships town_a, town_b = 2; villages village_a = 1 (village_b only in 其他专题);
non-public EN-1 = 1 (SO-1 held nothing). The county itself has no bulletin category.
Secretaries (职务 contains 书记, unit with a party organisation): a_secretary (town_a),
b_secretary (town_b), v_secretary (village_a); grid_secretary's grid has none. Without a lecture
by 12-20: b_secretary, v_secretary = 2. Other lecturers: a_deputy, county_member,
grid_secretary = 3.
"""

from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.activities.models import Activity, ActivityType
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Person
from minqing.reports.metrics import MetricContext, compute
from minqing.reports.tests.test_metrics_world import AS_OF, MetricWorld, at, day, make_world, person

pytestmark = pytest.mark.django_db


def activity(
    mw: MetricWorld, code: str, organiser: str, when: Any, roster: Sequence[Person] = (), **kw: Any
) -> Activity:
    kw.setdefault("campaign", mw.campaign)
    a = activity_create(
        actor=SYSTEM, type=ActivityType.objects.get(code=code), organiser=mw.u[organiser],
        title=f"{code}@{organiser}", start=when, **kw,
    )  # fmt: skip
    for p in roster:
        attendance_check_in(actor=SYSTEM, activity=a, person=p)
    return a


@pytest.fixture
def sw(db: Any) -> MetricWorld:
    mw = make_world()
    P = {i: person(mw.u["town_a"], duties="") for i in range(1, 8)}
    people = {
        "a_secretary": person(mw.u["town_a"], duties="党工委书记"),
        "a_deputy": person(mw.u["town_a"], duties="办事处副主任"),
        "b_secretary": person(mw.u["town_b"], duties="党委书记"),
        "v_secretary": person(mw.u["village_a"], duties="党支部书记"),
        "grid_secretary": person(mw.u["grid_a"], duties="网格支部书记"),
        "county_member": person(mw.u["county"], duties="区委常委"),
    }
    activity(mw, "reading_class", "town_a", at(10, 10), [P[1], P[2], P[3]])
    activity(mw, "reading_class", "village_a", at(11, 1), [P[1], P[4]])
    activity(mw, "reading_class", "county", at(12, 20, 23), headcount=50)
    activity(mw, "reading_class", "town_a", at(12, 21), [P[5]])
    activity(mw, "reading_class", "sibling_town", at(10, 10), [P[6]])
    activity(mw, "reading_class", "town_a", at(10, 12), [P[7]], campaign=mw.other)
    activity(mw, "seminar", "town_b", at(10, 15), headcount=30)
    activity(mw, "seminar", "town_a", at(10, 16), [P[1], P[2]])
    activity(mw, "mobilisation", "ag_1", at(10, 1), headcount=20)
    activity(mw, "central_group", "ag_2", at(10, 2), headcount=12)
    activity(mw, "branch_study", "en_1", at(10, 3), [P[3]])
    activity(mw, "branch_study", "village_b", at(10, 4), [P[4]], campaign=mw.other)
    lecture = "party_lecture"
    activity(mw, lecture, "town_a", at(10, 20), lecturers=[people["a_secretary"], people["a_deputy"]])
    activity(
        mw, lecture, "county", at(11, 5),
        lecturers=[people["county_member"], people["a_deputy"], people["grid_secretary"]],
    )  # fmt: skip
    activity(mw, lecture, "town_b", at(12, 21), lecturers=[people["b_secretary"]])
    return mw


def test_study_counts(sw: MetricWorld) -> None:
    v = sw.values("county")
    assert (v["study.reading_class.sessions"], v["study.reading_class.people"]) == (3, 4)
    assert (v["study.seminar.sessions"], v["study.seminar.person_times"]) == (2, 32)
    assert v["study.mobilisation.sessions"] == 1
    assert v["study.central_group.sessions"] == 1
    assert v["study.branch_study.person_times"] == 1  # B1; V1 is of 其他专题
    assert v["study.exemplar.sessions"] == 0 and v["study.weekend_lecture.person_times"] == 0


def test_study_as_of_subtree_and_campaign(sw: MetricWorld) -> None:
    ids = ["study.reading_class.sessions", "study.reading_class.people"]
    assert list(sw.values("county", ids, as_of=day(10, 31)).values()) == [1, 3]  # R1 only
    assert list(sw.values("county", ids, as_of=day(12, 21)).values()) == [4, 5]  # + R4 (P5)
    assert list(sw.values("town_a", ids).values()) == [2, 4]  # R1, R2 (village_a is under town_a)
    assert list(sw.values("town_b", ids).values()) == [0, 0]
    assert list(sw.values("prefecture", ids).values()) == [4, 5]  # + R5 (P6)
    assert list(sw.values("county", ids, campaign=None).values()) == [4, 5]  # + R6 (P7)


def test_party_organisations_following(sw: MetricWorld) -> None:
    ids = [f"orgs.following.{c}" for c in ("agency", "township", "village", "non_public")]
    assert list(sw.values("county", ids).values()) == [2, 2, 1, 1]
    assert list(sw.values("county", ids, campaign=None).values()) == [2, 2, 2, 1]  # + village_b
    assert list(sw.values("town_a", ids).values()) == [0, 1, 1, 1]
    assert list(sw.values("county", ids, as_of=day(10, 2)).values()) == [2, 0, 0, 0]
    assert list(sw.values("prefecture", ids).values()) == [2, 3, 1, 1]  # + sibling_town


def test_lectures(sw: MetricWorld) -> None:
    ids = ["lectures.secretaries_without_lecture", "lectures.other_members.people"]
    assert list(sw.values("county", ids).values()) == [2, 3]
    assert list(sw.values("county", ids, as_of=day(12, 21)).values()) == [1, 3]  # b_secretary lectured
    assert list(sw.values("town_a", ids).values()) == [1, 1]  # v_secretary; a_deputy (L1)
    assert list(sw.values("county", ids, as_of=day(10, 19)).values()) == [3, 0]


def test_one_activity_counts_call_for_all_study_figures(sw: MetricWorld, monkeypatch: Any) -> None:
    from minqing.reports.metrics import study

    calls: list[Any] = []
    real = study.activity_counts

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(study, "activity_counts", counting)
    ctx = MetricContext(unit=sw.u["county"], as_of=AS_OF, campaign=sw.campaign, actor=SYSTEM)
    ids = [i for i in compute(ctx) if i.startswith("study.")]
    assert len(ids) == 13 and len(calls) == 1
    with CaptureQueriesContext(connection) as queries:
        compute(ctx, ids)  # the context's cache: nothing is counted again
    assert len(queries.captured_queries) == 0
