"""A real browser: an office user signs in for the first time, is held on enrollment, sets up the
authenticator from the page (the QR image loads, the key is read off the page), keeps the recovery
codes, then reaches the queue; the next sign-in asks for the code. Chromium as in the ledger's
browser test (``MINQING_SKIP_BROWSER=1`` skips it when chromium is missing)."""

import base64
import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from django_otp.oath import totp
from playwright.sync_api import Browser, expect

from minqing.ledger.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import PASSWORD, UserFactory, grant, small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.plain_login]


def code_from_key(key: str, offset: int = 0) -> str:
    secret = base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    return f"{totp(secret, drift=offset):06d}"


def test_first_sign_in_enrols_then_the_code_is_asked(browser: Browser, live_server: Any) -> None:  # noqa: F811
    tree = small_tree()
    user = UserFactory(username="county_office")
    grant(user, Role.OFFICE, tree["county"])
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    base = live_server.url

    def sign_in() -> None:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "county_office")
        page.fill("#id_password", PASSWORD)
        page.click(".login button[type=submit]")

    try:
        sign_in()
        expect(page.locator("h1")).to_have_text("设置两步验证")
        page.goto(f"{base}/ledger/")  # nothing else opens
        expect(page.locator("h1")).to_have_text("设置两步验证")
        qr = page.locator("img[src$='qr.svg']")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
        key = page.locator(".bigcode").inner_text()
        page.fill("#id_code", code_from_key(key))
        page.click("form.stack button[type=submit]")
        codes = page.locator(".recovery-codes li")
        expect(codes).to_have_count(10)
        page.goto(f"{base}/ledger/")
        expect(page.locator("header .user")).to_have_text("county_office")
        assert "/ledger/" in page.url

        page.locator("header form[action$='/logout/'] button").click()
        sign_in()
        expect(page.locator("h1")).to_have_text("两步验证")
        page.fill("#id_code", code_from_key(key, offset=1))  # the next step's code: not a replay
        page.click(".login button[type=submit]")
        expect(page.locator("header .user")).to_have_text("county_office")
        expect(page.locator("h1")).not_to_have_text("两步验证")
    finally:
        context.close()
