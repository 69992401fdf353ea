"""Done when, in a real browser: an Excel progress upload with one bad row is rejected whole with the
row named; the corrected file is imported and the progress page shows the shares and the chart.

Playwright drives Debian's chromium against ``live_server``, with the ledger's browser fixture and
login session (a missing chromium fails the test unless ``MINQING_SKIP_BROWSER=1``).
"""

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, expect

from minqing.activities.tests.importing import write
from minqing.ledger.tests.test_browser import Session, browser  # noqa: F401 (the fixture)
from minqing.programmes.models import ProgressReport
from minqing.programmes.tests.test_upload import GOOD, HEADERS
from minqing.programmes.tests.world import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_rejected_whole_then_imported(browser: Browser, live_server: Any, tmp_path) -> None:  # noqa: F811
    w = make_world()
    w.plan("town_a", "road_paving", 60)
    w.plan("town_b", "road_paving", 40)
    base = live_server.url
    office = Session(browser, base, "county_office")
    page = office.page
    bad_rows = [*GOOD[:2], ["150902101000", "街巷硬化", "", "2015-06-30", "2.5", "-7.25", "800"], GOOD[3]]
    bad = write(tmp_path / "进度.xlsx", HEADERS, bad_rows)
    good = write(tmp_path / "进度更正.xlsx", HEADERS, GOOD)

    page.goto(f"{base}/programmes/")
    page.get_by_role("link", name="集宁区十个全覆盖").click()
    page.get_by_role("link", name="上传 Excel").first.click()
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="上传并导入").click()
    failed = page.locator("#upload-failed")
    expect(failed).to_contain_text("进度.xlsx 中有 1 处错误,未导入任何数据")
    expect(failed).to_contain_text("第 4 行,列“完工”:“-7.25”应为不小于 0 的数,最多 2 位小数")
    assert ProgressReport.objects.count() == 0

    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#upload-done")).to_contain_text("新增 4 条")
    assert ProgressReport.objects.count() == 4

    page.get_by_role("link", name="查看完成情况").click()
    page.fill("#f-as-of", "2015-06-30")
    page.get_by_role("button", name="查看").click()
    road = page.locator("#summary tr[data-target='road_paving']")
    expect(road.locator("td.share")).to_have_text("9.8%")  # (2.5 + 7.25) / 100
    expect(page.locator("#t-road_paving svg")).to_be_visible()
    if os.environ.get("MINQING_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["MINQING_SCREENSHOTS"], "programme.png"), full_page=True)
