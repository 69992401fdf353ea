"""我的工作 on a phone (390×844): township staff sign in (two steps), land on the home page, see
the problem the office just assigned with its notification, and follow the block's link to it.
Nothing on the home page is wider than the screen."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, ViewportSize, expect

from minqing.accounts.testing import one_time_code
from minqing.ledger.enums import Action, Channel
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from minqing.orgs.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_township_staff_land_on_my_work_on_a_phone(browser: Browser, live_server: Any, lw: Any) -> None:  # noqa: F811
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title="村口路灯不亮",
        content="村口三盏路灯坏了三个月",
        unit=lw.u["village_a"],
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    assert fb.problem is not None
    p = problem_transition(
        actor=lw.users["county_office"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        code = one_time_code(User.objects.get(username="a_staff"))  # enrols the second factor first
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "a_staff")
        page.fill("#id_password", PASSWORD)
        page.click(".login button[type=submit]")
        page.fill("#id_code", code)
        page.click(".login button[type=submit]")
        expect(page.locator("h1")).to_have_text("我的工作")
        assert page.url == f"{live_server.url}/"
        expect(page.locator(".notif-link .badge")).to_have_text("1")
        block = page.locator(".work-block.has-items", has_text="待受理")
        expect(block.locator(".work-count")).to_have_text("1")
        assert _scroll_width(page) <= PHONE["width"]
        block.locator("a").click()
        expect(page.locator(".work-banner")).to_contain_text("待受理")
        expect(page.locator("main")).to_contain_text(p.number)
        page.goto(f"{live_server.url}/ledger/notifications/")
        expect(page.locator("main")).to_contain_text("新交办问题")
    finally:
        context.close()
