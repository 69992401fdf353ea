"""The three catalogue importers: good files, bad rows (the file rejected whole, each row named),
idempotent re-import, updates, the command line, and export → import round trips."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from minqing.activities.tests.importing import fails, run, where, write
from minqing.catalogues import selectors as sel
from minqing.catalogues.exports import export_commendations, export_powers, export_reforms
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure, ReformResult, ReformStatus
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create, reform_result_add
from minqing.catalogues.tests.conftest import snapshot
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

PH = ["部门代码", "部门名称", "权力类别", "事项名称", "事项编码", "设定依据", "公布日期", "是否有效"]
PROWS = [
    [
        "150900-D001",
        "乌兰察布市公安局",
        "行政许可",
        "烟花爆竹道路运输许可",
        "XK-001",
        "《烟花爆竹安全管理条例》",
        "2015-06-30",
        "是",
    ],
    ["150900-D001", "", "行政处罚", "对违反治安管理行为的处罚", "", "《治安管理处罚法》", "2015/6/30", ""],
    ["150900-D002", "乌兰察布市民政局", "行政给付", "最低生活保障金给付", "", "", "", "否"],
]
RH = ["部门代码", "部门名称", "举措名称", "是否重点", "状态", "专题名称", "启动日期", "成果日期", "成果内容"]
RROWS = [
    [
        "150900-D001",
        "",
        "户籍制度改革",
        "是",
        "已完成",
        "“三严三实”专题教育",
        "2014-10-01",
        "2015-02-01",
        "取消农业户口",
    ],
    [
        "150900-D001",
        "",
        "户籍制度改革",
        "是",
        "已完成",
        "“三严三实”专题教育",
        "2014-10-01",
        "2015-05-01",
        "居住证制度",
    ],
    ["150900-D002", "", "政府购买公共服务", "", "", "", "", "", ""],
]
CH = ["姓名", "人员编号", "单位代码", "单位名称", "荣誉称号", "表彰日期", "授予机关", "专题名称"]
CROWS = [
    [
        "",
        "PA001",
        "150902001001",
        "",
        "优秀基层党组织带头人",
        "2015-07-01",
        "市委组织部",
        "“三严三实”专题教育",
    ],
    ["赵六", "", "150902101201", "", "优秀基层党组织带头人", "2015-07-01", "市委组织部", ""],
]
# the format as exported now: with the optional 表彰决定日期 after the 表彰日期
CH2 = [
    "姓名",
    "人员编号",
    "单位代码",
    "单位名称",
    "荣誉称号",
    "表彰日期",
    "表彰决定日期",
    "授予机关",
    "专题名称",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_powers_good_file_and_idempotent_reimport(cw, tmp_path, suffix) -> None:
    path = write(tmp_path / f"p{suffix}", PH, PROWS)
    res = run("powers", path, actor=cw.users["city_office"])
    assert (res.created, res.updated, res.unchanged) == (3, 0, 0)
    item = PowerItem.objects.get(name="烟花爆竹道路运输许可")
    assert (item.unit, item.path, item.category, item.code) == (
        cw.u["city_police"],
        cw.u["city_police"].path,
        "licensing",
        "XK-001",
    )
    assert (item.published_on, item.is_active) == (dt.date(2015, 6, 30), True)
    assert PowerItem.objects.get(name="对违反治安管理行为的处罚").is_active  # blank: 是
    assert not PowerItem.objects.get(name="最低生活保障金给付").is_active
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.IMPORT, object_type="catalogues.poweritem"
    ).exists()
    before = snapshot()[:4]
    res = run("powers", path, actor=cw.users["city_office"])
    assert (res.created, res.updated, res.unchanged) == (0, 0, 3)
    assert snapshot()[:4] == before


def test_powers_changed_row_updates_and_english_headers(cw, tmp_path) -> None:
    run("powers", write(tmp_path / "a.csv", PH, PROWS), actor=SYSTEM)
    headers = ["department_code", "category", "item_name", "is_active"]
    res = run(
        "powers",
        write(tmp_path / "b.csv", headers, [["150900-D001", "行政许可", "烟花爆竹道路运输许可", "否"]]),
        actor=SYSTEM,
    )
    assert (res.created, res.updated) == (0, 1)
    item = PowerItem.objects.get(name="烟花爆竹道路运输许可")
    assert (item.is_active, item.code) == (False, "XK-001")  # columns absent from the file are kept


def test_powers_bad_rows_reject_the_whole_file(cw, tmp_path) -> None:
    rows = [
        PROWS[0],
        ["999999-X", "", "行政许可", "甲", "", "", "", ""],
        ["150900-D001", "", "行政许愿", "", "", "", "2015-13-01", "也许"],
        ["150900-D001", "", "行政许可", "烟花爆竹道路运输许可", "", "", "", ""],
        ["150902-D001", "", "行政许可", "越权事项", "", "", "", ""],
    ]
    issues = fails("powers", write(tmp_path / "bad.xlsx", PH, rows), actor=cw.users["county_office"])
    assert where(issues) == [
        (2, "部门代码"),  # the county's office may not write the city's police
        (3, "部门代码"),
        (4, "部门代码"),
        (4, "权力类别"),
        (4, "事项名称"),
        (4, "公布日期"),
        (4, "是否有效"),
        (5, "部门代码"),
    ]
    assert str(issues[0]).startswith("第 2 行,列“部门代码”:")
    assert PowerItem.objects.count() == 0
    # the system (the command line) may write them all; then the duplicate row is the only issue
    issues = fails("powers", write(tmp_path / "dup.csv", PH, [PROWS[0], rows[3]]), actor=SYSTEM)
    assert where(issues) == [(3, "事项名称")] and "第 2 行已出现" in str(issues[0])
    assert PowerItem.objects.count() == 0


def test_missing_column_and_unknown_suffix(cw, tmp_path) -> None:
    issues = fails(
        "powers", write(tmp_path / "m.csv", ["部门代码", "事项名称"], [["150900-D001", "甲"]]), actor=SYSTEM
    )
    assert where(issues) == [(None, "权力类别")]
    path = tmp_path / "x.txt"
    path.write_text("x")
    from minqing.core.errors import DomainError

    with pytest.raises(DomainError):
        run("powers", path, actor=SYSTEM)


def test_reforms_rows_per_result_and_idempotent(cw, tmp_path) -> None:
    path = write(tmp_path / "r.xlsx", RH, RROWS)
    res = run("reforms", path, actor=cw.users["city_office"])
    assert (res.created, res.unchanged) == (2, 0)
    assert "新增 2 条" in res.notes[0]
    m = ReformMeasure.objects.get(title="户籍制度改革")
    assert (m.is_key, m.status, m.campaign, m.started_on) == (
        True,
        ReformStatus.COMPLETED,
        cw.campaign,
        dt.date(2014, 10, 1),
    )
    assert list(m.results.order_by("date").values_list("text", flat=True)) == ["取消农业户口", "居住证制度"]
    other = ReformMeasure.objects.get(title="政府购买公共服务")
    assert (other.is_key, other.status, other.results.count()) == (False, ReformStatus.NOT_STARTED, 0)
    before = snapshot()[:4]
    res = run("reforms", path, actor=cw.users["city_office"])
    assert (res.created, res.updated, res.unchanged) == (0, 0, 2) and "新增 0 条" in res.notes[0]
    assert snapshot()[:4] == before
    # a new result row adds a result; a changed status updates the measure
    more = [["150900-D001", "", "户籍制度改革", "是", "推进中", "", "", "2015-06-01", "新成果"]]
    res = run("reforms", write(tmp_path / "r2.csv", RH, more), actor=SYSTEM)
    assert res.updated == 1 and ReformResult.objects.count() == 3


def test_reforms_bad_rows(cw, tmp_path) -> None:
    rows = [
        RROWS[0],
        [
            "150900-D001",
            "",
            "户籍制度改革",
            "否",
            "已完成",
            "“三严三实”专题教育",
            "2014-10-01",
            "2015-05-01",
            "x",
        ],
        ["150900-D002", "", "政府购买", "", "停滞", "没有的专题", "", "2015-01-01", ""],
        ["150900-D002", "", "政府购买二", "", "", "", "", "", "只有内容"],
        RROWS[0],
    ]
    issues = fails("reforms", write(tmp_path / "r.csv", RH, rows), actor=SYSTEM)
    assert where(issues) == [
        (3, "是否重点"),
        (4, "状态"),
        (4, "专题名称"),
        (4, "成果内容"),
        (5, "成果日期"),
        (6, "成果内容"),
    ]
    assert "第 2 行" in str(issues[0]) and "同一改革举措" in str(issues[0])
    assert ReformMeasure.objects.count() == 0 and ReformResult.objects.count() == 0


def test_commendations_import(cw, tmp_path) -> None:
    path = write(tmp_path / "c.csv", CH, CROWS)
    res = run("commendations", path, actor=cw.users["county_office"])
    assert res.created == 2
    c = Commendation.objects.get(person=cw.people["zhang"])
    assert (c.name, c.unit, c.campaign, c.awarded_by) == (
        "张三",
        cw.u["village_a"],
        cw.campaign,
        "市委组织部",
    )
    assert Commendation.objects.get(name="赵六").person is None
    res = run("commendations", path, actor=cw.users["county_office"])
    assert (res.created, res.unchanged) == (0, 2)
    bad = [
        ["李四", "PA001", "150902001001", "", "优秀", "2015-07-01", "", ""],
        ["", "", "150902001001", "", "优秀", "2015-07-01", "", ""],
        ["某人", "NOPE", "150902001001", "", "", "", "", ""],
        ["某人", "", "150900-D001", "", "优秀", "2015-07-01", "", ""],
    ]
    issues = fails("commendations", write(tmp_path / "bad.csv", CH, bad), actor=cw.users["county_office"])
    assert where(issues) == [
        (2, "姓名"),
        (3, "姓名"),
        (4, "人员编号"),
        (4, "荣誉称号"),
        (4, "表彰日期"),
        (5, "单位代码"),
    ]
    assert "张三" in str(issues[0])
    assert Commendation.objects.count() == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_commendations_decision_date_column(cw, tmp_path, suffix) -> None:
    rows = [
        [
            "",
            "PA001",
            "150902001001",
            "",
            "优秀基层党组织带头人",
            "2015-07-01",
            "2015-06-29",
            "市委组织部",
            "",
        ],
        ["赵六", "", "150902101201", "", "优秀基层党组织带头人", "2015-07-01", "", "市委组织部", ""],
    ]
    path = write(tmp_path / f"c{suffix}", CH2, rows)
    res = run("commendations", path, actor=cw.users["county_office"])
    assert res.created == 2
    assert Commendation.objects.get(name="张三").decided_on == dt.date(2015, 6, 29)
    assert Commendation.objects.get(name="赵六").decided_on is None
    res = run("commendations", path, actor=cw.users["county_office"])
    assert (res.created, res.updated, res.unchanged) == (0, 0, 2)
    # English header; a changed decision date updates the record
    headers = ["unit_code", "name", "title", "date", "decided_on"]
    res = run(
        "commendations",
        write(
            tmp_path / f"d{suffix}",
            headers,
            [["150902101201", "赵六", "优秀基层党组织带头人", "2015-07-01", "2015-06-20"]],
        ),
        actor=SYSTEM,
    )
    assert res.updated == 1 and Commendation.objects.get(name="赵六").decided_on == dt.date(2015, 6, 20)
    # a decision after the 表彰日期, or not a date: the row is named and nothing is imported
    bad = [
        ["钱七", "", "150902101201", "", "优秀", "2015-07-01", "2015-07-02", "", ""],
        ["孙八", "", "150902101201", "", "优秀", "2015-07-01", "六月", "", ""],
        ["周九", "", "150902101201", "", "优秀", "2015-07-01", "2015-07-01", "", ""],
    ]
    issues = fails(
        "commendations", write(tmp_path / f"bad{suffix}", CH2, bad), actor=cw.users["county_office"]
    )
    assert where(issues) == [(2, "表彰决定日期"), (3, "表彰决定日期")]
    assert "晚于表彰日期 2015-07-01" in str(issues[0]) and "2015-07-02" in str(issues[0])
    assert Commendation.objects.count() == 2


def test_commendations_old_file_without_the_decision_date_column(cw, tmp_path) -> None:
    """A file of the format before 表彰决定日期 imports; the decision dates recorded are kept."""
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_b"],
        name="赵六",
        title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
        decided_on=dt.date(2015, 6, 29),
        awarded_by="市委组织部",
    )
    path = write(tmp_path / "old.xlsx", CH, CROWS)
    res = run("commendations", path, actor=cw.users["county_office"])
    assert (res.created, res.updated, res.unchanged) == (1, 0, 1)
    assert Commendation.objects.get(name="张三").decided_on is None
    assert Commendation.objects.get(name="赵六").decided_on == dt.date(2015, 6, 29)
    assert (
        run("commendations", path, actor=SYSTEM).created,
        run("commendations", path, actor=SYSTEM).unchanged,
    ) == (0, 2)


def test_command_line(cw, tmp_path, capsys) -> None:
    call_command("import_data", "powers", str(write(tmp_path / "p.csv", PH, PROWS)), "--no-progress")
    assert "新增 3 条" in capsys.readouterr().out
    bad = write(tmp_path / "bad.csv", PH, [["150900-D001", "", "不存在", "甲", "", "", "", ""]])
    with pytest.raises(CommandError):
        call_command("import_data", "powers", str(bad), "--no-progress")
    assert "第 2 行,列“权力类别”" in capsys.readouterr().err
    assert PowerItem.objects.count() == 3


def test_command_line_as_a_user(cw, tmp_path, capsys) -> None:
    from minqing.core.models import AuditEvent

    path = str(write(tmp_path / "p.csv", PH, PROWS))
    # the county's office may not write the city's departments: every row refused, nothing written
    with pytest.raises(CommandError):
        call_command("import_data", "powers", path, "--no-progress", "--user", "county_office")
    assert "第 2 行,列“部门代码”" in capsys.readouterr().err
    assert PowerItem.objects.count() == 0
    with pytest.raises(CommandError, match="用户“ghost”不存在或已停用"):
        call_command("import_data", "powers", path, "--no-progress", "--user", "ghost")
    cw.users["nobody"].is_active = False
    cw.users["nobody"].save()
    with pytest.raises(CommandError, match="不存在或已停用"):
        call_command("import_data", "powers", path, "--no-progress", "--user", "nobody")
    assert PowerItem.objects.count() == 0
    # the city's office may; the audit record names it
    call_command("import_data", "powers", path, "--no-progress", "--user", "city_office")
    assert PowerItem.objects.count() == 3
    last = AuditEvent.objects.filter(object_type="catalogues.poweritem").latest("id")
    assert last.actor == cw.users["city_office"]


def _catalogues(cw) -> None:
    police, civil = cw.u["city_police"], cw.u["city_civil"]
    power_item_create(
        actor=SYSTEM, unit=police, category="licensing", name="许可", code="001", legal_basis="法\n条"
    )
    power_item_create(
        actor=SYSTEM, unit=civil, category="other", name="其他", published_on=dt.date(2015, 6, 30)
    )
    power_item_create(
        actor=SYSTEM, unit=cw.u["county_market"], category="penalty", name="处罚", is_active=False
    )
    m = reform_create(
        actor=SYSTEM, unit=police, title="改革", is_key=True, status="in_progress", campaign=cw.campaign
    )
    reform_result_add(actor=SYSTEM, measure=m, date=dt.date(2015, 1, 2), text="成果一")
    reform_result_add(actor=SYSTEM, measure=m, date=dt.date(2015, 3, 4), text="成果二")
    reform_create(actor=SYSTEM, unit=civil, title="无成果", started_on=dt.date(2014, 1, 1))
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_a"],
        person=cw.people["zhang"],
        title="优秀",
        date=dt.date(2015, 7, 1),
        decided_on=dt.date(2015, 6, 29),
    )
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_b"],
        name="赵六",
        title="先进",
        date=dt.date(2016, 7, 1),
        awarded_by="市委",
    )


EXPORTS = (
    ("powers", lambda a, k: export_powers(sel.power_items(a), k), PowerItem),
    ("reforms", lambda a, k: export_reforms(sel.reforms(a), k), ReformMeasure),
    ("commendations", lambda a, k: export_commendations(sel.commendations(a), k), Commendation),
)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_export_reimports_unchanged(cw, tmp_path, kind) -> None:
    _catalogues(cw)
    root = cw.users["root"]
    files = {}
    for name, export, _model in EXPORTS:
        path = tmp_path / f"{name}.{kind}"
        path.write_bytes(export(root, kind))
        files[name] = path
        res = run(name, path, actor=cw.users["city_office"])
        assert (res.created, res.updated) == (0, 0), name
    first = {name: export(root, "csv") for name, export, _m in EXPORTS}
    before = snapshot()[:4]
    # the exported files rebuild the same catalogues from nothing
    ReformResult.objects.all().delete()
    for _name, _export, model in EXPORTS:
        model.objects.all().delete()
    for name in ("powers", "reforms", "commendations"):
        run(name, files[name], actor=SYSTEM)
    assert {name: export(root, "csv") for name, export, _m in EXPORTS} == first
    assert [len(x) for x in snapshot()[:2]] == [len(x) for x in before[:2]]
    assert snapshot()[2] == before[2] == 2
    zhang = Commendation.objects.get(name="张三")
    assert (zhang.person, zhang.decided_on) == (cw.people["zhang"], dt.date(2015, 6, 29))
    assert Commendation.objects.get(name="赵六").decided_on is None


def test_export_is_scoped_and_never_holds_identity(cw) -> None:
    _catalogues(cw)
    text = export_powers(sel.power_items(cw.users["county_viewer"]), "csv").decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(PH)
    assert "处罚" in text and "许可" not in text
    text = export_commendations(sel.commendations(cw.users["root"]), "csv").decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(CH2)
    assert "张三" in text and "PA001" in text
    assert "2015-07-01,2015-06-29," in text and "2016-07-01,," in text
    assert "13912345678" not in text and "150902199001011234" not in text
