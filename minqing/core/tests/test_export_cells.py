"""The one cell cleaner of every export (formula injection, characters xlsx cannot hold) and
its inverse on import; formula cells in an imported xlsx are refused, not read as empty."""

import ast
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from minqing.core.exports import csv_writer, safe_cell, unquote_cell
from minqing.core.importing import ImportFailed
from minqing.core.tabular import read_table
from minqing.core.text import PlainCharField

EVIL = '=HYPERLINK("http://x","点我")'


@pytest.mark.parametrize(
    "text", [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''-x", "-1+cmd|' /C calc'!A0"]
)
def test_formula_like_text_gets_one_quote_and_comes_back(text) -> None:
    assert safe_cell(text) == "'" + text
    assert unquote_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "路灯不亮",
        "'quoted",
        "a=b",
        " =x",
        "'",
        "15090210",
        "-",
        "-3",
        "-12.5%",
        "+86 138 0000 1111",
        "'-3",
    ],
)
def test_plain_text_unchanged(text) -> None:
    assert safe_cell(text) == text
    assert unquote_cell(text) == text


@pytest.mark.parametrize("value", [-5, -1.5, Decimal("-2.50"), dt.date(2026, 1, 2), None, True, 0])
def test_numbers_and_dates_stay_as_they_are(value) -> None:
    assert safe_cell(value) is value


def test_characters_xlsx_cannot_hold_are_dropped() -> None:
    assert safe_cell("路\x01灯\x0b不\x1f亮\n\t") == "路灯不亮\n\t"
    assert safe_cell("\x01=1+1") == "'=1+1"


def test_csv_writer_cleans_every_cell() -> None:
    out = io.StringIO()
    csv_writer(out).writerow([EVIL, -3, "ok"])
    assert out.getvalue() == '"\'=HYPERLINK(""http://x"",""点我"")",-3,ok\r\n'


def test_escaped_xlsx_cell_is_a_string_and_reads_back(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["标题", "数"])
    ws.append([safe_cell(EVIL), safe_cell(-4)])
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A2"]
    assert cell.data_type == "s" and cell.value == "'" + EVIL
    assert read_table(tmp_path / "t.xlsx").rows == [(2, [EVIL, "-4"])]


def test_csv_import_drops_the_export_quote(tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["标题"])
    writer.writerow([EVIL])
    (tmp_path / "t.csv").write_text(out.getvalue(), encoding="utf-8")
    assert read_table(tmp_path / "t.csv").rows == [(2, [EVIL])]


def test_formula_cell_in_xlsx_is_refused_with_its_place(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["单位代码", "名称"])
    ws.append(["150902", '=A2&"镇"'])  # openpyxl writes no computed value: data_only reads None
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(ImportFailed) as caught:
        read_table(tmp_path / "f.xlsx")
    [problem] = caught.value.issues
    assert (problem.row, problem.column, problem.value) == (2, "名称", '=A2&"镇"')
    assert str(problem.reason) == "单元格是公式,请粘贴为数值后再导入"


# modules that write data files the project ships and reads back itself, never a file for a spreadsheet
SHIPPED_DATA_WRITERS = {"nlp/category/split.py", "nlp/topics/planted.py", "nlp/duplicates/labelled.py"}


def test_no_export_writes_csv_around_the_cleaner() -> None:
    """Every csv goes through ``csv_writer``: no module calls ``csv.writer`` itself."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or (path.name == "exports.py" and path.parent.name == "core"):
            continue
        if str(path.relative_to(root)) in SHIPPED_DATA_WRITERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def test_plain_char_field_keeps_only_line_feeds_and_tabs() -> None:
    assert (
        PlainCharField().clean(" \x01路灯\x0b不亮\r\n第二行\r第三行\t完\x7f ")
        == "路灯不亮\n第二行\n第三行\t完"
    )
    assert PlainCharField(required=False).clean("\x01\x02") == ""
