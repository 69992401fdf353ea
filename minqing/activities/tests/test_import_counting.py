"""Counting rules on imported data, worked out by hand; and the bulk path against the services.

Tree: county > town A (> village A), town B (> village B). People P1, P2, P3 (town A), P4
(town B). Activities (2019):

=====  ==============  ========  ===================  ===============
no.    type            organiser start                roster / count
=====  ==============  ========  ===================  ===============
A1     支部学习会       town A    10-01 09:00          P1 P2 P3
A2     支部学习会       village A 10-02 09:00          P1 P4
A3     研讨            town A    10-03 09:00          headcount 40
A4     支部学习会       town B    10-05 09:00          P4
A5     支部学习会       town A    10-31 00:00          P2  (at the period's end: out)
A6     支部学习会       town A    09-30 23:59          P3  (before the period: out)
=====  ==============  ========  ===================  ===============

Period [10-01, 10-31). Town A: 支部学习会 2 sessions (A1, A2), 5 person-times, 4 people
(P1 at two sessions counts once; P4 of town B attended A2); 研讨 1 session, 40 person-times,
0 people (headcount only). County: 支部学习会 3 sessions, 6 person-times, 4 people. Village A:
1, 2, 2. County over [09-30, 11-01): 5 sessions, 8 person-times, 4 people.
"""

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone

from minqing.activities.counting import activity_counts
from minqing.activities.models import ActivityType, Attendance
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.activities.services.bulk import (
    ActivityRow,
    AttendanceRow,
    activities_bulk_create,
    attendance_bulk_create,
)
from minqing.activities.tests.importing import run, write
from minqing.core.errors import DomainError
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Person
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.tests.factories import PersonFactory, small_tree

pytestmark = pytest.mark.django_db
AH = ["活动编号", "专题名称", "活动类型", "组织单位代码", "开始时间", "结束时间", "标题", "参加人数"]


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2019, month, day, hour, minute))


def counts(unit, lo, hi):
    return {
        c.type.code: (c.sessions, c.person_times, c.people) for c in activity_counts(SYSTEM, unit, lo, hi)
    }


@pytest.fixture
def imported(tmp_path):
    u = small_tree()
    for n, unit in (("P1", "town_a"), ("P2", "town_a"), ("P3", "town_a"), ("P4", "town_b")):
        PersonFactory(number=n, unit=u[unit])
    acts = [
        ["A1", "", "支部学习会", "150902001000", "2019-10-01 09:00", "", "一", ""],
        ["A2", "", "支部学习会", "150902001001", "2019-10-02 09:00", "", "二", ""],
        ["A3", "", "研讨", "150902001000", "2019-10-03 09:00", "", "三", "40"],
        ["A4", "", "支部学习会", "150902101000", "2019-10-05 09:00", "", "四", ""],
        ["A5", "", "支部学习会", "150902001000", "2019-10-31 00:00", "", "五", ""],
        ["A6", "", "支部学习会", "150902001000", "2019-09-30 23:59", "", "六", ""],
    ]
    run("activities", write(tmp_path / "a.csv", AH, acts))
    roster = [("A1", "P1"), ("A1", "P2"), ("A1", "P3"), ("A2", "P1"), ("A2", "P4"), ("A4", "P4"),
              ("A5", "P2"), ("A6", "P3")]  # fmt: skip
    run(
        "attendance",
        write(tmp_path / "t.csv", ["活动编号", "人员编号", "签到时间"], [[a, p, ""] for a, p in roster]),
    )
    return u


def test_counting_rules_on_imported_data(imported) -> None:
    u = imported
    lo, hi = at(10, 1), at(10, 31)
    town = counts(u["town_a"], lo, hi)
    assert town["branch_study"] == (2, 5, 4)
    assert town["seminar"] == (1, 40, 0)
    assert counts(u["county"], lo, hi)["branch_study"] == (3, 6, 4)
    assert counts(u["county"], lo, hi)["seminar"] == (1, 40, 0)
    assert counts(u["village_a"], lo, hi)["branch_study"] == (1, 2, 2)
    assert counts(u["town_b"], lo, hi)["branch_study"] == (1, 1, 1)
    assert counts(u["county"], at(9, 30), at(11, 1))["branch_study"] == (5, 8, 4)
    # the edges: a minute earlier takes A6 in; the end is exclusive
    assert counts(u["town_a"], at(9, 30, 23, 59), hi)["branch_study"] == (3, 6, 4)
    assert counts(u["town_a"], lo, at(10, 31, 0, 1))["branch_study"] == (3, 6, 4)


def test_bulk_path_counts_like_the_services() -> None:
    """The same plan through activity_create/attendance_check_in (town A) and the bulk service (town B)."""
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    lecture = ActivityType.objects.get(code="party_lecture")
    plan = [  # (type, day, headcount, attendees by index)
        (reading, 1, None, [0, 1, 2]),
        (reading, 2, None, [0]),
        (lecture, 3, 25, []),
        (lecture, 4, None, [1, 2, 3]),
        (reading, 30, None, [3]),  # out of the period below
    ]
    a_people: list[Person] = [cast(Person, PersonFactory(unit=u["town_a"])) for _ in range(4)]
    b_people: list[Person] = [cast(Person, PersonFactory(unit=u["town_b"])) for _ in range(4)]
    for i, (t, day, hc, who) in enumerate(plan):
        a = activity_create(
            actor=SYSTEM, type=t, organiser=u["town_a"], title=f"s{i}", start=at(10, day, 9), headcount=hc
        )
        for k in who:
            attendance_check_in(actor=SYSTEM, activity=a, person=a_people[k])
    activities_bulk_create(
        ActivityRow(f"BK{i}", t.pk, ref_of(u["town_b"]), f"b{i}", at(10, day, 9), headcount=hc)
        for i, (t, day, hc, _who) in enumerate(plan)
    )
    from minqing.activities.models import Activity

    ids = {a.number: a.pk for a in Activity.objects.filter(number__startswith="BK")}
    rows = [
        AttendanceRow(ids[f"BK{i}"], b_people[k].pk, at(10, day, 8))
        for i, (_t, day, _hc, who) in enumerate(plan)
        for k in who
    ]
    res = attendance_bulk_create([*rows, rows[0]])  # a repeat is skipped: one row per person per activity
    assert (res.created, res.skipped) == (len(rows), 1)
    lo, hi = at(10, 1), at(10, 29)
    assert counts(u["town_a"], lo, hi) == counts(u["town_b"], lo, hi)
    assert counts(u["town_b"], lo, hi)["reading_class"] == (2, 4, 3)
    assert counts(u["town_b"], lo, hi)["party_lecture"] == (2, 28, 3)
    for row in Attendance.objects.select_related("activity"):
        assert (row.path, row.start, row.type_id) == (
            row.activity.path,
            row.activity.start,
            row.activity.type_id,
        )
    with pytest.raises(DomainError):  # no roster for a headcount-only activity
        attendance_bulk_create([AttendanceRow(ids["BK2"], b_people[0].pk, at(10, 3, 8))])
