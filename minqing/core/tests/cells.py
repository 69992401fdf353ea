"""Helpers for the export tests of every app: the cells of an exported file."""

import csv
import io
from typing import Any

from openpyxl import load_workbook

EVIL = '=HYPERLINK("http://x","点我")'


def xlsx_cells(body: bytes) -> list[Any]:
    """Every non-empty cell of every sheet (openpyxl cells: ``value`` and ``data_type``)."""
    wb = load_workbook(io.BytesIO(body))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def assert_no_formula(body: bytes, fmt: str) -> None:
    """No cell of the file is a formula, and ``EVIL`` is there as quoted text."""
    if fmt == "csv":
        assert "'" + EVIL in csv_cells(body)
        return
    cells = xlsx_cells(body)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert "'" + EVIL in [c.value for c in cells]
