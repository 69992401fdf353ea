"""问题 import: what each enumerated, yes/no and time column accepts besides its canonical words."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.core.importing import ImportFailed
from minqing.ledger.importers.problems import import_problems
from minqing.ledger.models import Problem
from minqing.ledger.tests.test_import_problems import row, world, write_csv
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the fixture


def imported(tmp_path, rows: list[dict[str, str]]) -> list[Problem]:
    numbered = [{**r, "问题编号": f"V-{i}"} for i, r in enumerate(rows)]
    assert import_problems(write_csv(tmp_path / "p.csv", numbered), actor=SYSTEM).created == len(rows)
    return [Problem.objects.get(number=f"V-{i}") for i in range(len(rows))]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


def cases(text: str) -> dict[str, str]:
    """``"value: word word | value: word"`` -> ``{word: value}`` (the code values of the enumeration)."""
    out: dict[str, str] = {}
    for part in text.split("|"):
        value, words = part.split(":")
        out.update((word, value.strip()) for word in words.split())
    return out


def resolved(**over: str) -> dict[str, str]:
    """A row in 已办结 (so 办结时间 and 办结方式 may be given)."""
    base = {"状态": "已办结", "责任单位代码": "150902001000", "办结时间": "2019-09-02", "办结方式": "转办"}
    return row(**{**base, **over})


def assigned(**over: str) -> dict[str, str]:
    return row(**{"责任单位代码": "150902001000", **over})


def closed(**over: str) -> dict[str, str]:
    return resolved(**{"状态": "已销号", **over})


# column, Problem field, the row the word goes in, "value: words | value: words"
ENUMERATIONS = [
    (
        "来源",
        "source",
        row,
        "public: 群众反映 群众 public | self_inspection: 自查 检视 | petition_backlog: 积案"
        " | supervision: 督导 | research: 调研 research",
    ),
    (
        "渠道",
        "channel",
        row,
        "call: 来电 电话 热线 ＣＡＬＬ | letter: 来信 信件 信函"
        " | visit: 来访 上访 | online: 网络 网上 线上 online",
    ),
    (
        "状态",
        "state",
        assigned,
        "registered: 已登记 登记 | assigned: 交办 | accepted: 受理"
        " | rectifying: 整改 正在整改 rectifying | returned: 退回",
    ),
    ("状态", "state", resolved, "resolved: 已办结 办结 | closed: 销号 closed"),
    (
        "办结方式",
        "resolution_kind",
        resolved,
        "on_the_spot: 立行立改 即知即改 立即整改 | rectified: 限时整改 | explained: 解释 explained"
        " | transferred: 转交",
    ),
    ("满意度", "satisfaction", closed, "satisfied: 满意 非常满意 | basically_satisfied: 基本满意"),
]


@pytest.mark.parametrize(("column", "field", "make", "text"), ENUMERATIONS)
def test_enumerated_column_accepts_label_code_and_synonyms(
    world, tmp_path, column, field, make, text
) -> None:
    words = cases(text)
    problems = imported(tmp_path, [make(**{column: w}) for w in words])
    assert [getattr(p, field) for p in problems] == list(words.values())


@pytest.mark.parametrize("word", ["信访", "走访"])
def test_channel_refuses_ambiguous_words(world, tmp_path, word) -> None:
    with pytest.raises(ImportFailed) as exc:
        import_problems(write_csv(tmp_path / "p.csv", [row(渠道=word)]), actor=SYSTEM)
    assert [(i.row, i.column) for i in exc.value.issues] == [(2, "渠道")]
    assert "来信、来访、来电、网络" in str(exc.value.issues[0])


YES_NO = {"是": True, "Y": True, "1": True, "√": True, "✓": True, "对": True, "yes": True, "否": False}
YES_NO |= {"N": False, "0": False, "×": False, "✗": False, "错": False, "no": False, "": False}


@pytest.mark.parametrize(("column", "field"), [("是否突出问题", "prominent"), ("是否必解问题", "must_solve")])
def test_yes_no_column_accepts_every_way_of_writing_yes_and_no(world, tmp_path, column, field) -> None:
    problems = imported(tmp_path, [row(**{column: w}) for w in YES_NO])
    assert [getattr(p, field) for p in problems] == list(YES_NO.values())


REGISTERED = {
    "2019/9/1": local(2019, 9, 1),
    "2019.9.1": local(2019, 9, 1),
    "2019年9月1日": local(2019, 9, 1),
    "20190901": local(2019, 9, 1),
    "43709": local(2019, 9, 1),  # an Excel serial
    "2019年9月1日 10时30分": local(2019, 9, 1, 10, 30),
    "2019/9/1 10:30": local(2019, 9, 1, 10, 30),
}


def test_registered_at_accepts_the_dates_offices_write(world, tmp_path) -> None:
    problems = imported(tmp_path, [row(登记时间=w) for w in REGISTERED])
    assert [p.registered_at for p in problems] == list(REGISTERED.values())


def test_resolved_at_accepts_the_dates_offices_write(world, tmp_path) -> None:
    words = ["2019/9/2", "2019年9月2日", "43710", "20190902 08:00"]
    problems = imported(tmp_path, [resolved(办结时间=w) for w in words])
    expected = [local(2019, 9, 2)] * 3 + [local(2019, 9, 2, 8)]
    assert [p.resolved_at for p in problems] == expected
