"""Issue 14, the first line of "Done when", as one journey on a 390×844 phone viewport:

    "A browser test on a 390×844 phone viewport: pick a place by cascade after a search (the
    typed text survives), attach a photo, submit, open the tracking page by a code typed with
    spaces, see the title and place; staff moderate it onto the public list, resolve it; the
    resident rates it 不满意 and it is reopened; the notification sender recorded each message."

Two namesakes (泉山社区 under two townships) make the search show each place with its parents;
the resident then picks theirs down the cascade (旗县 → 乡镇街道 → 嘎查村社区) and attaches a
JPEG with GPS in its EXIF. The report stays off the public list until the office, signed in on
a phone, finds it waiting in 我的工作, approves it with a public title and the photo for public
display, and assigns it; the township's staff accept and resolve it with a public note. The
tracking page then shows the approved photo (served without the GPS) and the resolution; the
resident rates it 不满意 and it is reopened. The file sender holds one message per public change,
each with its unsubscribe link. Every page visited fits 390 px, with no console error and no CSP
violation. Chromium as in ``test_browser.py`` (``MINQING_SKIP_BROWSER=1`` skips it).
"""

import io
import os
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from minqing.core.tests.test_browser_csp import LISTEN
from minqing.core.tests.test_browser_phone import PHONE, WIDEST, phone_login
from minqing.ledger.enums import Action, Moderation, ResolutionKind, Satisfaction, State
from minqing.ledger.models import Feedback, Problem, ProblemEvent, ResidentRating
from minqing.ledger.tests.test_browser import TIMEOUT_MS
from minqing.ledger.tests.test_browser import browser as browser  # the module's chromium fixture
from minqing.notify.models import OutboxMessage, OutboxState, Subscription
from minqing.notify.senders.file import read_sent
from minqing.orgs.enums import UnitKind
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import make_units
from minqing.photos.models import Photo
from minqing.photos.tests.conftest import GPS_IFD, jpeg_with_gps
from minqing.photos.tests.conftest import photo_root as photo_root  # a fresh photo storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "小区路灯不亮"
CONTENT = "3 号楼前的路灯坏了一个月,晚上出门看不见路。联系我:王大妈 13900001111"
PUBLIC_TITLE = "泉山社区 3 号楼前路灯损坏"
PLACE = "泉山社区 · 新体育场街道 · 集宁区"
NAMESAKE = "泉山社区 · 白海子镇 · 集宁区"
MEASURES = "更换灯具三套并检修线路"
PUBLIC_NOTE = "已更换 3 号楼前的路灯"
EMAIL = "zhang@example.com"
# every image on the page, decoded or not
IMAGES = "() => [...document.images].map((i) => [i.getAttribute('src'), i.naturalWidth])"


