"""The issue's Done-when: the dashboard renders in headless chromium with its charts drawn and no
console errors; a click on a child unit, on its chart and on the map drills down.

Playwright drives Debian's chromium (``/usr/bin/chromium``; never a downloaded browser) against
pytest-django's ``live_server``, with the launch fixture and login session of the ledger's
browser test. ECharts must be installed (``make install`` runs ``npm ci``): without it the test
fails and says so, rather than passing on a page without charts.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect

from minqing.ledger.tests.test_browser import Session, browser  # noqa: F401 (the fixture)
from minqing.reports.dashboard.assets import ECHARTS
from minqing.reports.tests.dashboard_world import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = "start=2019-01-01&end=2019-12-31"
CHARTS = ("state", "source", "channel", "on-the-spot", "types", "series", "programme", "map", "children")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def echarts_installed() -> None:
    if finders.find(ECHARTS) is None:
        where = Path(settings.BASE_DIR) / "node_modules" / "echarts"
        pytest.fail(
            f"ECharts is not installed ({where} is missing): run `make install` (npm ci) before this test; "
            "the dashboard cannot draw its charts without it"
        )


class Console:
    """Every console error and uncaught page error of a page, every failed request (but those
    aborted by a navigation) and every error response."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request: Request) -> None:
        # a request cut short by leaving the page (a click that drills down) is no error
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"requestfailed: {request.url} {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")


def drawn_charts(page: Page) -> list[dict[str, Any]]:
    """Per chart container: whether an ECharts instance owns it and the size of its canvas."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart[data-chart]')).map(el => {
            const canvas = el.querySelector('canvas');
            return {
              chart: el.dataset.chart,
              instance: !!window.echarts && !!window.echarts.getInstanceByDom(el),
              width: canvas ? canvas.width : 0,
              height: canvas ? canvas.height : 0,
              drawn: el.dataset.drawn || '',
            };
        })"""
    )


def wait_for_charts(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function("() => !!window.echarts")
    expect(page.locator('.chart[data-chart="map"]')).to_have_attribute("data-drawn", "true")
    charts = drawn_charts(page)
    for c in charts:
        assert c["instance"] and c["drawn"] == "true", f"chart {c['chart']} not drawn: {c}"
        assert c["width"] > 0 and c["height"] > 0, f"chart {c['chart']} has an empty canvas: {c}"
    return charts


def test_the_dashboard_draws_its_charts_and_drills_down(browser: Browser, live_server: Any) -> None:  # noqa: F811
    make_world()
    base = live_server.url
    session = Session(browser, base, "city_office")
    page = session.page
    console = Console(page)
    try:
        # the menu leads to the dashboard; the default unit is the user's first (乌兰察布市)
        page.goto(f"{base}/reports/")
        page.locator("nav.menu a", has_text="数据看板").click()
        expect(page.locator("#dashboard-unit")).to_have_text("乌兰察布市")
        page.goto(f"{base}/reports/dashboard/?{YEAR}")
        charts = wait_for_charts(page)
        assert {c["chart"] for c in charts} == set(CHARTS)
        expect(page.locator("#charts-missing")).to_have_count(0)
        expect(page.locator('[data-figure="problems"]')).to_have_text("5")

        # the map: every county of Ulanqab drawn, coloured by the chosen metric; switching the
        # metric redraws it without a reload
        option = page.evaluate(
            """() => {
                const chart = echarts.getInstanceByDom(document.querySelector('.chart[data-chart="map"]'));
                const s = chart.getOption().series[0];
                return {n: s.data.length, jining: s.data.find(d => d.code === '150902').value};
            }"""
        )
        assert option == {"n": 11, "jining": 4}
        page.select_option("#f-metric", "person_times")
        expect(page.locator("#map-metric-label")).to_have_text("参加人次")
        jining = page.evaluate(
            """() => echarts.getInstanceByDom(document.querySelector('.chart[data-chart="map"]'))
                .getOption().series[0].data.find(d => d.code === '150902').value"""
        )
        assert jining == 33

        # drill down by the table of child units: 集宁区
        page.locator("#children a", has_text="集宁区").click()
        expect(page.locator("#dashboard-unit")).to_have_text("集宁区")
        wait_for_charts(page)
        expect(page.locator('[data-figure="problems"]')).to_have_text("4")
        expect(page.locator("#children tr[data-unit]")).to_have_count(2)
        expect(page.locator(".breadcrumb")).to_contain_text("乌兰察布市")

        # drill down by clicking the child units' chart: the first bar is 新体育场街道
        page.locator('.chart[data-chart="children"]').scroll_into_view_if_needed()
        box = page.locator('.chart[data-chart="children"]').bounding_box()
        assert box is not None
        point = page.evaluate(
            """() => {
                const el = document.querySelector('.chart[data-chart="children"]');
                return echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [0, 1]);
            }"""
        )
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        expect(page.locator("#dashboard-unit")).to_have_text("新体育场街道")
        wait_for_charts(page)

        # back up through the breadcrumb, then to the prefecture, and click 卓资县 on the map
        page.locator(".breadcrumb a", has_text="乌兰察布市").click()
        expect(page.locator("#dashboard-unit")).to_have_text("乌兰察布市")
        wait_for_charts(page)
        point = page.evaluate(
            """() => {
                const el = document.querySelector('.chart[data-chart="map"]');
                const chart = echarts.getInstanceByDom(el);
                const region = chart.getModel().getSeriesByIndex(0).coordinateSystem.getRegion('卓资县');
                return chart.convertToPixel({seriesIndex: 0}, region.getCenter());
            }"""
        )
        page.locator('.chart[data-chart="map"]').scroll_into_view_if_needed()
        box = page.locator('.chart[data-chart="map"]').bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        expect(page.locator("#dashboard-unit")).to_have_text("卓资县")
        wait_for_charts(page)
        expect(page.locator('[data-figure="person-times"]')).to_have_text("10")
        if os.environ.get("MINQING_SCREENSHOTS"):
            page.screenshot(path=os.environ["MINQING_SCREENSHOTS"], full_page=True)
    finally:
        session.context.close()
    assert console.errors == [], console.errors
