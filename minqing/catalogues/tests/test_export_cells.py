"""Catalogue exports write formula-like text as quoted text (issue 16, finding 3)."""

import pytest

from minqing.catalogues.formats import POWERS, write
from minqing.core.tests.cells import EVIL, assert_no_formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_quoted(fmt) -> None:
    row = {"unit_code": "150902", "category": "行政许可", "name": EVIL, "published_on": "2026-01-02"}
    assert_no_formula(write(POWERS, [row], fmt), fmt)
