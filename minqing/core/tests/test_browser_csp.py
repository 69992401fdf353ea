"""The Content-Security-Policy in a real browser: every main page works under it, nothing is blocked.

Headless Debian chromium (``/usr/bin/chromium``) against pytest-django's ``live_server``, as in the
other browser tests, logging in through the form. Each page's own response must carry the policy
(so the test fails where there is none), and the browser must report no violation: neither a
``securitypolicyviolation`` event nor a console message. The dashboard's ECharts charts must
still draw (and show a tooltip) under ``script-src 'self'`` / ``style-src 'self'``. At the end an
inline script is injected on purpose, to show that a violation would be seen.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from minqing.accounts.testing import one_time_code
from minqing.ledger.tests.test_browser import browser  # noqa: F401 (the fixture)
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.tests.factories import PASSWORD
from minqing.reports.tests.dashboard_world import make_world
from minqing.reports.tests.test_dashboard_browser import YEAR, echarts_installed, wait_for_charts  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolation({page: location.pathname, directive: e.violatedDirective,
                       blocked: e.blockedURI, sample: e.sample || ''});
});
"""


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Watch:
    """One browser context; every CSP violation and console message about the policy, by page."""

    def __init__(self, browser: Browser, base: str) -> None:  # noqa: F811
        self.base = base
        self.violations: list[dict[str, str]] = []
        self.console: list[str] = []
        self.context: BrowserContext = browser.new_context(
            locale="zh-CN", viewport={"width": 1366, "height": 900}
        )
        self.context.expose_binding("cspViolation", lambda _source, v: self.violations.append(v))
        self.context.add_init_script(LISTEN)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._console)

    def _console(self, msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "Refused to" in msg.text:
            self.console.append(f"{self.page.url}: {msg.text}")

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, (path, policy)
        self.page.wait_for_load_state("load")
        return self.page

    def login(self, username: str) -> None:
        """The two steps: the password, then a one-time recovery code (the office and every
        administrator must use a second factor); the code page is checked under the policy too."""
        code = one_time_code(User.objects.get(username=username))
        page = self.open("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click(".login button[type=submit]")
        page.fill("#id_code", code)
        page.click(".login button[type=submit]")
        expect(page.locator("header .user")).to_have_text(username)

    def clean(self) -> None:
        self.page.wait_for_timeout(300)  # a report is delivered as a task after the event
        assert self.violations == [], self.violations
        assert self.console == [], self.console


@pytest.fixture
def world() -> Iterator[Any]:
    w = make_world()
    root = w.users["root"]
    root.is_staff = True
    root.save(update_fields=["is_staff"])
    AdminDuty.objects.update_or_create(user=root, defaults={"duty": Duty.SYSTEM})
    yield w


def test_the_main_pages_raise_no_csp_violation(browser: Browser, live_server: Any, world: Any) -> None:  # noqa: F811
    public = Watch(browser, live_server.url)
    staff = Watch(browser, live_server.url)
    admin = Watch(browser, live_server.url)
    try:
        # the public, not logged in
        for path in (
            "/accounts/login/",
            "/public/submit/",
            "/public/track/",
            "/public/problems/",
            "/admin/login/",
        ):
            public.open(path)
        public.clean()

        # an office: the queue, the unit tree (indented by classes), a programme (an SVG chart)
        staff.login("city_office")
        staff.open("/ledger/")
        staff.open(f"/units/?open={world.u['village_a'].pk}")
        expect(staff.page.locator("td.indent-3")).not_to_have_count(0)
        staff.open(f"/programmes/{world.programme.pk}/")
        expect(staff.page.locator("svg.progress-chart")).not_to_have_count(0)
        staff.open("/accounts/password/")
        staff.open("/accounts/second-factor/")  # the QR code is an <img> of an SVG view
        # the dashboard: ECharts draws every chart, and its tooltip shows on hover
        page = staff.open(f"/reports/dashboard/?{YEAR}")
        charts = wait_for_charts(page)
        assert len(charts) >= 8
        chart = page.locator('.chart[data-chart="state"]')
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.35)
        page.wait_for_timeout(500)
        staff.clean()

        # the admin site: its index and a change form with its widgets' scripts
        admin.login("root")
        admin.open("/admin/")
        expect(admin.page.locator("#site-name")).to_be_visible()
        admin.open(f"/admin/auth/user/{world.users['city_office'].pk}/change/")
        expect(admin.page.locator("#user_form")).to_be_visible()
        admin.open("/admin/orgs/person/")  # a change list: filters, search, actions
        expect(admin.page.locator("#changelist")).to_be_visible()
        admin.open(f"/admin/orgs/unit/{world.u['village_a'].pk}/change/")
        admin.clean()

        # the listener is live: an injected inline script is blocked and reported
        admin.page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
            " document.body.appendChild(s); }"
        )
        admin.page.wait_for_timeout(300)
        assert [v["directive"] for v in admin.violations] in (["script-src-elem"], ["script-src"])
        assert admin.page.evaluate("() => window.x") is None
    finally:
        for w in (public, staff, admin):
            w.context.close()
