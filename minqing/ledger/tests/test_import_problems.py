"""``minqing import problems``: good files (csv, xlsx), bad rows, dated events, round-trip, re-import."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from minqing.campaigns.models import Campaign
from minqing.core.importing import IMPORTERS, ImportFailed
from minqing.core.importing.values import parse_datetime
from minqing.core.models import AuditEvent
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.exports import export_problems
from minqing.ledger.importers.problems import import_problems
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.problem_format import HEADERS
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ENGLISH = [
    "number",
    "campaign",
    "source",
    "channel",
    "title",
    "content",
    "unit_code",
    "responsible_unit_code",
    "registered_at",
    "prominent",
    "claimed_by",
    "must_solve",
    "state",
    "resolved_at",
    "resolution_kind",
    "measures",
    "satisfaction",
]


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def world(lw):
    Campaign.objects.create(
        name="主题教育", scope=lw.u["county"], path=lw.u["county"].path, start_date=dt.date(2019, 9, 1)
    )
    PersonFactory(number="P-LEAD-1", unit=lw.u["county"], name="张书记")
    return lw


def row(**over) -> dict[str, str]:
    base = {
        "问题编号": "WT-1",
        "专题名称": "主题教育",
        "来源": "群众反映",
        "渠道": "来电",
        "标题": "路灯不亮",
        "内容": "村口路灯坏了",
        "所属单位代码": "150902001001",
        "责任单位代码": "",
        "登记时间": "2019-09-01",
        "是否突出问题": "否",
        "认领人员编号": "",
        "是否必解问题": "否",
        "状态": "已登记",
        "办结时间": "",
        "办结方式": "",
        "整改措施": "",
        "满意度": "",
    }
    base.update(over)
    return base


GOOD_ROWS = [
    row(),
    row(
        问题编号="WT-2",
        来源="自我检视",
        渠道="",
        标题="会议室漏水",
        所属单位代码="150902001",  # short form of 150902001000
        责任单位代码="150902001000",
        登记时间="2019/9/3",
        状态="整改中",
        是否突出问题="是",
        认领人员编号="P-LEAD-1",
        是否必解问题="是",
    ),
    row(
        问题编号="WT-3",
        来源="信访积案",
        渠道="来信",
        标题="拖欠工程款",
        所属单位代码="150902",
        责任单位代码="150902001000",
        登记时间="2019-09-10 10:30",
        状态="已办结",
        办结时间="2019-11-02 16:00",
        办结方式="限期整改",
        整改措施="协调支付",
    ),
    row(
        问题编号="WT-4",
        专题名称="",
        来源="督导发现",
        渠道="",
        标题="台账不全",
        所属单位代码="G-A-01",
        责任单位代码="150902001001",
        登记时间="2019-10-08",
        状态="已销号",
        办结时间="2019-10-09",
        办结方式="立行立改",
        满意度="满意",
    ),
    row(
        问题编号="WT-5",
        来源="调研发现",
        渠道="网络",
        标题="路难走",
        状态="已交办",
        责任单位代码="150902001000",
    ),
]


def write_csv(path, rows, headers=HEADERS, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow(list(r.values()))
    return path


def state_as_of(p: Problem, day: dt.date) -> str:
    end = local(day.year, day.month, day.day) + dt.timedelta(days=1)
    ev = ProblemEvent.objects.filter(problem=p, at__lt=end).order_by("at", "id").last()
    return ev.to_state if ev else ""


def test_registered_in_the_importer_registry() -> None:
    assert IMPORTERS["problems"] == "minqing.ledger.importers.problems.import_problems"


def test_good_csv_imports_every_row(world, tmp_path) -> None:
    res = import_problems(write_csv(tmp_path / "p.csv", GOOD_ROWS), actor=SYSTEM)
    assert (res.created, res.unchanged) == (5, 0)
    p1, p2, p3, p4, p5 = (Problem.objects.get(number=f"WT-{i}") for i in range(1, 6))
    assert p1.state == State.REGISTERED and p1.channel == Channel.CALL and str(p1.campaign) == "主题教育"
    assert p1.registered_at == local(2019, 9, 1)
    assert p2.unit.code == "150902001000" and p2.source == Source.SELF_INSPECTION and p2.channel == ""
    assert p2.state == State.RECTIFYING and p2.prominent and p2.must_solve
    assert p2.claimed_by is not None and p2.claimed_by.number == "P-LEAD-1"
    assert p2.responsible_path == world.u["town_a"].path
    assert p2.registered_at == local(2019, 9, 3)
    assert p3.unit.code == "150902000000" and p3.registered_at == local(2019, 9, 10, 10, 30)
    assert p3.state == State.RESOLVED and p3.resolution_kind == ResolutionKind.RECTIFIED
    assert p3.resolved_at == local(2019, 11, 2, 16) and p3.measures == "协调支付"
    assert p4.state == State.CLOSED and p4.closed_at == local(2019, 10, 9)
    assert p4.satisfaction == Satisfaction.SATISFIED and p4.campaign is None
    assert p5.state == State.ASSIGNED
    # every problem's state is its last event's to_state; the columns the import writes with the
    # row (not by the log's triggers) are what the log says
    for p in (p1, p2, p3, p4, p5):
        events = list(p.events.order_by("at", "id"))
        assert events[-1].to_state == p.state and p.last_event_at == events[-1].at
        judged = [e for e in events if e.action in (Action.CALLBACK, Action.REOPEN)]
        last = (judged[-1].at, judged[-1].data["satisfaction"]) if judged else (None, None)
        assert (p.judged_at, p.judgement) == last
    assert (p4.judged_at, p4.judgement) == (local(2019, 10, 9), Satisfaction.SATISFIED)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, object_type="ledger.problem").exists()


def test_events_dated_as_the_rows_say(world, tmp_path) -> None:
    import_problems(write_csv(tmp_path / "p.csv", GOOD_ROWS), actor=SYSTEM)
    p3 = Problem.objects.get(number="WT-3")
    assert state_as_of(p3, dt.date(2019, 9, 9)) == ""
    assert state_as_of(p3, dt.date(2019, 9, 10)) == State.RECTIFYING
    assert state_as_of(p3, dt.date(2019, 11, 1)) == State.RECTIFYING
    assert state_as_of(p3, dt.date(2019, 11, 2)) == State.RESOLVED
    actions = list(p3.events.values_list("action", "at"))
    assert actions == [
        (Action.REGISTER, local(2019, 9, 10, 10, 30)),
        (Action.START, local(2019, 9, 10, 10, 30)),
        (Action.RESOLVE, local(2019, 11, 2, 16)),
    ]
    p4 = Problem.objects.get(number="WT-4")
    assert [e.action for e in p4.events.all()] == [
        Action.REGISTER,
        Action.START,
        Action.RESOLVE,
        Action.CALLBACK,
    ]
    assert state_as_of(p4, dt.date(2019, 10, 8)) == State.RECTIFYING
    assert state_as_of(p4, dt.date(2019, 10, 9)) == State.CLOSED
    p2 = Problem.objects.get(number="WT-2")
    assert [e.action for e in p2.events.all()] == [Action.REGISTER, Action.START, Action.CLAIM]
    assert all(e.actor is None for e in ProblemEvent.objects.all())  # the system


def test_good_xlsx_with_excel_dates_and_english_headers(world, tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(ENGLISH)
    ws.append(
        [
            *("X-1", "", "public", "visit", "标题一", "", "150902101000", ""),
            *(dt.datetime(2019, 9, 1, 8, 15), "是", "", "否", "", "", "", "", ""),
        ]
    )
    ws.append(
        [
            *("X-2", "", "自我检视", "", "标题二", "", "150902101000", "150902101000", 43709),
            *("", "", "", "已办结", dt.date(2019, 9, 5), "解释说明", "", "基本满意"),
        ]
    )
    wb.save(tmp_path / "p.xlsx")
    res = import_problems(tmp_path / "p.xlsx", actor=SYSTEM)
    assert res.created == 2
    x1, x2 = Problem.objects.get(number="X-1"), Problem.objects.get(number="X-2")
    assert x1.registered_at == local(2019, 9, 1, 8, 15) and x1.prominent and x1.channel == Channel.VISIT
    assert x2.registered_at == local(2019, 9, 1)  # Excel serial 43709
    assert x2.resolved_at == local(2019, 9, 5) and x2.resolution_kind == ResolutionKind.EXPLAINED
    assert x2.satisfaction == Satisfaction.BASICALLY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-01", (2019, 9, 1)),
        ("2019/9/1", (2019, 9, 1)),
        ("2019.9.1", (2019, 9, 1)),
        ("2019年9月1日", (2019, 9, 1)),
        ("2019-09-01 10:30", (2019, 9, 1, 10, 30)),
        ("2019-09-01 10:30:05", (2019, 9, 1, 10, 30, 5)),
        ("2019-09-01T10:30", (2019, 9, 1, 10, 30)),
        ("43709", (2019, 9, 1)),
        ("43709.4375", (2019, 9, 1, 10, 30)),
    ],
)
def test_date_formats(text, expected) -> None:
    assert parse_datetime(text) == local(*expected)


@pytest.mark.parametrize("text", ["2019-13-01", "昨天", "2019-02-30", "12", "9/1/2019"])
def test_bad_dates(text) -> None:
    assert parse_datetime(text) is None


BAD = [
    (row(问题编号="B-1", 来源="群众来信"), "来源", "群众来信"),
    (row(问题编号="B-2", 渠道="微信"), "渠道", "微信"),
    (row(问题编号="B-3", 所属单位代码="999999999999"), "所属单位代码", "999999999999"),
    (row(问题编号="B-4", 专题名称="不存在的专题"), "专题名称", "不存在的专题"),
    (row(问题编号="B-5", 认领人员编号="NOBODY"), "认领人员编号", "NOBODY"),
    (
        row(
            问题编号="B-6", 状态="已办结", 责任单位代码="150902001000", 办结时间="2019-08-01", 办结方式="转办"
        ),
        "办结时间",
        "早于登记时间",
    ),
    (
        row(问题编号="B-7", 状态="已办结", 责任单位代码="150902001000", 办结时间="2019-09-05"),
        "办结方式",
        "已办结",
    ),
    (row(问题编号="B-1", 标题="重复编号"), "问题编号", "第 3 行已出现"),
    (row(问题编号="B-9", 登记时间="2019-02-30"), "登记时间", "2019-02-30"),
    (row(问题编号="B-10", 状态="已完成"), "状态", "已完成"),
    (row(问题编号="B-11", 是否突出问题="也许"), "是否突出问题", "也许"),
    (row(问题编号="B-12", 状态="已交办"), "责任单位代码", "已交办"),
    (row(问题编号="B-13", 渠道=""), "渠道", "群众反映"),
    (row(问题编号="B-14", 办结方式="立行立改"), "办结方式", "已登记"),
    (row(问题编号="B-15", 标题=""), "标题", "必填"),
]


def test_bad_rows_are_reported_and_nothing_is_imported(world, tmp_path) -> None:
    rows = [row(问题编号="OK-1"), *(r for r, _, _ in BAD)]
    with pytest.raises(ImportFailed) as err:
        import_problems(write_csv(tmp_path / "bad.csv", rows), actor=SYSTEM)
    issues = err.value.issues
    for number, (_, column, needle) in enumerate(BAD, start=3):
        found = [i for i in issues if i.row == number and i.column == column]
        assert found, f"row {number} column {column}: {[str(i) for i in issues]}"
        assert any(needle in str(i) for i in found), [str(i) for i in found]
    assert len(issues) == len(BAD)
    assert Problem.objects.count() == 0 and ProblemEvent.objects.count() == 0


def test_command_prints_row_column_reason(world, tmp_path) -> None:
    path = write_csv(tmp_path / "bad.csv", [row(), row(问题编号="WT-9", 来源="?")])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "problems", str(path), stderr=err)
    assert "第 3 行,列“来源”" in err.getvalue()
    assert Problem.objects.count() == 0
    out = io.StringIO()
    call_command("import_data", "problems", str(write_csv(tmp_path / "ok.csv", GOOD_ROWS)), stdout=out)
    assert "新增 5 条" in out.getvalue()


def test_reimport_is_idempotent_and_changed_rows_are_refused(world, tmp_path) -> None:
    path = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    import_problems(path, actor=SYSTEM)
    events = ProblemEvent.objects.count()
    res = import_problems(path, actor=SYSTEM)
    assert (res.created, res.unchanged) == (0, 5)
    assert ProblemEvent.objects.count() == events
    changed = [*GOOD_ROWS[:2], {**GOOD_ROWS[2], "标题": "改了标题"}, row(问题编号="WT-NEW")]
    with pytest.raises(ImportFailed) as err:
        import_problems(write_csv(tmp_path / "changed.csv", changed), actor=SYSTEM)
    (only,) = err.value.issues
    assert (
        only.row == 4
        and only.column == "问题编号"
        and "已存在且内容不同" in str(only)
        and "标题" in str(only)
    )
    assert not Problem.objects.filter(number="WT-NEW").exists()


def _lifecycle(lw) -> None:
    """Problems made through the workflow, in several states."""
    office, staff, intake = lw.users["county_office"], lw.users["a_staff"], lw.users["county_intake"]
    ps = [lw.submit(ch, actor=intake).problem for ch in (Channel.LETTER, Channel.VISIT, Channel.CALL)]
    ps += [lw.submit().problem for _ in range(3)]
    for p in ps[:5]:
        problem_transition(actor=office, problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    problem_transition(actor=staff, problem=ps[1], action=Action.ACCEPT)
    problem_transition(actor=lw.users["county_leader"], problem=ps[1], action=Action.CLAIM)
    problem_transition(actor=staff, problem=ps[1], action=Action.START)
    for p, kind in ((ps[2], ResolutionKind.ON_THE_SPOT), (ps[3], ResolutionKind.TRANSFERRED)):
        problem_transition(
            actor=staff, problem=p, action=Action.RESOLVE, resolution_kind=kind, measures=" 已修 "
        )
    problem_transition(
        actor=intake, problem=ps[2], action=Action.CALLBACK, satisfaction=Satisfaction.SATISFIED
    )
    problem_transition(
        actor=intake, problem=ps[3], action=Action.CALLBACK, satisfaction=Satisfaction.UNSATISFIED
    )
    problem_transition(actor=staff, problem=ps[4], action=Action.RETURN, note="不属本单位")
    problem_transition(actor=office, problem=ps[5], action=Action.MERGE, into=ps[0])


def _wipe() -> None:
    ProblemEvent.objects.all().delete()
    Problem.objects.update(merged_into=None)
    Problem.objects.all().delete()


def test_round_trip_csv_is_byte_identical(world, tmp_path) -> None:
    _lifecycle(world)
    import_problems(write_csv(tmp_path / "p.csv", GOOD_ROWS), actor=SYSTEM)
    root = world.users["root"]
    first = export_problems(root, Problem.objects.all(), "csv")
    fields = (
        "number",
        "source",
        "channel",
        "title",
        "state",
        "resolution_kind",
        "satisfaction",
        "must_solve",
    )
    before = sorted(Problem.objects.values_list(*fields))
    # re-importing the export into the same ledger changes nothing
    (tmp_path / "export.csv").write_bytes(first)
    res = import_problems(tmp_path / "export.csv", actor=SYSTEM)
    assert (res.created, res.unchanged) == (0, Problem.objects.count())
    # into a fresh ledger with the same units, campaigns and people
    _wipe()
    res = import_problems(tmp_path / "export.csv", actor=SYSTEM)
    assert res.created == len(before)
    second = export_problems(root, Problem.objects.all(), "csv")
    assert second.decode().splitlines() == first.decode().splitlines()
    assert second == first
    assert sorted(Problem.objects.values_list(*fields)) == before


def test_round_trip_xlsx(world, tmp_path) -> None:
    _lifecycle(world)
    import_problems(write_csv(tmp_path / "p.csv", GOOD_ROWS), actor=SYSTEM)
    root = world.users["root"]
    csv_before = export_problems(root, Problem.objects.all(), "csv")
    (tmp_path / "export.xlsx").write_bytes(export_problems(root, Problem.objects.all(), "xlsx"))
    ws = load_workbook(tmp_path / "export.xlsx", read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == Problem.objects.count() + 1
    assert import_problems(tmp_path / "export.xlsx", actor=SYSTEM).unchanged == Problem.objects.count()
    _wipe()
    import_problems(tmp_path / "export.xlsx", actor=SYSTEM)
    assert export_problems(root, Problem.objects.all(), "csv") == csv_before


def test_export_is_scoped_and_has_no_identity(world, tmp_path) -> None:
    import_problems(write_csv(tmp_path / "p.csv", GOOD_ROWS), actor=SYSTEM)
    world.submit(unit_key="village_b")
    text = export_problems(world.users["a_staff"], Problem.objects.all(), "csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    numbers = {line[0] for line in lines[1:]}
    # town A's staff: problems about town A's subtree or handled by it; not 150902000000's WT-3? it is
    # handled by town A (责任单位), so it is visible; town B's problem is not
    assert numbers == {"WT-1", "WT-2", "WT-3", "WT-4", "WT-5"}
    assert "王大妈" not in text and "13900001111" not in text
    b_text = export_problems(world.users["b_staff"], Problem.objects.all(), "csv").decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(b_text)))) == 2
