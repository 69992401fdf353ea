"""Issue 14 parts 4-5 in a real browser on a phone viewport (390×844): a resident submits, copies
the code (the copy button appears: static JS under CSP), sees the QR code, follows the problem by
e-mail, finds it again by a code typed with spaces in lower case, staff resolve it, the resident
rates it 不满意 and it is reopened; the file sender recorded every message, each with its
unsubscribe link. Chromium as in ``test_browser.py`` (``MINQING_SKIP_BROWSER=1`` skips it)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, Page, ViewportSize, expect

from minqing.ledger.enums import Action, ResolutionKind, State
from minqing.ledger.models import Feedback, Problem, ResidentRating
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.test_browser import TIMEOUT_MS
from minqing.ledger.tests.test_browser import browser as browser  # the module's chromium fixture
from minqing.notify.models import OutboxMessage, OutboxState
from minqing.notify.senders.file import read_sent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width}px wide"


def test_follow_and_judge_on_a_phone(
    phone: Page, live_server: Any, lw: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MINQING_SENDER_FILE = tmp_path / "sent.jsonl"
    settings.MINQING_SENDERS = {"email": "file", "sms": "file"}
    base = live_server.url
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    phone.goto(f"{base}/public/submit/")
    phone.fill("[name=title]", "小区路灯不亮")
    phone.fill("[name=content]", "3 号楼前的路灯坏了一个月")
    phone.fill("[name=unit_code]", lw.u["village_a"].code)
    phone.locator("#submit-form button[type=submit]").click()
    code = phone.locator("#tracking-code").inner_text().strip()
    copy = phone.locator("button.copy")
    expect(copy).to_be_visible()  # copy.js ran (no inline script: CSP)
    copy.click()
    expect(copy).to_have_text("已复制")
    qr = phone.locator("img.qr")
    qr.scroll_into_view_if_needed()
    # the QR code loaded: wait for the decode, then check it drew (a broken image completes at width 0)
    phone.wait_for_function("img => img.complete", arg=qr.element_handle())
    assert phone.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    fits(phone)

    follow = phone.locator("#follow form")
    follow.locator("input[value=email]").check()
    follow.locator("[name=address]").fill("zhang@example.com")
    follow.locator("button[type=submit]").click()
    expect(phone.locator(".notice")).to_contain_text("已订阅")

    typed = f"{code[:3].lower()} {code[3:6]}-{code[6:].lower()}"
    phone.goto(f"{base}/public/track/")
    phone.fill("#code", typed)
    phone.locator("form.stack button[type=submit]").click()
    expect(phone.locator("#tracking-title")).to_have_text("小区路灯不亮")
    expect(phone.locator("#tracking-place")).to_contain_text("泉山社区 · 新体育场街道")
    fits(phone)

    p = Feedback.objects.get(tracking_code=code).problem
    assert p is not None
    p = problem_transition(
        actor=lw.users["county_intake"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"]
    )
    p = problem_transition(actor=lw.users["a_staff"], problem=p, action=Action.ACCEPT)
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.RECTIFIED
    )

    phone.reload()
    expect(phone.locator("#tracking-state")).to_have_text("已办结")
    rate = phone.locator("#rate form")
    rate.locator("input[name=fixed][value=no]").check()
    rate.locator("input[name=satisfaction][value=unsatisfied]").check()
    rate.locator("[name=comment]").fill("只亮了一天又坏了")
    rate.locator("button[type=submit]").click()
    expect(phone.locator(".notice")).to_contain_text("感谢")
    expect(phone.locator("#tracking-state")).to_have_text("整改中")
    expect(phone.locator("#tracking")).to_contain_text("重新整改")
    fits(phone)
    assert not errors, errors

    assert Problem.objects.get(pk=p.pk).state == State.RECTIFYING
    assert ResidentRating.objects.get().satisfaction == "unsatisfied"
    sent = read_sent(settings.MINQING_SENDER_FILE)
    bodies = [m["body"] for m in sent]
    assert [m["to"] for m in sent] == ["zhang@example.com"] * 5, (
        bodies
    )  # confirmation, 交办, 受理, 办结, 重新整改
    assert "重新整改" in bodies[-1] and all("/notify/unsubscribe/" in b for b in bodies)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
