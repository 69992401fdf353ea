"""人员 import: good csv/xlsx, bad rows, idempotent re-import, changed rows refused."""

import pytest

from minqing.activities.tests.importing import fails, run, where, write
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db
H = ["人员编号", "姓名", "所属单位代码", "职级", "是否党员", "职务"]
ROWS = [
    ["P001", "张三", "150902001000", "科级", "是", "党工委书记"],
    ["P002", "李四", "150902101201", "", "否", ""],
    ["P003", "王五", "150902", "处级", "是", "区委书记"],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_file_imports_and_reimports_unchanged(tmp_path, suffix) -> None:
    u = small_tree()
    path = write(tmp_path / f"p{suffix}", H, ROWS)
    assert run("people", path).created == 3
    p = Person.objects.get(number="P001")
    assert (p.name, p.unit, p.path, p.rank, p.is_party_member, p.duties) == (
        "张三", u["town_a"], u["town_a"].path, Rank.SECTION, True, "党工委书记"
    )  # fmt: skip
    assert Person.objects.get(number="P002").rank == Rank.NONE
    assert Person.objects.get(number="P003").unit == u["county"]
    res = run("people", path)
    assert (res.created, res.unchanged) == (0, 3)


def test_bad_rows(tmp_path) -> None:
    small_tree()
    rows = [
        ROWS[0],
        ["P009", "", "NOPE", "局级", "也许", ""],
        ["P001", "张三", "150902001000", "科级", "是", "x"],
    ]
    issues = fails("people", write(tmp_path / "p.csv", H, rows))
    assert where(issues) == [(3, "姓名"), (3, "所属单位代码"), (3, "职级"), (3, "是否党员"), (4, "人员编号")]
    assert Person.objects.count() == 0


def test_changed_row_is_refused(tmp_path) -> None:
    small_tree()
    run("people", write(tmp_path / "p.csv", H, ROWS))
    issues = fails(
        "people", write(tmp_path / "q.csv", H, [["P002", "李四", "150902101201", "科员及以下", "否", ""]])
    )
    assert where(issues) == [(2, "人员编号")] and "职级" in str(issues[0])
