"""活动 and 签到 import: good csv/xlsx, bad rows, idempotent re-import, headcount/roster conflicts."""

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone

from minqing.activities.models import Activity, Attendance, CheckInMethod
from minqing.activities.tests.importing import fails, run, where, write
from minqing.campaigns.models import Campaign
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import PersonFactory, small_tree

pytestmark = pytest.mark.django_db
AH = ["活动编号", "专题名称", "活动类型", "组织单位代码", "开始时间", "结束时间", "标题", "参加人数"]
TH = ["活动编号", "人员编号", "签到时间"]


@pytest.fixture
def world():
    u = small_tree()
    Campaign.objects.create(
        name="主题教育", scope=u["province"], path=u["province"].path, start_date=dt.date(2019, 6, 1)
    )
    for n in ("P1", "P2", "P3"):
        PersonFactory(number=n, unit=u["town_a"])
    return u


ACTS = [
    ["A1", "主题教育", "支部学习会", "150902001000", "2019-10-01 09:00", "2019-10-01 11:00", "学习一", ""],
    ["A2", "", "研讨", "150902101000", "2019-10-02 14:30", "", "研讨会", "40"],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_activities_and_attendance(world, tmp_path, suffix) -> None:
    res = run("activities", write(tmp_path / f"a{suffix}", AH, ACTS))
    assert (res.created, res.unchanged) == (2, 0)
    a1, a2 = Activity.objects.get(number="A1"), Activity.objects.get(number="A2")
    assert a1.path == world["town_a"].path and a1.campaign is not None and a1.headcount is None
    assert a1.start == timezone.make_aware(dt.datetime(2019, 10, 1, 9)) and a1.short_code
    assert (a2.type.name, a2.headcount, a2.end, a2.campaign) == ("研讨", 40, None, None)
    rows = [["A1", "P1", "2019-10-01 08:50"], ["A1", "P2", ""]]
    assert run("attendance", write(tmp_path / f"t{suffix}", TH, rows)).created == 2
    att = Attendance.objects.get(person__number="P2")
    assert (att.path, att.start, att.type_id, att.checked_in_at) == (a1.path, a1.start, a1.type_id, a1.start)
    assert att.method == CheckInMethod.IMPORT
    # re-import: nothing changes
    assert run("activities", write(tmp_path / f"a{suffix}", AH, ACTS)).unchanged == 2
    res = run("attendance", write(tmp_path / f"t{suffix}", TH, rows))
    assert (res.created, res.unchanged) == (0, 2)
    assert Attendance.objects.count() == 2 and Activity.objects.count() == 2


def test_english_headers(world, tmp_path) -> None:
    headers = ["number", "campaign", "type", "organiser_code", "start", "end", "title", "headcount"]
    assert run("activities", write(tmp_path / "a.csv", headers, ACTS)).created == 2
    rows = [["A1", "P1", "2019-10-01 09:00"]]
    assert (
        run("attendance", write(tmp_path / "t.csv", ["activity", "person", "checked_in_at"], rows)).created
        == 1
    )


def test_bad_activity_rows(world, tmp_path) -> None:
    rows = [
        ACTS[0],
        ["A3", "没有的专题", "打牌", "X", "昨天", "2019-10-01", "", "-3"],
        ["A4", "", "研讨", "150902001000", "2019-10-02 10:00", "2019-10-02 09:00", "倒序", ""],
        ["A1", "", "研讨", "150902001000", "2019-10-02", "", "重复", ""],
    ]
    issues = fails("activities", write(tmp_path / "a.csv", AH, rows))
    assert where(issues) == [
        (3, "专题名称"),
        (3, "活动类型"),
        (3, "组织单位代码"),
        (3, "开始时间"),
        (3, "标题"),
        (3, "参加人数"),
        (4, "结束时间"),
        (5, "活动编号"),
    ]
    assert "第 2 行" in str(issues[-1])
    assert Activity.objects.count() == 0


def test_changed_activity_is_refused(world, tmp_path) -> None:
    run("activities", write(tmp_path / "a.csv", AH, ACTS))
    changed = [[*ACTS[0][:6], "学习一(改)", ""]]
    issues = fails("activities", write(tmp_path / "b.csv", AH, changed))
    assert where(issues) == [(2, "活动编号")]
    assert "已存在且内容不同" in str(issues[0]) and "标题" in str(issues[0])


def test_headcount_for_an_activity_with_a_roster_is_an_error(world, tmp_path) -> None:
    run("activities", write(tmp_path / "a.csv", AH, ACTS))
    run("attendance", write(tmp_path / "t.csv", TH, [["A1", "P1", "2019-10-01 09:00"]]))
    issues = fails("activities", write(tmp_path / "b.csv", AH, [[*ACTS[0][:7], "30"]]))
    assert where(issues) == [(2, "参加人数")] and "签到名单" in str(issues[0])
    assert Activity.objects.get(number="A1").headcount is None


def test_bad_attendance_rows(world, tmp_path) -> None:
    run("activities", write(tmp_path / "a.csv", AH, ACTS))
    rows = [
        ["A1", "P1", "2019-10-01 09:00"],
        ["A9", "P9", "不知道"],
        ["A2", "P2", ""],  # A2 is counted by headcount: no roster
        ["A1", "P1", ""],  # the same person twice on one activity
    ]
    issues = fails("attendance", write(tmp_path / "t.csv", TH, rows))
    assert where(issues) == [
        (3, "活动编号"),
        (3, "人员编号"),
        (3, "签到时间"),
        (4, "活动编号"),
        (5, "人员编号"),
    ]
    assert "按参加人数登记" in str(issues[3]) and "第 2 行" in str(issues[4])
    assert Attendance.objects.count() == 0


def test_attendance_in_the_database_with_another_time_is_refused(world, tmp_path) -> None:
    run("activities", write(tmp_path / "a.csv", AH, ACTS))
    run("attendance", write(tmp_path / "t.csv", TH, [["A1", "P1", "2019-10-01 09:00"]]))
    issues = fails(
        "attendance", write(tmp_path / "u.csv", TH, [["A1", "P1", "2019-10-01 09:05"], ["A1", "P2", ""]])
    )
    assert where(issues) == [(2, "人员编号")] and "签到时间" in str(issues[0])
    assert Attendance.objects.count() == 1


def test_large_attendance_file(world, tmp_path) -> None:
    """Thousands of rows go through the bulk path in one transaction."""
    people: list[str] = [cast(Person, PersonFactory(unit=world["town_a"])).number for _ in range(100)]
    acts = [[f"B{i}", "", "支部学习会", "150902001000", f"2019-10-{i % 28 + 1:02d} 09:00", "", f"学习{i}", ""]
            for i in range(50)]  # fmt: skip
    run("activities", write(tmp_path / "a.csv", AH, acts))
    rows = [[f"B{i}", p, ""] for i in range(50) for p in people]
    assert run("attendance", write(tmp_path / "t.csv", TH, rows)).created == 5000
    assert Attendance.objects.count() == 5000
