"""人员 import: what each enumerated or yes/no column accepts besides its canonical words."""

import pytest

from minqing.activities.tests.importing import fails, run, write
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db
H = ["人员编号", "姓名", "所属单位代码", "职级", "是否党员", "职务"]


def imported(tmp_path, column: str, words: list[str]) -> list[Person]:
    """One person per word in ``column`` (职级 or 是否党员), imported; in file order."""
    small_tree()
    at = H.index(column)
    rows = []
    for i, word in enumerate(words):
        r = [f"P{i:03d}", f"人{i}", "150902001000", "", "", ""]
        r[at] = word
        rows.append(r)
    assert run("people", write(tmp_path / "p.csv", H, rows)).created == len(words)
    return [Person.objects.get(number=f"P{i:03d}") for i in range(len(words))]


RANKS = {
    "厅级": Rank.BUREAU,
    "副厅": Rank.BUREAU,
    "正厅级": Rank.BUREAU,
    "处级": Rank.DIVISION,
    "副处": Rank.DIVISION,
    "正处": Rank.DIVISION,
    "县处级": Rank.DIVISION,
    "科级": Rank.SECTION,
    "副科": Rank.SECTION,
    "正科": Rank.SECTION,
    "乡科级": Rank.SECTION,
    "科员及以下": Rank.STAFF,
    "一般干部": Rank.STAFF,
    "科员": Rank.STAFF,
    "办事员": Rank.STAFF,
    "无职级": Rank.NONE,
    "无": Rank.NONE,
    "section": Rank.SECTION,
    "Division level": Rank.DIVISION,
    "ＳＴＡＦＦ": Rank.STAFF,
}


def test_rank_accepts_the_grades_clerks_write(tmp_path) -> None:
    people = imported(tmp_path, "职级", list(RANKS))
    assert [p.rank for p in people] == list(RANKS.values())


def test_rank_still_refuses_an_unknown_grade(tmp_path) -> None:
    small_tree()
    rows = [["P1", "张三", "150902001000", "局级", "是", ""]]
    issues = fails("people", write(tmp_path / "p.csv", H, rows))
    assert [(i.row, i.column) for i in issues] == [(2, "职级")]
    assert "厅级、处级、科级、科员及以下、无职级" in str(issues[0])


MEMBER = {
    "是": True,
    "否": False,
    "Y": True,
    "N": False,
    "y": True,
    "n": False,
    "yes": True,
    "No": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
    "✓": True,
    "✗": False,
    "对": True,
    "错": False,
    "有": True,
    "无": False,
    "TRUE": True,
    "false": False,
    "": False,
}


def test_party_member_accepts_every_way_of_writing_yes_and_no(tmp_path) -> None:
    people = imported(tmp_path, "是否党员", list(MEMBER))
    assert [p.is_party_member for p in people] == list(MEMBER.values())


def test_the_command_imports_people_as_the_system(tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from minqing.core.models import AuditEvent

    small_tree()
    rows = [
        ["P1", "张三", "150902001000", "副处", "√", ""],
        ["P2", "李四", "150902001000", "一般干部", "N", ""],
    ]
    out = StringIO()
    call_command(
        "import_data", "people", str(write(tmp_path / "p.csv", H, rows)), stdout=out, stderr=StringIO()
    )
    assert "新增 2 条" in out.getvalue()
    assert [(p.rank, p.is_party_member) for p in Person.objects.order_by("number")] == [
        (Rank.DIVISION, True),
        (Rank.STAFF, False),
    ]
    assert AuditEvent.objects.filter(object_type="orgs.person", actor=None).exists()
