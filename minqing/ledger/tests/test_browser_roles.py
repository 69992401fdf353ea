"""Each role's morning on a phone (issue 15, Done when): at 390×844 the intake clerk, the office
and the leader sign in (two steps), land on 我的工作, see the item another role's action has just
put in front of them (with its notification), and act on it. Township staff are in
``test_browser_home.py``. No page visited is wider than the screen."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from minqing.accounts.testing import one_time_code
from minqing.ledger.enums import Action, Channel, State
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from minqing.orgs.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def _phone(browser: Browser, base: str, username: str) -> Page:  # noqa: F811
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
    expect(page.locator("h1")).to_have_text("我的工作")
    assert page.url == f"{base}/"
    _fits(page)
    return page


def _fits(page: Page) -> None:
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _registered(lw: Any, title: str) -> Problem:
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title=title,
        content=f"{title},已持续一个月",
        unit=lw.u["village_a"],
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    assert fb.problem is not None
    return fb.problem


def _step(user: User, p: Problem, action: str, **params: Any) -> Problem:
    return problem_transition(actor=user, problem=p, action=action, **params)


def _act(
    page: Page, action: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None
) -> None:
    form = page.locator(f"#act-{action}")
    for name, value in (fill or {}).items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"[name='{action}-{name}']").select_option(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    _fits(page)


def _open_from_block(page: Page, label: str, number: str) -> None:
    block = page.locator(".work-block.has-items", has_text=label)
    expect(block.locator(".work-count")).to_have_text("1")
    block.locator("a").first.click()
    expect(page.locator(".work-banner")).to_contain_text(label)
    _fits(page)
    page.locator("main a", has_text=number).first.click()
    expect(page.locator("h1 .code")).to_have_text(number)
    _fits(page)


def _open_from_notification(page: Page, text: str, number: str) -> None:
    expect(page.locator(".notif-link .badge")).to_have_text("1")
    page.locator(".notif-link").click()
    expect(page.locator("main")).to_contain_text(text)
    _fits(page)
    page.locator("main a", has_text=number).first.click()
    expect(page.locator("h1 .code")).to_have_text(number)
    _fits(page)


def test_the_office_reassigns_what_a_township_returned(browser: Browser, live_server: Any, lw: Any) -> None:  # noqa: F811
    office, staff = lw.users["county_office"], lw.users["a_staff"]
    p = _step(office, _registered(lw, "村口路灯不亮"), Action.ASSIGN, responsible_unit=lw.u["town_a"])
    _step(staff, p, Action.RETURN, note="路灯归集宁区供电所管理,不属于本镇职责")
    page = _phone(browser, live_server.url, "county_office")
    try:
        expect(page.locator(".notif-link .badge")).to_have_text("1")
        _open_from_block(page, "退回待重新交办", p.number)
        _act(page, "assign", fill={"unit_code": lw.u["town_b"].code})
        expect(page.locator("#problem-state")).to_have_text("已交办")
    finally:
        page.context.close()
    p.refresh_from_db()
    assert p.state == State.ASSIGNED and p.responsible_unit == lw.u["town_b"]


def test_the_intake_clerk_calls_back_when_a_township_has_resolved(
    browser: Browser,  # noqa: F811
    live_server: Any,
    lw: Any,
) -> None:
    clerk, staff = lw.users["county_intake"], lw.users["a_staff"]
    p = _step(clerk, _registered(lw, "小区垃圾无人清运"), Action.ASSIGN, responsible_unit=lw.u["town_a"])
    for action, params in (
        (Action.ACCEPT, {}),
        (Action.START, {}),
        (Action.RESOLVE, {"resolution_kind": "rectified", "measures": "清运垃圾并设置分类垃圾箱"}),
    ):
        p = _step(staff, p, action, **params)
    # the clerk assigned it, so hears of acceptance and resolution; only the newest is unread here
    clerk.notifications.exclude(text__contains="已办结").update(read_at=timezone.now())
    page = _phone(browser, live_server.url, "county_intake")
    try:
        _open_from_notification(page, "已办结", p.number)
        _act(page, "callback", select={"satisfaction": "satisfied"})
        expect(page.locator("#problem-state")).to_have_text("已销号")
    finally:
        page.context.close()
    p.refresh_from_db()
    assert p.state == State.CLOSED


def test_the_leader_hears_a_claimed_problem_reopened_and_writes_an_instruction(
    browser: Browser,  # noqa: F811
    live_server: Any,
    lw: Any,
) -> None:
    office, staff, clerk, leader = (
        lw.users[n] for n in ("county_office", "a_staff", "county_intake", "county_leader")
    )
    p = _step(office, _registered(lw, "村道坑洼积水"), Action.ASSIGN, responsible_unit=lw.u["town_a"])
    p = _step(staff, p, Action.ACCEPT)
    p = _step(leader, p, Action.CLAIM)
    p = _step(staff, p, Action.START)
    p = _step(staff, p, Action.RESOLVE, resolution_kind="rectified", measures="回填碎石")
    p = _step(clerk, p, Action.CALLBACK, satisfaction="unsatisfied", note="群众反映仍有积水")
    assert p.state == State.RECTIFYING
    # the leader heard of the resolution too; that one was read yesterday, the reopening is new
    assert leader.notifications.count() == 2
    leader.notifications.exclude(text__contains="重新整改").update(read_at=timezone.now())
    page = _phone(browser, live_server.url, "county_leader")
    try:
        expect(page.locator(".notif-link .badge")).to_have_text("1")
        _open_from_block(page, "我认领的必解问题", p.number)
        _act(page, "note", fill={"note": "请三日内硬化路面,完成后报我"})
    finally:
        page.context.close()
    note = ProblemEvent.objects.filter(problem=p, action=Action.NOTE).get()
    assert note.actor == leader and "硬化路面" in note.note
