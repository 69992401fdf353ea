"""Issue 13's Done-when in a real browser: a clerk registers a letter, asks for the suggestions,
sees the suggested category and unit with its reason, accepts both with one click each (the
static ``nlp/suggest.js`` fills the fields without a round trip) and registers; the choice is
recorded as taken. Then the duplicate: the same matter posted online before, in other words, is
listed (on the intake page and on the new problem's page) with its score and the differing
words, and one click merges the new problem into it; the same matter in a village outside the
clerk's township is never listed.
"""

import os
import re
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, expect

from minqing.ledger.enums import State
from minqing.ledger.models import Category, Feedback, Problem
from minqing.ledger.tests.test_browser import Session, browser  # noqa: F401 (the fixture)
from minqing.nlp import units as gz
from minqing.nlp.duplicates.service import reset_index
from minqing.nlp.models import Suggestion
from minqing.nlp.tests.test_duplicates_pages import LAMP, posted
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import UserFactory, grant, small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_clerk_accepts_the_suggested_category_and_unit(browser: Browser, live_server: Any) -> None:  # noqa: F811
    gz.invalidate()
    u = small_tree()
    clerk = UserFactory(username="clerk")
    grant(clerk, Role.INTAKE, u["county"])
    cat = Category.objects.get(level=1, name="城乡建设")
    s = Session(browser, live_server.url, "clerk")
    try:
        page = s.page
        page.goto(f"{s.base}/ledger/intake/?channel=letter")
        page.fill("[name=title]", "泉山社区门口道路塌陷")
        page.fill("[name=content]", "泉山社区门口的道路塌陷三个月了,没人修,晚上骑车很危险")
        page.fill("[name=letter_date]", "2026-12-01")
        page.click("button[name=suggest]")
        block = page.locator("section.nlp-suggestions")
        expect(block).to_contain_text("建议分类")
        first_cat = block.locator("ul.nlp-categories li").first
        expect(first_cat).to_contain_text("城乡建设")
        expect(first_cat).to_contain_text("置信度")
        first_unit = block.locator("ul.nlp-units li").first
        expect(first_unit).to_contain_text("泉山社区")
        expect(first_unit).to_contain_text("文中提到 泉山社区")
        # what was typed survives the round trip
        expect(page.locator("[name=content]")).to_have_value(
            "泉山社区门口的道路塌陷三个月了,没人修,晚上骑车很危险"
        )
        # one click each, filled in place by the static script (no new page: the marker stays)
        page.evaluate("window.__nlpMarker = 1")
        first_cat.locator("button[data-nlp-fill=category]").click()
        expect(page.locator("[name=category]")).to_have_value(str(cat.pk))
        first_unit.locator("button[data-nlp-fill=unit]").click()
        expect(page.locator("[name=unit_code]")).to_have_value(u["village_a"].code)
        assert page.evaluate("window.__nlpMarker") == 1
        expect(first_cat.locator("button")).to_have_attribute("aria-pressed", "true")
        page.locator("form.stack button.primary[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("查询码")
        problem = Problem.objects.get()
        assert problem.category == cat and problem.unit == u["village_a"]
        rec = Suggestion.objects.get(problem=problem)
        assert rec.accepted and rec.category_rank == 1 and rec.unit_accepted and rec.by == clerk
    finally:
        s.close()
        gz.invalidate()


def test_clerk_accepts_the_suggestions_and_merges_the_duplicate(browser: Browser, live_server: Any) -> None:  # noqa: F811
    gz.invalidate()
    reset_index()
    u = small_tree()
    clerk = UserFactory(username="clerk")
    grant(clerk, Role.INTAKE, u["town_a"])  # 新体育场街道 and its community; not 红旗村
    earlier = posted(u["village_a"], "泉山社区东门路灯不亮", LAMP)
    elsewhere = posted(u["village_b"], "红旗村东门路灯不亮", LAMP.replace("泉山社区", "红旗村"))
    s = Session(browser, live_server.url, "clerk")
    blocked: list[str] = []  # what the strict CSP refused (an inline script or style would be)
    s.page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page = s.page
        page.goto(f"{s.base}/ledger/intake/?channel=letter")
        page.fill("[name=title]", "泉山社区东门的路灯不亮")
        content = "来信反映泉山社区东门那几盏路灯坏了好几个月没人修,天黑以后老人出门摔倒过两次"
        page.fill("[name=content]", content)
        page.fill("[name=letter_date]", "2026-12-01")
        page.click("button[name=suggest]")
        # the suggested category and unit
        block = page.locator("section.nlp-suggestions")
        first_cat = block.locator("ul.nlp-categories li").first
        expect(first_cat).to_contain_text("置信度")
        first_unit = block.locator("ul.nlp-units li").first
        expect(first_unit).to_contain_text("文中提到 泉山社区")
        # the duplicate, already on the intake page; never the one outside the clerk's township
        dups = page.locator("section.nlp-duplicates")
        expect(dups.locator("ul.nlp-dups > li")).to_have_count(1)
        expect(dups).to_contain_text(earlier.number)
        expect(dups).not_to_contain_text(elsewhere.number)
        # accept both suggestions, register
        cat_button = first_cat.locator("button[data-nlp-fill=category]")
        cat_id = cat_button.get_attribute("data-value") or ""
        cat_button.click()
        expect(page.locator("[name=category]")).to_have_value(str(cat_id))
        first_unit.locator("button[data-nlp-fill=unit]").click()
        expect(page.locator("[name=unit_code]")).to_have_value(u["village_a"].code)
        page.locator("form.stack button.primary[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("查询码")
        new = Problem.objects.exclude(pk__in=[earlier.pk, elsewhere.pk]).get()
        assert new.category == Category.objects.get(pk=cat_id) and new.unit == u["village_a"]
        rec = Suggestion.objects.get(problem=new)
        assert rec.accepted and rec.category_rank == 1 and rec.unit_accepted and rec.by == clerk
        # the new problem's page: the duplicate with its score and the differing words
        item = page.locator("section.nlp-duplicates ul.nlp-dups > li")
        expect(item).to_have_count(1)
        expect(item).to_contain_text(earlier.number)
        expect(item.locator(".nlp-score")).to_contain_text(re.compile(r"相似度 \d+%"))
        expect(item.locator(".nlp-words")).to_contain_text("来信反映")
        expect(page.locator("section.nlp-duplicates")).not_to_contain_text(elsewhere.number)
        # on a 390 px phone the list fits (nothing wider than the screen)
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = item.locator("form.nlp-merge button").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        assert blocked == []
        # one click merges the new (later) problem into the earlier one
        item.locator("form.nlp-merge button").click()
        expect(page.locator(".messages")).to_contain_text("已完成:合并")
        expect(page.locator("#problem-state")).to_have_text("已合并")
        expect(page.locator("dl.facts")).to_contain_text(earlier.number)
        new.refresh_from_db()
        assert new.state == State.MERGED and new.merged_into == earlier
        assert Feedback.objects.filter(problem=earlier).count() == 2
        elsewhere.refresh_from_db()
        assert elsewhere.state == State.REGISTERED
    finally:
        s.close()
        gz.invalidate()
        reset_index()
