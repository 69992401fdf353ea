"""Issue 14 part 1 in a real browser on a phone (390×844): the resident searches for their place
and sees the typed title and text survive, picks through the cascade (旗县 → 乡镇街道 → 嘎查村社区)
and submits; the same without JavaScript (every picker button a submit button of one form); "use
my location" preselects the county and the map loads ECharts only when asked for. Part 6: every
public page fits 320 px, and the form's first visit stays under 100 KB before images.
Chromium as in ``test_browser.py`` (``MINQING_SKIP_BROWSER=1`` skips it)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from minqing.ledger.models import Feedback
from minqing.ledger.tests.public_pages import public_pages
from minqing.ledger.tests.test_browser import TIMEOUT_MS
from minqing.ledger.tests.test_browser import browser as browser  # the module's chromium fixture
from minqing.ledger.tests.test_public_places import interior_point
from minqing.reports.dashboard.geo import county_shapes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
NARROW: ViewportSize = {"width": 320, "height": 640}
BUDGET = 100 * 1024  # bytes before images on a first visit
TITLE = "小区路灯不亮"
CONTENT = "3 号楼前的路灯坏了一个月"


def _context(browser: Browser, viewport: ViewportSize = PHONE, **kw: Any) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=True, has_touch=True, **kw)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = _context(browser)
    yield context.new_page()
    context.close()


def _errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _typed_text_is_there(page: Page) -> None:
    expect(page.locator("[name=title]")).to_have_value(TITLE)
    expect(page.locator("[name=content]")).to_have_value(CONTENT)


def test_search_then_cascade_then_submit_on_a_phone(phone: Page, live_server: Any, lw: Any) -> None:
    errors = _errors(phone)
    phone.goto(f"{live_server.url}/public/submit/")
    phone.evaluate("window.__samePage = true")  # gone if the page reloads
    phone.fill("[name=title]", TITLE)
    phone.fill("[name=content]", CONTENT)
    expect(phone.locator("#place-next")).to_be_hidden()  # the no-JS step button: the selects do it here

    search = phone.locator("[name=unit_code]")
    search.fill("红旗")
    search.press("Enter")  # Enter in the search box searches in place
    result = phone.locator("#place-results button.place-option")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("红旗村 · 白海子镇 · 集宁区")
    _typed_text_is_there(phone)
    assert phone.evaluate("window.__samePage === true")

    result.click()
    expect(phone.locator("#place-county")).to_have_value(lw.u["county"].code)
    expect(phone.locator("#place-township")).to_have_value(lw.u["town_b"].code)
    expect(phone.locator("#place-village")).to_have_value(lw.u["village_b"].code)
    expect(phone.locator("#place-chosen")).to_contain_text("红旗村 · 白海子镇 · 集宁区")

    # change one's mind down the cascade: the other township, then its village
    phone.select_option("#place-township", lw.u["town_a"].code)
    village = phone.locator("#place-village")
    expect(village.locator("option")).to_have_text(["请选择", "泉山社区 · 新体育场街道 · 集宁区"])
    expect(phone.locator("#place-chosen")).to_contain_text("新体育场街道 · 集宁区")
    phone.select_option("#place-village", lw.u["village_a"].code)
    expect(phone.locator("#place-chosen")).to_contain_text("泉山社区 · 新体育场街道 · 集宁区")
    _typed_text_is_there(phone)
    expect(search).to_have_value("红旗")  # what was typed in the search box stays too
    assert phone.evaluate("window.__samePage === true")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.fill("[name=phone]", "13600001234")
    phone.locator("#submit-form button.primary[type=submit]").click()
    code = phone.locator("#tracking-code").inner_text().strip()
    fb = Feedback.objects.get(tracking_code=code)
    assert fb.unit == lw.u["village_a"] and fb.title == TITLE
    assert not errors, errors


def test_search_and_cascade_without_javascript(browser: Browser, live_server: Any, lw: Any) -> None:
    context = _context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/public/submit/")
        page.fill("[name=title]", TITLE)
        page.fill("[name=content]", CONTENT)
        page.fill("[name=unit_code]", "红旗")
        page.locator("#place-search").click()  # a submit button: the page comes back
        _typed_text_is_there(page)
        expect(page.locator("[name=unit_code]")).to_have_value("红旗")
        page.locator("#place-results button.place-option", has_text="红旗村").click()
        _typed_text_is_there(page)
        expect(page.locator("#place-village")).to_have_value(lw.u["village_b"].code)
        # up to the county and down again, one step at a time
        page.select_option("#place-township", lw.u["town_a"].code)
        page.locator("#place-next").click()
        expect(page.locator("#place-village option")).to_have_text(
            ["请选择", "泉山社区 · 新体育场街道 · 集宁区"]
        )
        page.select_option("#place-village", lw.u["village_a"].code)
        assert not Feedback.objects.exists()  # nothing stored before 提交
        page.locator("#submit-form button.primary[type=submit]").click()
        code = page.locator("#tracking-code").inner_text().strip()
        assert Feedback.objects.get(tracking_code=code).unit == lw.u["village_a"]
    finally:
        context.close()


def test_my_location_preselects_the_county_and_the_map_loads_on_demand(
    browser: Browser, live_server: Any, lw: Any
) -> None:
    jining = next(s for s in county_shapes() if s.county.code == "150902")
    lon, lat = interior_point(jining.polygons[0][0])
    context = _context(browser, geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"])
    page = context.new_page()
    errors = _errors(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(f"{live_server.url}/public/submit/")
        page.fill("[name=title]", TITLE)
        page.locator("#place-locate").click()
        expect(page.locator("#place-county")).to_have_value(lw.u["county"].code)
        expect(page.locator("#place-township option")).to_have_count(3)  # 请选择 + two townships
        expect(page.locator("[name=title]")).to_have_value(TITLE)
        assert not any("echarts" in u or ".geojson" in u for u in requested), requested  # not before asked
        page.locator("#place-map-show").click()
        drawn = "() => !!window.echarts && !!echarts.getInstanceByDom(document.getElementById('place-map'))"
        page.wait_for_function(drawn)
        expect(page.locator("#place-map")).to_have_attribute("aria-label", "集宁区")
        assert any("echarts.min.js" in u for u in requested)
        assert not errors, errors
    finally:
        context.close()


def _non_image_bytes(page: Page, url: str) -> tuple[int, list[str]]:
    seen: list[tuple[str, int]] = []

    def count(response: Any) -> None:
        if response.request.resource_type == "image":
            return
        try:
            seen.append((response.url, len(response.body())))
        except Exception:  # a redirect has no body
            seen.append((response.url, 0))

    page.on("response", count)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", count)
    return sum(n for _, n in seen), [u for u, _ in seen]


def test_first_visit_under_100_kb_before_images(browser: Browser, live_server: Any, lw: Any) -> None:
    pages = public_pages(live_server.url, lw)
    for name, url in pages.items():
        context = _context(browser)  # cold: no cache, no cookies
        try:
            total, urls = _non_image_bytes(context.new_page(), url)
            assert total < BUDGET, f"{name}: {total} bytes before images: {urls}"
            assert not any("echarts" in u for u in urls), urls
        finally:
            context.close()


# every visible control smaller than 44×44 px; a checkbox or radio counts with the label around it
SMALL_TARGETS = """() => Array.from(
    document.querySelectorAll('a, button, input:not([type=hidden]), select, textarea'))
  .filter(el => el.getClientRects().length && !el.classList.contains('skip'))
  .map(el => {
    const target = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label') || el;
    const r = target.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 80), width: Math.round(r.width), height: Math.round(r.height)};
  })
  .filter(t => t.width < 44 || t.height < 44)"""


def test_every_public_page_fits_320_px(browser: Browser, live_server: Any, lw: Any) -> None:
    context = _context(browser, NARROW)
    page = context.new_page()
    try:
        for name, url in public_pages(live_server.url, lw).items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], f"{name}: {width}px wide at 320"
            small = page.evaluate(SMALL_TARGETS)
            assert not small, (name, small)
            page.keyboard.press("Tab")  # the skip link shows on focus
            box = page.locator("a.skip").bounding_box()
            assert box and box["height"] >= 44, (name, box)
        # the form with its errors and a search's results
        page.goto(f"{live_server.url}/public/submit/")
        page.locator("#submit-form button.primary[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
        page.fill("[name=unit_code]", "1509")
        page.locator("#place-search").click()
        expect(page.locator("#place-results button.place-option").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        assert not page.evaluate(SMALL_TARGETS)
    finally:
        context.close()
