"""Progress from a spreadsheet: a bad row rejects the whole file (every row named), a good one is
written whole; the command-line importer; an exported file uploads unchanged."""

import pytest
from django.core.management import CommandError, call_command

from minqing.activities.tests.importing import write
from minqing.core.importing import IMPORTERS, ImportFailed
from minqing.orgs.actors import SYSTEM, Actor
from minqing.programmes import exports, selectors
from minqing.programmes.models import ProgressReport
from minqing.programmes.services.upload import progress_bulk_upload
from minqing.programmes.tests.world import World, day, snapshot

pytestmark = pytest.mark.django_db

HEADERS = ["单位代码", "指标", "方式", "日期", "在建", "完工", "投入资金(万元)"]
GOOD = [
    ["150902001000", "危房改造", "新建", "2015-06-30", "100", "200", "1,500.5"],
    ["150902001000", "housing", "维修加固", "2015/6/30", "10", "20", "30"],
    ["150902101000", "街巷硬化", "", "2015-06-30", "2.5", "7.25", "800"],
    ["150902101000", "shop", "", "2015年6月30日", "1", "3", "0"],
]


def fails(w: World, path, actor: Actor = SYSTEM) -> list[str]:
    with pytest.raises(ImportFailed) as exc:
        progress_bulk_upload(actor=actor, path=path, programme=w.programme)
    return [str(i) for i in exc.value.issues]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_good_file_is_written_whole(w: World, tmp_path, suffix):
    path = write(tmp_path / f"progress{suffix}", HEADERS, GOOD)
    result = progress_bulk_upload(actor=w.users["county_office"], path=path, programme=w.programme)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    tp = {
        t.target.key: t
        for t in selectors.programme_progress(
            w.users["county_office"], w.programme, w.u["county"], day(6, 30)
        ).targets
    }
    assert (tp["housing"].total.started, tp["housing"].total.funds) == (330, 1530.5)
    assert (tp["road_paving"].total.in_progress, tp["road_paving"].total.completed) == (2.5, 7.25)
    assert tp["shop"].total.share_text == "15%"  # 3 of 20, completed only
    # the same file again changes nothing; a corrected row replaces its report
    again = progress_bulk_upload(actor=SYSTEM, path=path, programme=w.programme)
    assert (again.created, again.unchanged) == (0, 4)
    fixed = write(tmp_path / f"fixed{suffix}", HEADERS, [[*GOOD[0][:5], "250", "1500.5"]])
    assert progress_bulk_upload(actor=SYSTEM, path=fixed, programme=w.programme).updated == 1
    assert ProgressReport.objects.count() == 4


def test_one_bad_row_rejects_the_whole_file_with_the_row_named(w: World, tmp_path):
    rows = [*GOOD[:2], ["150902101000", "街巷硬化", "", "2015-06-30", "2.5", "-7", "800"], GOOD[3]]
    path = write(tmp_path / "progress.xlsx", HEADERS, rows)
    before = snapshot()
    assert fails(w, path) == ["第 4 行,列“完工”:“-7”应为不小于 0 的数,最多 2 位小数"]
    assert snapshot() == before
    assert ProgressReport.objects.count() == 0


