"""The issue's Done-when: create an activity, check in three people (two from the list, one on a
390x844 phone by the code, with name and the last 4 digits of the phone) and see the counts
change, in a real browser; the activity page shows the check-in QR code and its poster.

Playwright drives Debian's chromium (``/usr/bin/chromium``, headless; never a downloaded
browser) against pytest-django's ``live_server``, with the launch fixture and login session of
the ledger's browser test. A missing chromium fails the test, unless ``MINQING_SKIP_BROWSER=1``.
"""

import os
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, Page, ViewportSize, expect

from minqing.activities.models import Activity, Attendance, CheckInMethod
from minqing.activities.tests.activity_pages import make_world
from minqing.activities.types_seed import load_default_types
from minqing.ledger.tests.test_browser import TIMEOUT_MS, Session, browser  # noqa: F401 (the fixture)
from minqing.orgs.tests.factories import PersonIdentityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# an <img> is drawn: loaded, with a size (fails the test on the timeout if it never loads)
DRAWN = "sel => { const i = document.querySelector(sel); return !!i && i.complete && i.naturalWidth > 0; }"

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts(page: Page, base: str, code: str) -> tuple[str, str, str]:
    page.goto(f"{base}/activities/counts/")  # defaults: the user's first unit, this year
    row = page.locator(f"#counts tr[data-type='{code}']")
    expect(row).to_be_visible()
    return (
        row.locator("td.sessions").inner_text().strip(),
        row.locator("td.person-times").inner_text().strip(),
        row.locator("td.people").inner_text().strip(),
    )


def test_activity_check_in_and_counts_in_a_real_browser(browser: Browser, live_server: Any) -> None:  # noqa: F811
    # a browser test run before this one (transaction=True) flushed every table, the activity
    # types the migration loads included: load them again as a new install has them
    load_default_types(django_apps, None)
    aw = make_world()
    PersonIdentityFactory(person=aw.people["wang"], phone="13912340567")
    base = live_server.url
    staff = Session(browser, base, "a_staff")  # township staff
    phone = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    )
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        page = staff.page
        # create the activity through the form, reached from the menu
        page.goto(f"{base}/activities/")
        page.locator("nav.menu a", has_text="新建活动").click()
        expect(page.locator("#id_unit_code")).to_have_value(aw.u["town_a"].code)
        page.select_option("#id_type", label="读书班")
        page.fill("#id_title", "学习读书班(第一期)")
        today = timezone.localdate()
        page.fill("#id_start", f"{today:%Y-%m-%d}T09:00")
        page.fill("#id_end", f"{today:%Y-%m-%d}T11:30")
        page.fill("#id_place", "街道三楼会议室")
        page.fill("#id_lecturers", "PA001")
        page.locator("#activity-form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("已新建活动")
        code = page.locator("#short-code").inner_text().strip()
        expect(page.locator("#phone-url")).to_contain_text(f"/a/{code}/")
        qr = page.locator("#check-in-qr")  # the QR image is served and drawn
        expect(qr).to_be_visible()
        page.wait_for_function(DRAWN, arg="#check-in-qr")  # waits while the image loads
        page.locator("#poster-link").click()
        expect(page.locator("#poster-title")).to_have_text("学习读书班(第一期)")
        expect(page.locator("#poster-url")).to_contain_text(f"/a/{code}/")
        page.wait_for_function(DRAWN, arg="#poster-qr")
        number = Activity.objects.get().number
        assert _counts(page, base, "reading_class") == ("1", "0", "0")

        # two people from the list
        page.goto(f"{base}/activities/{number}/")
        page.fill("#q", "PA00")
        page.locator("#person-search button[type=submit]").click()
        page.check("#check-in-form input[aria-label='张三']")
        page.check("#check-in-form input[aria-label='李四']")
        page.locator("#check-in-form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("已签到 2 人")
        expect(page.locator("#roster tbody tr")).to_have_count(2)
        expect(page.locator("#check-in-form")).to_contain_text("已签到")

        # the third on a phone, by the code, without logging in
        mobile = phone.new_page()
        mobile.goto(f"{base}/a/{code}/")
        expect(mobile.locator("h1")).to_have_text("学习读书班(第一期)")
        fits = mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, "the check-in page scrolls sideways on a phone"
        mobile.fill("#id_name", "王五")
        mobile.fill("#id_phone_tail", "0567")  # the last 4 digits of the phone, not a number
        mobile.locator("#checkin-form button[type=submit]").click()
        expect(mobile.locator("#result")).to_have_text("签到成功")
        expect(mobile.locator("#who")).to_contain_text("已签到:王*")
        fits = mobile.evaluate("document.documentElement.scrollWidth <= 390")
        assert fits, "the check-in result scrolls sideways on a phone"

        assert _counts(page, base, "reading_class") == ("1", "3", "3")
        page.goto(f"{base}/activities/{number}/")
        expect(page.locator("#roster")).to_contain_text("手机签到")
        expect(page.locator("#roster tbody tr")).to_have_count(3)
    finally:
        phone.close()
        staff.close()

    rows = Attendance.objects.filter(activity__number=number)
    assert sorted((r.person.number, r.method) for r in rows) == [
        ("PA001", CheckInMethod.LIST),
        ("PA002", CheckInMethod.LIST),
        ("PA003", CheckInMethod.PHONE),
    ]