class Watched:
    """A phone's page with what would go wrong on it: console errors, page errors, CSP violations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[Any] = []
        page.context.expose_binding("cspViolation", lambda _source, v: self.problems.append(("csp", v)))
        page.context.add_init_script(LISTEN)
        page.on("console", lambda m: self.problems.append(("console", m.text)) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(("pageerror", str(e))))
        self.visited: list[str] = []

    def fits(self) -> None:
        """No horizontal scroll at 390 px on the page as it is now."""
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (self.page.url, width, self.page.evaluate(WIDEST))
        self.visited.append(self.page.url)

    def goto(self, url: str) -> Page:
        self.page.goto(url)
        self.fits()
        return self.page


def _resident(browser: Browser) -> Watched:
    context: BrowserContext = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    return Watched(context.new_page())


def _staff(browser: Browser, base: str, username: str) -> Watched:
    page = phone_login(browser, base, username)
    watched = Watched(page)
    watched.fits()
    return watched


def _typed_text_is_there(page: Page) -> None:
    expect(page.locator("[name=title]")).to_have_value(TITLE)
    expect(page.locator("[name=content]")).to_have_value(CONTENT)


def _submit(resident: Watched, base: str, photo: str, lw: Any) -> str:
    """Step 1: search, cascade, photo, submit; the tracking code from the success page."""
    page = resident.goto(f"{base}/public/submit/")
    page.evaluate("window.__samePage = true")  # gone if the page reloads
    page.fill("[name=title]", TITLE)
    page.fill("[name=content]", CONTENT)

    search = page.locator("[name=unit_code]")
    search.fill("泉山")
    page.locator("#place-search").click()
    results = page.locator("#place-results button.place-option")
    expect(results).to_have_count(2)  # the namesakes, told apart by their parents
    expect(results.filter(has_text=PLACE)).to_have_count(1)
    expect(results.filter(has_text=NAMESAKE)).to_have_count(1)
    _typed_text_is_there(page)
    assert page.evaluate("window.__samePage === true")
    resident.fits()

    # the resident's own 泉山社区, down the cascade
    page.select_option("#place-county", lw.u["county"].code)
    expect(page.locator("#place-township option")).to_have_count(3)  # 请选择 + two townships
    page.select_option("#place-township", lw.u["town_a"].code)
    expect(page.locator("#place-village option")).to_have_text(["请选择", PLACE])
    page.select_option("#place-village", lw.u["village_a"].code)
    expect(page.locator("#place-chosen")).to_contain_text(PLACE)
    _typed_text_is_there(page)
    expect(search).to_have_value("泉山")
    assert page.evaluate("window.__samePage === true")
    resident.fits()

    page.fill("[name=name]", "王大妈")
    page.fill("[name=phone]", "13900001111")
    page.get_by_label("照片(可选,最多 3 张)").set_input_files(photo)
    page.locator("#submit-form button.primary[type=submit]").click()
    code = page.locator("#tracking-code").inner_text().strip()
    resident.fits()
    return code


def _track_by_typing(resident: Watched, base: str, code: str) -> Page:
    """Step 2: the code typed into the track form with spaces, a dash and in lower case."""
    page = resident.goto(f"{base}/public/track/")
    typed = f" {code[:3].lower()} {code[3:6]}-{code[6:].lower()} "
    assert typed.strip().upper() != code  # it really is typed differently
    page.fill("#code", typed)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"{base}/public/track/{code}/")
    resident.fits()
    return page


def _public_list(resident: Watched, base: str) -> str:
    page = resident.goto(f"{base}/public/problems/")
    return page.locator("main").inner_text()


def _act(
    staff: Watched,
    action: str,
    fill: dict[str, str] | None = None,
    select: dict[str, str] | None = None,
    public: bool = False,
) -> None:
    """One step on the problem's page, by its form; ``public`` ticks the form's 公开 box."""
    page = staff.page
    form = page.locator(f"#act-{action}")
    for name, value in (fill or {}).items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"[name='{action}-{name}']").select_option(value)
    if public:
        form.locator(f"[name='{action}-public']").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    staff.fits()


def _image_loads(watched: Watched, base: str, selector: str, check: Callable[[str], bool]) -> list[str]:
    """The images under ``selector`` decoded, and each one answered 200 as an image."""
    page = watched.page
    images = page.locator(f"{selector} img")
    for img in images.all():
        img.scroll_into_view_if_needed()  # the thumbnails load lazily
    page.wait_for_function("() => [...document.images].every((i) => i.complete)")
    shown = [(src, width) for src, width in page.evaluate(IMAGES) if check(src)]
    assert shown and all(width > 0 for _src, width in shown), shown
    for src, _width in shown:
        response = page.request.get(f"{base}{src}")
        assert response.status == 200, (src, response.status)
        assert response.headers["content-type"].startswith("image/"), response.headers
    return [src for src, _w in shown]


def test_a_residents_report_from_place_to_rating_on_a_phone(
    browser: Browser,
    live_server: Any,
    lw: Any,
    settings: Any,
    tmp_path: Any,
    photo_root: Any,
) -> None:
    settings.MINQING_SENDER_FILE = tmp_path / "sent.jsonl"
    settings.MINQING_SENDERS = {"email": "file", "sms": "file"}
    base = live_server.url
    # a namesake of the resident's community under the other township
    make_units(
        [UnitRow("150902101202", "泉山社区", UnitKind.VILLAGE, "150902101000", "community", "150902101202")]
    )
    photo_file = tmp_path / "IMG_20250101_0830.jpg"
    photo_file.write_bytes(jpeg_with_gps())
    assert Image.open(photo_file).getexif().get_ifd(GPS_IFD)  # the phone's location, to be removed

    resident = _resident(browser)
    pages: list[Watched] = [resident]
    try:
        # 1. the report: search, cascade, photo, submit
        code = _submit(resident, base, str(photo_file), lw)
        fb = Feedback.objects.select_related("problem").get(tracking_code=code)
        assert fb.unit == lw.u["village_a"] and fb.title == TITLE and fb.content == CONTENT
        assert fb.problem is not None
        number = fb.problem.number
        photo = Photo.objects.get(feedback=fb)

        # 2. the tracking page by a typed code: title and place; follow it by e-mail
        page = _track_by_typing(resident, base, code)
        expect(page.locator("#tracking-title")).to_have_text(TITLE)
        expect(page.locator("#tracking-place")).to_have_text(PLACE)
        expect(page.locator("#tracking-state")).to_have_text("已登记")
        assert page.locator("#public-photos").count() == 0  # not before staff approve it
        for variant in ("thumb", "display"):  # nor by its address
            assert page.request.get(f"{base}/photos/{photo.key}/{variant}/").status == 404
        follow = page.locator("#follow form")
        follow.locator("input[value=email]").check()
        follow.locator("[name=address]").fill(EMAIL)
        follow.locator("button[type=submit]").click()
        expect(page.locator(".notice")).to_contain_text("已订阅")
        resident.fits()

        # 3. not on the public list before moderation, nothing of it at all
        listed = _public_list(resident, base)
        assert "共 0 个问题" in listed, listed
        for text in (TITLE, PUBLIC_TITLE, "13900001111", "王大妈", "3 号楼"):
            assert text not in listed, text

        # 4. the office on a phone: finds it waiting for moderation, approves it with a public
        # title, approves the photo, assigns it; the township's staff accept and resolve it
        office = _staff(browser, base, "county_office")
        pages.append(office)
        page = office.goto(f"{base}/")  # 我的工作: the report waits for moderation
        block = page.locator(".work-block.has-items", has_text="待审核公开")
        expect(block.locator(".work-count")).to_have_text("1")
        block.locator("a").click()
        expect(page.locator(".work-banner")).to_contain_text("待审核公开")
        office.fits()
        page.locator("main a", has_text=number).first.click()
        expect(page.locator("h1 .code")).to_have_text(number)
        office.fits()
        moderate = page.locator("#moderate")
        suggested = moderate.locator("[name='moderation-public_text']").input_value()
        # masked: the phone number, and the name the resident gave (王大妈 → 王某)
        assert "13900001111" not in suggested and "王大妈" not in suggested and "王某" in suggested, suggested
        moderate.locator("[name='moderation-public_title']").fill(PUBLIC_TITLE)
        moderate.get_by_role("button", name="审核通过,公开").click()
        expect(page.locator("#moderation-state")).to_contain_text("已审核公开")
        office.fits()

        expect(page.locator("#photo-list img")).to_have_count(1)
        _image_loads(office, base, "#photo-list", lambda src: str(photo.key) in src)
        page.get_by_role("button", name="批准公开").click()
        expect(page.locator("#photo-list .badge")).to_have_text("已公开")
        office.fits()
        _act(office, "assign", fill={"unit_code": lw.u["town_a"].code})
        expect(page.locator("#problem-state")).to_have_text("已交办")

        staff = _staff(browser, base, "a_staff")
        pages.append(staff)
        staff.goto(f"{base}/ledger/{number}/")
        _act(staff, "accept")
        _act(
            staff,
            "resolve",
            fill={"measures": MEASURES, "note": PUBLIC_NOTE},
            select={"resolution_kind": ResolutionKind.RECTIFIED},
            public=True,
        )
        expect(staff.page.locator("#problem-state")).to_have_text("已办结")

        # 5. the public list shows the public title (and never the resident's own words); the
        # tracking page the approved photo and the resolution
        listed = _public_list(resident, base)
        assert PUBLIC_TITLE in listed and PLACE in listed and "共 1 个问题" in listed, listed
        for text in (TITLE, "13900001111", "王大妈"):
            assert text not in listed, text
        page = resident.goto(f"{base}/public/track/{code}/")
        expect(page.locator("#tracking-state")).to_have_text("已办结")
        expect(page.locator("#tracking-responsible")).to_have_text("新体育场街道")
        expect(page.locator("#tracking-resolution")).to_contain_text("限期整改")
        expect(page.locator("#tracking .timeline")).to_contain_text("办结")
        expect(page.locator("#tracking .timeline")).to_contain_text(PUBLIC_NOTE)
        expect(page.locator("#public-photos img")).to_have_count(1)
        _image_loads(resident, base, "#public-photos", lambda src: str(photo.key) in src)
        shown = page.request.get(f"{base}{page.locator('#public-photos a').get_attribute('href')}")
        assert shown.status == 200
        exif = Image.open(io.BytesIO(shown.body())).getexif()
        assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif  # the phone's location is gone
        resident.fits()

        # 6. the resident rates it 不满意 with a comment: reopened
        rate = page.locator("#rate form")
        rate.locator("input[name=fixed][value=no]").check()
        rate.locator("input[name=satisfaction][value=unsatisfied]").check()
        rate.locator("[name=comment]").fill("只亮了一天又坏了")
        rate.locator("button[type=submit]").click()
        expect(page.locator(".notice")).to_contain_text("感谢")
        expect(page.locator("#tracking-state")).to_have_text("整改中")
        expect(page.locator("#tracking .timeline")).to_contain_text("重新整改")
        expect(page.locator("#rate")).to_have_count(0)  # judged once per resolution
        resident.fits()

        page.wait_for_timeout(300)  # a late CSP report would arrive now
        for watched in pages:
            assert watched.problems == [], (watched.visited, watched.problems)
    finally:
        for watched in pages:
            watched.page.context.close()

    p = Problem.objects.get(number=number)
    assert p.state == State.RECTIFYING and p.moderation == Moderation.APPROVED
    assert p.public_title == PUBLIC_TITLE and p.responsible_unit == lw.u["town_a"]
    rating = ResidentRating.objects.get(problem=p)
    assert rating.satisfaction == Satisfaction.UNSATISFIED and not rating.fixed
    assert rating.comment == "只亮了一天又坏了"
    assert ProblemEvent.objects.filter(problem=p, action=Action.REOPEN).exists()
    photo.refresh_from_db()
    assert photo.public_approved_at is not None

    # 7. one message per public change since the resident subscribed, each with its unsubscribe link
    sub = Subscription.objects.get(feedback=fb)
    changes = ProblemEvent.objects.filter(problem=p, public=True, at__gte=sub.created_at).order_by("at", "id")
    actions = [str(Action(e.action).label) for e in changes]
    assert actions == ["交办", "受理", "办结", "重新整改"], actions
    sent = read_sent(settings.MINQING_SENDER_FILE)
    assert [m["to"] for m in sent] == [EMAIL] * (1 + len(actions)), sent  # the confirmation first
    assert code in sent[0]["body"] and "已订阅" in sent[0]["body"]
    for message, action in zip(sent[1:], actions, strict=True):
        assert f"有新进展:{action}" in message["body"], (action, message["body"])
    assert PUBLIC_NOTE in sent[3]["body"]  # the note its author ticked 公开
    assert all("/notify/unsubscribe/" in m["body"] for m in sent), sent
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
