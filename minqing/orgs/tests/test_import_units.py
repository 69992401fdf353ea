import csv
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from openpyxl import Workbook

from minqing.core.models import AuditEvent
from minqing.core.tabular import read_table
from minqing.orgs.actors import SYSTEM
from minqing.orgs.divisions import INNER_MONGOLIA, ULANQAB
from minqing.orgs.enums import PartyCategory, UnitKind, UnitSubkind
from minqing.orgs.importers.units import import_units
from minqing.orgs.models import Unit

DATA = Path(__file__).parent / "data"
UNIT_HEADER = ["单位代码", "名称", "类别", "上级单位代码"]

pytestmark = pytest.mark.django_db


def run(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_data", "units", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path) -> tuple[str, CommandError]:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_data", "units", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue(), info.value


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def csv_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def parent(u: Unit) -> Unit:
    return Unit.objects.get(path=u.path[: -Unit.steplen])


def root() -> list[Unit]:
    return list(Unit.objects.filter(depth=1))


def assert_basic_tree() -> None:
    assert Unit.objects.count() == 9
    jining = unit("150902000000")
    assert jining.name == "集宁区"  # trimmed
    assert jining.kind == UnitKind.COUNTY
    assert jining.division_code == "150902000000"
    assert parent(jining) == unit("150900000000")
    street = unit("150902001000")
    assert (street.kind, street.subkind) == (UnitKind.TOWNSHIP, UnitSubkind.STREET)
    assert street.has_party_org and street.party_category == PartyCategory.TOWNSHIP
    community = unit("150902001001")
    assert (community.kind, community.subkind) == (UnitKind.VILLAGE, UnitSubkind.COMMUNITY)
    grid = unit("G150902001001-01")
    assert (grid.kind, grid.subkind, grid.division_code) == (UnitKind.GRID, UnitSubkind.COMMUNITY_GRID, None)
    assert not grid.has_party_org
    assert parent(grid) == community
    agency = unit("ULQ-ZZB")
    assert (agency.kind, agency.party_category) == (UnitKind.AGENCY, PartyCategory.AGENCY)
    assert parent(agency) == unit("150900000000")
    assert unit("ULQ-QY-001").party_category == PartyCategory.NON_PUBLIC
    assert unit("ULQ-SHZZ-01").kind == UnitKind.SOCIAL_ORG
    assert not unit("ULQ-SHZZ-01").has_party_org
    assert [u.code for u in root()] == ["150000000000"]


# -- formats -----------------------------------------------------------------------------


def test_unit_format_csv():
    out, _ = run(DATA / "units_basic.csv")
    assert "新增 9 条" in out
    assert_basic_tree()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.IMPORT, detail__startswith="units_basic.csv"
    ).exists()


def test_unit_format_xlsx(tmp_path):
    rows: list[list[object]] = [list(r) for r in csv_rows(DATA / "units_basic.csv")]
    rows[2][0] = 150900000000  # a code typed as a number in Excel
    rows.insert(5, [None, None, None, None])  # an empty row
    run(write_xlsx(tmp_path / "units.xlsx", rows))
    assert_basic_tree()


def test_gbk_csv():
    with pytest.raises(UnicodeDecodeError):
        (DATA / "units_gbk.csv").read_bytes().decode("utf-8")
    out, _ = run(DATA / "units_gbk.csv")
    assert "新增 9 条" in out
    assert_basic_tree()


def test_utf8_bom_csv(tmp_path):
    path = write_csv(tmp_path / "bom.csv", csv_rows(DATA / "units_basic.csv"), encoding="utf-8-sig")
    run(path)
    assert_basic_tree()


def test_english_aliases():
    run(DATA / "units_english.csv")
    office = unit("XAM-GOV")
    assert office.kind == UnitKind.AGENCY and office.has_party_org
    assert parent(office).name == "兴安盟"
    assert unit("152201001000").subkind == UnitSubkind.STREET


def test_nbs_format_csv():
    out, _ = run(DATA / "nbs_small.csv")
    # the prefecture's parent 150000000000 is not in the file: the region is created as the root
    assert "内蒙古自治区" in out
    assert "新增 9 条" in out
    assert [u.name for u in root()] == ["内蒙古自治区"]
    assert unit("150921106201").subkind == UnitSubkind.VILLAGE
    assert unit("150921106201").has_party_org
    assert parent(unit("150921000000")).code == "150900000000"


def test_nbs_format_xlsx(tmp_path):
    rows: list[list[object]] = [list(r) for r in csv_rows(DATA / "nbs_small.csv")]
    for r in rows[1:]:
        r[0], r[2] = int(str(r[0])), int(str(r[2]))
    run(write_xlsx(tmp_path / "nbs.xlsx", rows))
    assert Unit.objects.count() == 9
    assert parent(unit("150902001002")).code == "150902001000"


def test_tabular_reader_trims_and_numbers_rows(tmp_path):
    path = write_csv(tmp_path / "t.csv", [[" 单位代码 ", "名称"], ["", ""], [" A ", " 甲 "]])
    table = read_table(path)
    assert table.headers == ["单位代码", "名称"]
    assert table.rows == [(3, ["A", "甲"])]


