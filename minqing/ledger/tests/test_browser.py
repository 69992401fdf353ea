"""The issue's Done-when: a real browser walks the whole lifecycle for each channel.

Playwright drives Debian's chromium (``/usr/bin/chromium``, headless; never a downloaded
browser) against pytest-django's ``live_server``. Every step is a click in the pages by the
right user, each logged in through the login form: a clerk records a letter, a visit or a call
(the public posts online), the office assigns, the township accepts, the leader claims it as
must-solve, the township starts, asks for an extension that the office grants, resolves, and
the callback or verification closes it; the public submission is then followed on
/public/track/ by its tracking code.

A missing chromium fails the test, unless ``MINQING_SKIP_BROWSER=1``.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect, sync_playwright

from minqing.accounts.testing import one_time_code
from minqing.ledger.enums import Channel, State
from minqing.ledger.models import Extension, Feedback, Problem, ProblemEvent
from minqing.orgs.tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 20_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("MINQING_SKIP_BROWSER") == "1":
            pytest.skip("MINQING_SKIP_BROWSER=1 and no chromium at /usr/bin/chromium")
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or set MINQING_SKIP_BROWSER=1)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Session:
    """One user's browser context, logged in through the login form."""

    def __init__(self, browser: Browser, base: str, username: str | None = None) -> None:
        self.base = base
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        if username:
            # the second step: a one-time recovery code (the office must use a second factor)
            code = one_time_code(User.objects.get(username=username))
            self.page.goto(f"{base}/accounts/login/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.click(".login button[type=submit]")
            self.page.fill("#id_code", code)
            self.page.click(".login button[type=submit]")
            expect(self.page.locator("header .user")).to_have_text(username)

    def open(self, number: str) -> Page:
        self.page.goto(f"{self.base}/ledger/{number}/")
        return self.page

    def act(
        self,
        number: str,
        action: str,
        fill: dict[str, str] | None = None,
        select: dict[str, str] | None = None,
    ) -> None:
        page = self.open(number)
        form = page.locator(f"#act-{action}")
        for name, value in (fill or {}).items():
            form.locator(f"[name='{action}-{name}']").fill(value)
        for name, value in (select or {}).items():
            form.locator(f"[name='{action}-{name}']").select_option(value)
        form.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("已完成")

    def state_is(self, number: str, label: str) -> None:
        expect(self.open(number).locator("#problem-state")).to_have_text(label)

    def close(self) -> None:
        self.context.close()


def _clerk_intake(clerk: Session, channel: str, unit_code: str) -> str:
    page = clerk.page
    page.goto(f"{clerk.base}/ledger/intake/")
    page.locator("nav.tabs a", has_text={"letter": "来信", "visit": "来访", "call": "来电"}[channel]).click()
    page.fill("[name=title]", f"{channel}:村口路灯不亮")
    page.fill("[name=content]", "村口三盏路灯坏了三个月,晚上出行不便")
    page.fill("[name=unit_code]", unit_code)
    page.fill("[name=name]", "王大妈")
    page.fill("[name=phone]", "13900001111")
    if channel == Channel.LETTER:
        page.fill("[name=letter_date]", "2025-09-28")
        page.fill("[name=address]", "泉山社区 3 号楼")
    elif channel == Channel.VISIT:
        page.fill("[name=visitors]", "3")
        page.check("[name=group_visit]")
    else:
        page.fill("[name=caller]", "0474-8888888")
    page.locator("form.stack button.primary[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("查询码")
    match = re.search(r"/ledger/([^/]+)/$", page.url)
    assert match, page.url
    return match.group(1)


def _public_submit(public: Session, unit_code: str) -> str:
    page = public.page
    page.goto(f"{public.base}/accounts/login/")
    page.get_by_role("link", name="网上反映问题").click()
    page.fill("[name=title]", "online:小区垃圾无人清运")
    page.fill("[name=content]", "小区门口垃圾堆放一周无人清运")
    page.fill("[name=unit_code]", unit_code)
    page.fill("[name=name]", "王大妈")
    page.fill("[name=phone]", "13900001111")
    page.locator("#submit-form button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code), code
    return code


def _track(public: Session, code: str, label: str) -> None:
    page = public.page
    page.goto(f"{public.base}/public/track/")
    page.fill("#code", code)
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#tracking-state")).to_have_text(label)
    html = page.content()
    assert "王大妈" not in html and "13900001111" not in html


def _find_in_queue(office: Session, title_part: str) -> str:
    page = office.page
    page.goto(f"{office.base}/ledger/")
    page.select_option("#f-channel", "online")
    page.fill("#f-q", title_part)
    page.locator("form.filters button[type=submit]").click()
    link = page.locator("table.grid tbody a").first
    number = link.inner_text().strip()
    link.click()
    expect(page.locator("h1 .code")).to_have_text(number)
    return number


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.VISIT, Channel.CALL, Channel.ONLINE])
def test_lifecycle_in_a_real_browser(browser: Browser, live_server: Any, lw: Any, channel: str) -> None:
    base = live_server.url
    sessions: list[Session] = []

    def session(username: str | None = None) -> Session:
        s = Session(browser, base, username)
        sessions.append(s)
        return s

    try:
        office, staff = session("county_office"), session("a_staff")
        leader, clerk = session("county_leader"), session("county_intake")
        town = lw.u["town_a"]
        code = ""
        if channel == Channel.ONLINE:
            public = session()
            code = _public_submit(public, lw.u["village_a"].code)
            _track(public, code, "已登记")
            number = _find_in_queue(office, "垃圾")
        else:
            number = _clerk_intake(clerk, channel, town.code)
        clerk.state_is(number, "已登记")

        office.act(number, "assign", fill={"unit_code": town.code})
        office.state_is(number, "已交办")
        staff.act(number, "accept")
        leader.act(number, "claim")  # 认领为必解问题: the must-solve box is ticked by default
        expect(leader.page.locator(".facts")).to_contain_text("必解问题")
        staff.act(number, "start")
        staff.state_is(number, "整改中")
        due_before = staff.page.locator("#due-date").inner_text()
        staff.act(number, "request_extension", fill={"days": "5", "reason": "需协调供电公司更换线路"})
        office.act(number, "grant_extension")
        assert office.page.locator("#due-date").inner_text() > due_before
        staff.act(
            number,
            "resolve",
            fill={"measures": "更换灯具三套并检修线路"},
            select={"resolution_kind": "rectified"},
        )
        staff.state_is(number, "已办结")
        if channel == Channel.LETTER or channel == Channel.ONLINE:
            clerk.act(number, "callback", select={"satisfaction": "satisfied"})
        elif channel == Channel.VISIT:
            office.act(number, "close")
            clerk.act(number, "callback", select={"satisfaction": "basically_satisfied"})
        else:  # unsatisfied: reopened, resolved again, then verified and closed
            clerk.act(number, "callback", select={"satisfaction": "unsatisfied"})
            clerk.state_is(number, "整改中")
            staff.act(
                number, "resolve", select={"resolution_kind": "on_the_spot"}, fill={"measures": "当场修复"}
            )
            office.act(number, "close")
        office.state_is(number, "已销号")
        timeline = office.page.locator("#timeline").inner_text()
        for label in ("登记", "交办", "受理", "领导认领", "开始整改", "申请延期", "批准延期", "办结"):
            assert label in timeline, label

        # the accused township's page never names the reporter
        html = staff.open(number).content()
        assert "王大妈" not in html and "13900001111" not in html
        if channel == Channel.ONLINE:
            _track(public, code, "已销号")
            expect(public.page.locator("#tracking")).to_contain_text("批准延期")
    finally:
        for s in sessions:
            s.close()

    p = Problem.objects.get(number=number)
    assert p.state == State.CLOSED and p.must_solve and p.claimed_by == lw.leader_person
    assert Feedback.objects.get(problem=p).channel == channel
    assert Extension.objects.get(problem=p).state == "granted"
    assert ProblemEvent.objects.filter(problem=p, action="claim").exists()
