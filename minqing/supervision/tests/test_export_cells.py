"""Supervision exports write formula-like text as quoted text; numbers stay numbers (issue 16, 3)."""

import pytest

from minqing.core.tests.cells import EVIL, assert_no_formula, csv_cells, xlsx_cells
from minqing.supervision.exports import write_csv, write_xlsx


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_quoted(fmt) -> None:
    headers, rows = ["标题", "数", "名"], [[EVIL, -3, "路\x01灯"]]
    body = write_csv(headers, rows) if fmt == "csv" else write_xlsx("检查", headers, rows)
    assert_no_formula(body, fmt)
    cells = csv_cells(body) if fmt == "csv" else [c.value for c in xlsx_cells(body)]
    assert "-3" in cells or -3 in cells
    assert "路灯" in cells