# -- errors ------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing():
    run(DATA / "units_basic.csv")
    before = set(Unit.objects.values_list("code", "name"))
    err, exc = run_failing(DATA / "units_one_bad_row.csv")
    assert "第 4 行,列“类别”:无法识别的类别“星球”" in err
    assert err.count("第 ") == 1
    assert exc.returncode != 0
    assert "未导入任何数据" in str(exc)
    assert set(Unit.objects.values_list("code", "name")) == before
    assert not Unit.objects.filter(code="150921000000").exists()


def test_bad_file_into_empty_database_imports_nothing():
    err, _ = run_failing(DATA / "units_one_bad_row.csv")
    assert "第 4 行" in err
    assert Unit.objects.count() == 0


def test_many_errors_reported_together():
    err, exc = run_failing(DATA / "units_many_errors.csv")
    lines = err.strip().splitlines()
    expected = [
        "第 3 行,列“名称”:必填项为空",
        "第 4 行,列“单位代码”:区划单位的代码“15090200000”应为 12 位数字",
        "第 5 行,列“单位代码”:区划代码“150921000000”是县级(旗县市区)代码,与类别“镇”不符",
        "第 6 行,列“上级单位代码”:区划代码 150921106000 的上级单位应为 150921000000,而不是“150902000000”",
        "第 6 行,列“上级单位代码”:上级单位代码“150902000000”既不在文件中,也不在系统中",
        "第 7 行,列“单位代码”:单位代码“ULQ 01”格式不正确",
        "第 8 行,列“上级单位代码”:上级单位代码“NOPE-1”既不在文件中,也不在系统中",
        "第 9 行,列“是否有党组织”:“也许”应为“是”或“否”",
        "第 10 行,列“党组织类别”:“是否有党组织”为“否”时不能填写党组织类别",
        "第 11 行,列“单位代码”:单位代码“ULQ-02”在文件中重复(第 8 行已出现)",
    ]
    for text in expected:
        assert any(line.startswith(text) for line in lines), text
    assert len(lines) == len(expected)
    assert "10 处错误" in str(exc)
    assert Unit.objects.count() == 0


def test_missing_required_column(tmp_path):
    path = write_csv(tmp_path / "m.csv", [["单位代码", "名称", "上级单位代码"], ["A", "甲", "B"]])
    err, _ = run_failing(path)
    assert "列“类别”:缺少必需的列" in err


def test_unknown_parent(tmp_path):
    run(DATA / "units_basic.csv")
    path = write_csv(tmp_path / "p.csv", [UNIT_HEADER, ["ULQ-X", "某局", "机关", "150999000000"]])
    err, _ = run_failing(path)
    assert "第 2 行,列“上级单位代码”:上级单位代码“150999000000”既不在文件中,也不在系统中" in err


def test_parent_in_database(tmp_path):
    run(DATA / "units_basic.csv")
    path = write_csv(tmp_path / "p.csv", [UNIT_HEADER, ["ULQ-X", "某局", "机关", "150900000000"]])
    out, _ = run(path)
    assert "新增 1 条" in out
    assert parent(unit("ULQ-X")).code == "150900000000"


def test_duplicate_code(tmp_path):
    rows = [UNIT_HEADER, ["150000000000", "内蒙古自治区", "省", ""]]
    rows += [["A-1", "甲", "机关", "150000000000"], ["A-1", "乙", "企业", "150000000000"]]
    err, _ = run_failing(write_csv(tmp_path / "d.csv", rows))
    assert "第 4 行,列“单位代码”:单位代码“A-1”在文件中重复(第 3 行已出现)" in err
    assert Unit.objects.count() == 0


def test_cycle_in_file(tmp_path):
    rows = [UNIT_HEADER, ["150000000000", "内蒙古自治区", "省", ""]]
    rows += [
        ["A", "甲", "机关", "B"],
        ["B", "乙", "机关", "C"],
        ["C", "丙", "机关", "A"],
        ["D", "丁", "机关", "A"],
    ]
    err, _ = run_failing(write_csv(tmp_path / "c.csv", rows))
    lines = err.strip().splitlines()
    assert [line.split(",")[0] for line in lines] == ["第 3 行", "第 4 行", "第 5 行"]
    assert "第 3 行,列“上级单位代码”:上级单位关系形成循环:A → B → C → A" in err
    assert Unit.objects.count() == 0


def test_cycle_through_database(tmp_path):
    run(DATA / "units_basic.csv")
    # the grid is under the community in the database; putting the agency under the grid and the
    # community under the agency would close a loop
    rows = [UNIT_HEADER, ["ULQ-ZZB", "组织部", "机关", "G150902001001-01"]]
    rows.append(["A-NEW", "新单位", "机关", "ULQ-ZZB"])
    path = write_csv(tmp_path / "c.csv", rows)
    run(path)  # no loop yet: the grid is not under the agency
    assert parent(unit("ULQ-ZZB")).code == "G150902001001-01"
    rows = [UNIT_HEADER, ["G150902001001-01", "网格", "网格", "A-NEW"]]
    err, _ = run_failing(write_csv(tmp_path / "c2.csv", rows))
    assert "第 2 行,列“上级单位代码”:上级单位关系形成循环" in err