def test_every_bad_row_is_named(w: World, tmp_path):
    rows = [
        ["150902001000", "危房改造", "", "2015-06-30", "1", "1", "1"],  # 2: mode required
        ["150902001000", "危房改造", "翻建", "2015-06-30", "1", "1", "1"],  # 3: unknown mode
        ["999999999999", "街巷硬化", "", "2015-06-30", "1", "1", "1"],  # 4: unknown unit
        ["150921000000", "街巷硬化", "", "2015-06-30", "1", "1", "1"],  # 5: outside the programme
        ["150902001000", "村村通", "", "2015-06-30", "1", "1", "1"],  # 6: unknown target
        ["150902001000", "街巷硬化", "新建", "2015-06-30", "1", "1", "1"],  # 7: no modes
        ["150902001000", "街巷硬化", "", "2015-13-01", "1", "1", "1"],  # 8: bad date
        ["150902001000", "街巷硬化", "", "2099-01-01", "1", "1", "1"],  # 9: future
        ["150902001000", "街巷硬化", "", "2015-06-30", "", "1", "1"],  # 10: blank figure
        ["150902001000", "街巷硬化", "", "2015-06-30", "1", "1", "一百"],  # 11: not a number
        ["150902001000", "road_paving", "", "2015-06-30", "2", "2", "2"],  # 12: same as row 10's key
        ["", "", "", "", "", "", ""],  # blank row: skipped
        ["150902001000", "街巷硬化", "", "2015-07-31", "", "", ""],  # 14: no figures: skipped
    ]
    path = write(tmp_path / "progress.csv", HEADERS, rows)
    issues = fails(w, path)
    assert [i.split(":")[0] for i in issues] == [
        "第 2 行,列“方式”",
        "第 3 行,列“方式”",
        "第 4 行,列“单位代码”",
        "第 5 行,列“单位代码”",
        "第 6 行,列“指标”",
        "第 7 行,列“方式”",
        "第 8 行,列“日期”",
        "第 9 行,列“日期”",
        "第 10 行,列“在建”",
        "第 11 行,列“投入资金(万元)”",
    ]
    assert "卓资县" in issues[3] and "集宁区" in issues[3]
    assert not ProgressReport.objects.exists()
    # with the other rows fixed, the repeated unit, target and date is named with its first row
    dup = write(tmp_path / "dup.csv", HEADERS, [GOOD[2], GOOD[2]])
    assert fails(w, dup) == ["第 3 行,列“单位代码”:与第 2 行的单位、指标、方式和日期相同"]


def test_rows_out_of_the_uploaders_subtree_are_rejected(w: World, tmp_path):
    path = write(tmp_path / "p.xlsx", HEADERS, GOOD)
    issues = fails(w, path, actor=w.users["a_staff"])  # town_a's staff: rows of town_b are not theirs
    assert issues == [
        "第 4 行,列“单位代码”:无权操作该单位或其下级单位的数据",
        "第 5 行,列“单位代码”:无权操作该单位或其下级单位的数据",
    ]
    assert fails(w, path, actor=w.users["viewer"])[0].startswith("第 2 行,列“单位代码”:无权")
    assert not ProgressReport.objects.exists()


def test_a_file_for_another_programme_or_without_columns(w: World, tmp_path):
    path = write(tmp_path / "p.xlsx", ["项目名称", *HEADERS], [["别的项目", *GOOD[0]]])
    assert fails(w, path) == ["第 2 行,列“项目名称”:项目名称“别的项目”与正在上传的项目“集宁区十个全覆盖”不符"]
    path = write(tmp_path / "q.xlsx", ["单位代码", "指标"], [["150902001000", "危房改造"]])
    assert [i.split(":")[0] for i in fails(w, path)] == [
        "列“日期”",
        "列“在建”",
        "列“完工”",
        "列“投入资金(万元)”",
    ]


def test_the_command_line_importer(w: World, tmp_path, capsys):
    assert IMPORTERS["progress"] == "minqing.programmes.services.upload.import_progress"
    path = write(tmp_path / "p.csv", ["项目名称", *HEADERS], [["集宁区十个全覆盖", *r] for r in GOOD])
    call_command("import_data", "progress", str(path), "--no-progress")
    assert "新增 4 条" in capsys.readouterr().out
    assert ProgressReport.objects.count() == 4
    bad = write(tmp_path / "bad.csv", ["项目名称", *HEADERS], [["不存在的项目", *GOOD[0]]])
    with pytest.raises(CommandError):
        call_command("import_data", "progress", str(bad), "--no-progress")
    assert "项目“不存在的项目”不存在" in capsys.readouterr().err
    no_programme = write(tmp_path / "np.csv", HEADERS, GOOD)
    with pytest.raises(CommandError):
        call_command("import_data", "progress", str(no_programme), "--no-progress")
    assert ProgressReport.objects.count() == 4


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_reports_upload_unchanged(w: World, tmp_path, fmt):
    path = write(tmp_path / "p.xlsx", HEADERS, GOOD)
    progress_bulk_upload(actor=SYSTEM, path=path, programme=w.programme)
    office = w.users["county_office"]
    data = exports.export_reports(w.programme, selectors.report_list(office, w.programme, w.u["county"]), fmt)
    out = tmp_path / f"export.{fmt}"
    out.write_bytes(data)
    result = progress_bulk_upload(actor=office, path=out, programme=w.programme)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
