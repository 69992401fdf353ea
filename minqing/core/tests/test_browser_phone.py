"""Staff pages on a phone (issue 15, item 3), in headless chromium at 390×844 as the other browser
tests drive it: the left menu is folded behind its button, opens on a tap and its links work; the
tabs wrap instead of breaking one character per line; and no page is wider than the screen
(``document.documentElement.scrollWidth`` ≤ 390) on every menu page and a few detail pages."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, ViewportSize, expect

from minqing.accounts.testing import one_time_code
from minqing.ledger.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from minqing.orgs.tests.factories import PASSWORD
from minqing.reports.tests.dashboard_world import DashWorld, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
# the menu's sections that the office must find among the pages checked
MENU_PAGES = (
    "/ledger/",
    "/activities/",
    "/supervision/",
    "/programmes/",
    "/catalogues/",
    "/reports/",
    "/units/",
)

# the widest elements of a page that is too wide, to say where in the failure
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > limit + 1 && !clipped(e))
    .slice(-5)
    .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
      + ' right=' + Math.round(e.getBoundingClientRect().right));
}"""

# a tab whose text breaks over lines is taller than two lines of its font
BROKEN_TABS = """() => [...document.querySelectorAll('nav.tabs a')]
  .filter((a) => a.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(a).lineHeight))
  .map((a) => a.textContent.trim())"""


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world() -> DashWorld:
    return make_world()


def phone_login(browser: Browser, base: str, username: str) -> Page:  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    code = one_time_code(User.objects.get(username=username))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login button[type=submit]")
    page.fill("#id_code", code)
    page.click(".login button[type=submit]")
    expect(page.locator("header .user")).to_have_text(username)
    return page


def too_wide(page: Page) -> list[str]:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return []
    return [f"{page.url}: scrollWidth {width} > {PHONE['width']}: {page.evaluate(WIDEST)}"]


@pytest.fixture
def phone(browser: Browser, live_server: Any, world: DashWorld) -> Iterator[Page]:  # noqa: F811
    page = phone_login(browser, live_server.url, "city_office")
    yield page
    page.context.close()


def test_the_menu_folds_behind_a_button_that_opens_it_on_a_tap(phone: Page, live_server: Any) -> None:
    phone.goto(f"{live_server.url}/ledger/")
    button = phone.locator("nav.menu .menu-button")
    links = phone.locator("nav.menu > ul")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()

    button.tap()
    expect(links).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert too_wide(phone) == []
    phone.locator("nav.menu a", has_text="活动列表").tap()
    phone.wait_for_url(f"{live_server.url}/activities/")
    expect(phone.locator("nav.menu > ul")).to_be_hidden()  # folded again on the next page

    phone.locator("nav.menu .menu-button").tap()
    phone.locator("nav.menu > ul > li > a", has_text="督导").tap()
    phone.wait_for_url(f"{live_server.url}/supervision/**")
    phone.locator("nav.menu .menu-button").tap()
    expect(phone.locator("nav.menu > ul")).to_be_visible()
    phone.locator("nav.menu .menu-button").tap()
    expect(phone.locator("nav.menu > ul")).to_be_hidden()


def test_no_staff_page_is_wider_than_the_phone(phone: Page, live_server: Any, world: DashWorld) -> None:
    base = live_server.url
    phone.goto(f"{base}/ledger/")
    menu = phone.locator("nav.menu a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    paths = [p for p in dict.fromkeys(menu) if not p.startswith("/admin/")]
    for must in MENU_PAGES:
        assert any(p.startswith(must) for p in paths), (must, paths)
    detail = [
        f"/ledger/{world.p['p1'].number}/",
        f"/programmes/{world.programme.pk}/",
        f"/units/{world.u['town_a'].pk}/",
        f"/units/?open={world.u['village_a'].pk}",
        "/reports/dashboard/?start=2019-01-01&end=2019-12-31",
        "/ledger/intake/",
    ]
    wide: list[str] = []
    broken: list[str] = []
    for path in [*paths, *detail]:
        response = phone.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        phone.wait_for_load_state("load")
        wide += too_wide(phone)
        broken += [f"{path}: {tab}" for tab in phone.evaluate(BROKEN_TABS)]
    assert len(paths) >= 15, paths
    assert wide == [], "\n".join(wide)
    assert broken == [], broken


def test_the_menu_stays_open_on_a_wide_screen(browser: Browser, live_server: Any, world: DashWorld) -> None:  # noqa: F811
    page = phone_login(browser, live_server.url, "city_office")
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{live_server.url}/ledger/")
        expect(page.locator("nav.menu > ul")).to_be_visible()
        expect(page.locator("nav.menu .menu-button")).to_be_hidden()
    finally:
        page.context.close()
