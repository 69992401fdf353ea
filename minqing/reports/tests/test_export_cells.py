"""The bulletin's xlsx writes formula-like text as quoted text and drops characters xlsx cannot
hold (issue 16, findings 3 and 7)."""

import datetime as dt

from minqing.core.tests.cells import EVIL, assert_no_formula, xlsx_cells
from minqing.reports.bulletins.document import BulletinDoc
from minqing.reports.bulletins.renderers.xlsx import render_xlsx


def test_bulletin_xlsx_cells_are_clean() -> None:
    doc = BulletinDoc(
        unit_name="集宁区",
        unit_code="150902",
        as_of=dt.date(2026, 1, 2),
        campaign_name="专题\x01一",
        campaign_kind="",
        title=EVIL,
        paragraphs=[],
        figures=[],
    )
    body = render_xlsx(doc)
    assert_no_formula(body, "xlsx")
    assert "专题一" in [c.value for c in xlsx_cells(body)]