def test_self_parent(tmp_path):
    rows = [UNIT_HEADER, ["A", "甲", "机关", "A"]]
    err, _ = run_failing(write_csv(tmp_path / "s.csv", rows))
    assert "循环" in err


def test_territorial_parent_must_follow_code(tmp_path):
    run(DATA / "units_basic.csv")
    rows = [UNIT_HEADER, ["150902002000", "桥东街道", "街道", "150900000000"]]
    err, _ = run_failing(write_csv(tmp_path / "t.csv", rows))
    assert "的上级单位应为 150902000000" in err


def test_province_without_parent_and_agency_needs_parent(tmp_path):
    rows = [UNIT_HEADER, ["150000000000", "内蒙古自治区", "省", "110000000000"], ["X", "某局", "机关", ""]]
    err, _ = run_failing(write_csv(tmp_path / "t.csv", rows))
    assert "第 2 行,列“上级单位代码”:省级单位不应填写上级单位代码" in err
    assert "第 3 行,列“上级单位代码”:除省级单位外,必须填写上级单位代码" in err


def test_unsupported_file(tmp_path):
    path = tmp_path / "units.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        call_command("import_data", "units", str(path), stdout=StringIO(), stderr=StringIO())


def test_unknown_import_kind():
    with pytest.raises(CommandError):
        call_command("import_data", "households", "x.csv", stdout=StringIO(), stderr=StringIO())


def test_failure_while_writing_rolls_back(monkeypatch):
    from minqing.orgs.importers import units as importer

    real = importer.units_upsert

    def upsert_then_fail(**kwargs):
        real(**kwargs)
        assert Unit.objects.count() == 9
        raise DatabaseError("disk full")

    monkeypatch.setattr(importer, "units_upsert", upsert_then_fail)
    err, _ = run_failing(DATA / "units_basic.csv")
    assert "写入数据库失败" in err and "disk full" in err
    assert Unit.objects.count() == 0
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert list(imports.values_list("outcome", flat=True)) == [AuditEvent.Outcome.FAILURE]


def test_progress_bar_does_not_change_the_result(capsys):
    result = import_units(DATA / "nbs_small.csv", progress=True, actor=SYSTEM)
    assert result.created == 9
    assert "nbs_small.csv" in capsys.readouterr().err


# -- re-import ---------------------------------------------------------------------------


def test_idempotent_reimport():
    run(DATA / "units_basic.csv")
    paths = dict(Unit.objects.values_list("code", "path"))
    out, _ = run(DATA / "units_basic.csv")
    assert "新增 0 条,更新 0 条,未变 9 条" in out
    assert dict(Unit.objects.values_list("code", "path")) == paths
    out, _ = run(DATA / "units_gbk.csv")
    assert "新增 0 条,更新 0 条" in out


def test_reimport_updates_name_and_keeps_party_values(tmp_path):
    run(DATA / "units_basic.csv")
    rows = [UNIT_HEADER, ["ULQ-ZZB", "中共乌兰察布市委组织部(新)", "机关", "150900000000"]]
    out, _ = run(write_csv(tmp_path / "u.csv", rows))
    assert "新增 0 条,更新 1 条" in out
    agency = unit("ULQ-ZZB")
    assert agency.name == "中共乌兰察布市委组织部(新)"
    assert agency.has_party_org and agency.party_category == PartyCategory.AGENCY  # empty cells keep values


def test_nbs_then_unit_format_agree():
    run(DATA / "nbs_small.csv")
    out, _ = run(DATA / "nbs_small.csv")
    assert "新增 0 条,更新 0 条" in out


def test_shipped_ulanqab_file():
    started = time.monotonic()
    out, _ = run(ULANQAB)
    assert time.monotonic() - started < 30
    city = unit("150900000000")
    assert city.name == "乌兰察布市"
    assert parent(city).code == "150000000000"
    below = Unit.objects.filter(path__startswith=city.path)
    assert below.filter(kind=UnitKind.COUNTY).count() == 11
    assert below.filter(kind=UnitKind.TOWNSHIP).count() == 110
    assert below.filter(kind=UnitKind.VILLAGE).count() == 1517
    assert "新增 1640 条" in out  # 1,639 rows + the region
    out, _ = run(ULANQAB)
    assert "新增 0 条,更新 0 条,未变 1639 条" in out


def test_shipped_inner_mongolia_file_is_fast():
    started = time.monotonic()
    out, _ = run(INNER_MONGOLIA)
    elapsed = time.monotonic() - started
    assert "新增 15938 条" in out
    assert Unit.objects.filter(kind=UnitKind.VILLAGE).count() == 14592
    assert elapsed < 20, elapsed
