"""Photos in a real browser on a phone (390×844): a resident attaches a photo that carries GPS, the
office sees its thumbnail and approves it, the resident's tracking page then shows it. Every page
under the strict CSP with no violation, none wider than the screen, every image actually loaded."""

import io
import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from minqing.core.tests.test_browser_csp import LISTEN
from minqing.core.tests.test_browser_phone import PHONE, WIDEST, phone_login
from minqing.ledger.models import Feedback
from minqing.ledger.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (the fixture)
from minqing.photos.models import Photo
from minqing.photos.services import photo_storage
from minqing.photos.tests.conftest import GPS_IFD, jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "() => [...document.querySelectorAll('img')].map((i) => [i.getAttribute('src'), i.naturalWidth])"


def _watch(page: Page, violations: list[Any]) -> None:
    page.context.expose_binding("cspViolation", lambda _source, v: violations.append(v))
    page.context.add_init_script(LISTEN)


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width, page.evaluate(WIDEST))


def _images_loaded(page: Page) -> list[str]:
    """Every image of the page decoded (scrolled to first: the thumbnails load lazily)."""
    for img in page.locator("img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every((i) => i.complete)")
    shown = page.evaluate(LOADED)
    assert shown and all(width > 0 for _src, width in shown), shown
    return [src for src, _w in shown]


def test_a_photo_from_a_phone_to_the_public_page(
    browser: Browser,  # noqa: F811
    live_server: Any,
    lw: Any,
    tmp_path: Any,
) -> None:
    base = live_server.url
    photo_file = tmp_path / "IMG_20250101.jpg"
    photo_file.write_bytes(jpeg_with_gps(orientation=6))

    # the resident, on a phone, not signed in
    violations: list[Any] = []
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    resident = context.new_page()
    _watch(resident, violations)
    resident.goto(f"{base}/public/submit/")
    _fits(resident)
    resident.fill("[name=title]", "路边井盖丢失")
    resident.fill("[name=content]", "泉山社区 3 号楼前井盖丢失,夜里危险")
    resident.fill("[name=unit_code]", lw.u["village_a"].code)
    resident.get_by_label("照片(可选,最多 3 张)").set_input_files(str(photo_file))
    resident.locator("#submit-form button[type=submit]").click()
    code = resident.locator("#tracking-code").inner_text().strip()
    feedback = Feedback.objects.select_related("problem").get(tracking_code=code)
    assert feedback.problem is not None
    number = feedback.problem.number
    photo = Photo.objects.get(feedback=feedback)
    for name in (photo.original_name, photo.display_name, photo.thumb_name):
        with photo_storage().open(name, "rb") as f:
            exif = Image.open(io.BytesIO(f.read())).getexif()
        assert len(exif) == 0 and not exif.get_ifd(GPS_IFD)
    resident.goto(f"{base}/public/track/{code}/")
    assert resident.locator("#public-photos").count() == 0  # not before staff approve it

    # the office, on a phone: the thumbnail on the problem's page, approved for the public
    office = phone_login(browser, base, "county_office")
    office_violations: list[Any] = []
    _watch(office, office_violations)
    office.goto(f"{base}/ledger/{number}/")
    expect(office.locator("#photo-list img")).to_have_count(1)
    assert any(str(photo.key) in src for src in _images_loaded(office))
    _fits(office)
    office.get_by_role("button", name="批准公开").click()
    expect(office.locator("#photo-list .badge")).to_have_text("已公开")
    _fits(office)

    # the resident's tracking page now shows it
    resident.goto(f"{base}/public/track/{code}/")
    expect(resident.locator("#public-photos img")).to_have_count(1)
    assert any(str(photo.key) in src for src in _images_loaded(resident))
    _fits(resident)
    resident.wait_for_timeout(300)
    assert violations == [] and office_violations == []
    context.close()
    office.context.close()
