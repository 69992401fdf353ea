"""The public list and the staff queue at 390 px with their page links showing: both fit the
phone, and 下一页 / 上一页 are plain links that work (issue 17, part 5)."""

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page

from minqing.core.tests.test_browser_phone import PHONE, too_wide
from minqing.ledger import selectors
from minqing.ledger.tests.test_browser import browser as browser  # the fixture
from minqing.ledger.tests.test_lists_growth import many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _walk(page: Page, url: str) -> list[str]:
    """Open ``url``, go to the next page and back by the links; what did not fit."""
    rows = ".plist li, table.grid tbody tr"
    page.goto(url)
    problems = too_wide(page)
    assert page.locator(rows).count() == 4 and page.locator("a[rel=prev]").count() == 0
    page.click("a[rel=next]")
    assert "after=" in page.url and page.locator(rows).count() == 4
    problems += too_wide(page)
    page.click("a[rel=prev]")
    assert "before=" in page.url and page.locator(rows).count() == 4
    assert page.locator("a[rel=prev]").count() == 0  # back on the first page
    return problems


def test_both_lists_page_on_a_phone(
    browser: Browser,
    live_server: Any,
    lw: Any,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    many(lw, 10)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    assert _walk(page, f"{live_server.url}/public/problems/") == []
    client = Client()
    client.force_login(lw.users["county_office"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    assert _walk(page, f"{live_server.url}/ledger/?tab=unit") == []
    context.close()
