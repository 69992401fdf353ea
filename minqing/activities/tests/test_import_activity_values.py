"""活动 import: what the time, type and headcount columns accept besides their canonical forms."""

import datetime as dt
from collections.abc import Sequence

import pytest
from django.utils import timezone

from minqing.activities.models import Activity
from minqing.activities.tests.importing import fails, run, write
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db
AH = ["活动编号", "专题名称", "活动类型", "组织单位代码", "开始时间", "结束时间", "标题", "参加人数"]


def imported(tmp_path, column: str, cells: Sequence[object], suffix: str = ".csv") -> list[Activity]:
    """One activity per cell in ``column``, imported; in file order."""
    small_tree()
    at = AH.index(column)
    rows = []
    for i, cell in enumerate(cells):
        r: list[object] = [f"A{i:03d}", "", "研讨", "150902001000", "2024-03-01 09:00", "", f"活动{i}", ""]
        r[at] = cell
        rows.append(r)
    assert run("activities", write(tmp_path / f"a{suffix}", AH, rows)).created == len(cells)  # type: ignore[arg-type]
    return [Activity.objects.get(number=f"A{i:03d}") for i in range(len(cells))]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


STARTS = {
    "2024-03-01": local(2024, 3, 1),
    "2024/3/1": local(2024, 3, 1),
    "2024.3.1": local(2024, 3, 1),
    "2024年3月1日": local(2024, 3, 1),
    "20240301": local(2024, 3, 1),
    "45352": local(2024, 3, 1),  # an Excel serial
    "2024/3/1 9:30": local(2024, 3, 1, 9, 30),
    "2024年3月1日 9时30分": local(2024, 3, 1, 9, 30),
    "45352.5": local(2024, 3, 1, 12),
}


def test_start_accepts_the_dates_offices_write(tmp_path) -> None:
    acts = imported(tmp_path, "开始时间", list(STARTS))
    assert [a.start for a in acts] == list(STARTS.values())


def test_start_accepts_real_excel_date_cells(tmp_path) -> None:
    cells: list[object] = [dt.datetime(2024, 3, 1, 9, 30), dt.date(2024, 3, 2)]
    acts = imported(tmp_path, "开始时间", cells, ".xlsx")
    assert [a.start for a in acts] == [local(2024, 3, 1, 9, 30), local(2024, 3, 2)]


def test_end_accepts_the_dates_offices_write(tmp_path) -> None:
    ends = ["2024/3/1 11:00", "2024年3月2日", "45353"]
    acts = imported(tmp_path, "结束时间", ends)
    assert [a.end for a in acts] == [local(2024, 3, 1, 11), local(2024, 3, 2), local(2024, 3, 2)]


def test_type_accepts_name_code_and_full_width(tmp_path) -> None:
    acts = imported(tmp_path, "活动类型", ["研讨", "seminar", "SEMINAR", "ｓｅｍｉｎａｒ", "支部学习会"])
    assert [a.type.code for a in acts] == ["seminar"] * 4 + ["branch_study"]


def test_headcount_accepts_grouped_and_excel_numbers(tmp_path) -> None:
    acts = imported(tmp_path, "参加人数", ["40", "1,200", "1,200", "40.0", "４０"])
    assert [a.headcount for a in acts] == [40, 1200, 1200, 40, 40]


def test_headcount_refuses_what_is_not_a_whole_number(tmp_path) -> None:
    small_tree()
    rows = [["A1", "", "研讨", "150902001000", "2024-03-01", "", "x", "40.5"]]
    issues = fails("activities", write(tmp_path / "a.csv", AH, rows))
    assert [(i.row, i.column) for i in issues] == [(2, "参加人数")]
