"""Programme exports write formula-like text as quoted text; numbers stay numbers (issue 16, 3)."""

from decimal import Decimal

import pytest

from minqing.core.tests.cells import EVIL, assert_no_formula, csv_cells, xlsx_cells
from minqing.programmes.exports import write_table


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_quoted_and_negative_numbers_stay(fmt) -> None:
    body = write_table(["项目名称", "投入资金"], [[EVIL, Decimal("-2.50")]], fmt)
    assert_no_formula(body, fmt)
    if fmt == "csv":
        assert "-2.5" in csv_cells(body)
    else:
        [funds] = [c for c in xlsx_cells(body) if c.coordinate == "B2"]
        assert funds.data_type == "n" and funds.value == -2.5
