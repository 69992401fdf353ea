"""The issue's Done-when: in a real browser, the office records an inspection with a finding
through the form, and the finding appears in the ledger as a problem with source 督导发现.

Playwright drives Debian's chromium (``/usr/bin/chromium``, headless; never a downloaded
browser) against pytest-django's ``live_server``, with the launch fixture and login session of
the ledger's browser test. A missing chromium fails the test, unless ``MINQING_SKIP_BROWSER=1``.
"""

import os
import re
from typing import Any

import pytest
from django.utils import timezone

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from playwright.sync_api import Browser, expect

from minqing.ledger.enums import Source, State
from minqing.ledger.models import Problem
from minqing.ledger.tests.test_browser import Session, browser  # noqa: F401 (the fixture)
from minqing.supervision.models import Finding, Inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINDING = "村党支部“三会一课”记录不全,9 月缺两次支部学习会记录"
SECOND = "学习笔记存在代写现象"


def test_an_inspection_finding_appears_in_the_ledger(browser: Browser, live_server: Any, w: Any) -> None:  # noqa: F811
    group = w.group()
    base = live_server.url
    office = Session(browser, base, "county_office")
    try:
        page = office.page
        # the form, reached from the menu
        page.goto(f"{base}/supervision/")
        expect(page.locator("#groups")).to_contain_text(group.name)
        page.locator("nav.menu a", has_text="记录督导").click()
        expect(page.locator("h1")).to_have_text("记录督导")
        page.select_option("#id_group", label=f"{group.name}(主题教育)")
        page.fill("#id_unit_code", w.u["village_a"].code)
        page.fill("#id_date", f"{timezone.localdate():%Y-%m-%d}")
        page.select_option("#id_kind", label="调阅")
        page.check("#id_checked_minutes")
        page.fill("#id_notes", "调阅了泉山社区党支部 2019 年的会议记录")
        page.fill("#id_finding-0-text", FINDING)
        # more rows, without JavaScript: the form comes back with what was typed
        page.locator("button[name=more]").click()
        expect(page.locator("#id_finding-5-text")).to_be_visible()
        expect(page.locator("#id_finding-0-text")).to_have_value(FINDING)
        page.fill("#id_finding-4-text", SECOND)
        page.locator("#save").click()

        # the inspection page: round 1, the two findings linked to their problems
        expect(page.locator(".messages")).to_contain_text("2 个问题已登记到问题台账")
        expect(page.locator("#round")).to_have_text("第 1 轮")
        expect(page.locator("#kind")).to_have_text("调阅")
        expect(page.locator("#findings tbody tr")).to_have_count(2)
        link = page.locator("#findings tbody tr", has_text=FINDING).locator("a")
        number = link.inner_text().strip()
        assert re.fullmatch(r"WT\d{14}", number), number
        link.click()

        # the problem in the ledger
        expect(page.locator("h1 .code")).to_have_text(number)
        expect(page.locator("#problem-state")).to_have_text("已登记")
        facts = page.locator(".facts")
        expect(facts).to_contain_text("督导发现")
        expect(facts).to_contain_text(w.u["village_a"].name)
        expect(facts).to_contain_text("主题教育")

        # and in the queue, filtered by source
        page.goto(f"{base}/ledger/")
        page.select_option("#f-source", label="督导发现")
        page.locator("form.filters button[type=submit]").click()
        rows = page.locator("table.grid tbody tr")
        expect(rows).to_have_count(2)
        row = rows.filter(has_text=number)
        expect(row).to_contain_text("督导发现")
        expect(row).to_contain_text(w.u["village_a"].name)

        # the group's page counts the round
        page.goto(f"{base}/supervision/groups/{group.pk}/")
        expect(page.locator("#round-1")).to_contain_text(w.u["village_a"].name)
    finally:
        office.close()

    inspection = Inspection.objects.get()
    assert inspection.round == 1 and inspection.checked_minutes and inspection.group == group
    p = Problem.objects.get(number=number)
    assert (p.source, p.state, p.unit, p.campaign) == (
        Source.SUPERVISION,
        State.REGISTERED,
        w.u["village_a"],
        w.campaign,
    )
    assert Finding.objects.get(problem=p).inspection == inspection
    assert sorted(f.text for f in inspection.findings.all()) == sorted([FINDING, SECOND])
