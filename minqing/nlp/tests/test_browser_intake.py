"""Issue 13's Done-when in a real browser: a clerk registers a letter, asks for the suggestions,
sees the suggested category and unit with its reason, accepts both with one click each (the
static ``nlp/suggest.js`` fills the fields without a round trip) and registers; the choice is
recorded as taken.

The duplicates part of the Done-when (a duplicate shown and merged) is not here: the duplicates
service (``minqing.nlp.duplicates``) does not exist on this branch yet.
"""

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, expect

from minqing.ledger.models import Category, Problem
from minqing.ledger.tests.test_browser import Session, browser  # noqa: F401 (the fixture)
from minqing.nlp import units as gz
from minqing.nlp.models import Suggestion
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
