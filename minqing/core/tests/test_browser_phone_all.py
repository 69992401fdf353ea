"""Every staff page on a phone (issue 15, Done when: "check all staff URL patterns in one test").

Each URL pattern of the permission table (minqing/core/tests/permission_table.py, which a test
keeps in step with the URL configuration) that some signed-in persona may read is opened at
390×844 by that persona, in headless chromium; every HTML page must fit the screen
(``document.documentElement.scrollWidth`` ≤ 390). Files (exports, QR images, downloads) are
skipped by their content type."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

from django.urls import reverse
from playwright.sync_api import Browser, Page

from minqing.core.tests.permission_table import ROWS, Row
from minqing.core.tests.permission_world import ROLES, MatrixWorld, make_matrix_world
from minqing.core.tests.test_browser_phone import PHONE, phone_login, too_wide
from minqing.ledger.tests.test_browser import browser as browser  # the fixture
from minqing.reports.tests.test_bulletin_world import register_test_metrics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the signed-in personas, the office first: each page is opened by the first who may read it
READERS = ("office", *[r for r in ROLES if r != "office"], "norole", "other")


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world() -> Iterator[MatrixWorld]:
    from minqing.reports.metrics import registry

    saved = dict(registry.METRICS)
    mp = pytest.MonkeyPatch()
    mp.setattr(registry, "MODULES", ())
    registry.METRICS.clear()
    register_test_metrics()  # the bulletin pages render the test metrics, as in the permission matrix
    try:
        yield make_matrix_world()
    finally:
        registry.METRICS.clear()
        registry.METRICS.update(saved)
        mp.undo()


def reader_of(row: Row) -> str | None:
    if row.get is None or row.name == "admin_login":
        return None
    return next((p for p in READERS if row.get.get(p) == 200), None)


def test_every_page_a_persona_may_read_fits_a_phone(
    browser: Browser,
    live_server: Any,
    world: MatrixWorld,
) -> None:
    by_persona: dict[str, list[Row]] = {}
    for row in ROWS:
        persona = reader_of(row)
        if persona is not None:
            by_persona.setdefault(persona, []).append(row)
    wide: list[str] = []
    checked = 0
    for persona, rows in by_persona.items():
        page: Page = phone_login(browser, live_server.url, world.users[persona].username)
        try:
            for row in rows:
                url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
                response = page.request.get(live_server.url + url)
                assert response.status == 200, (persona, row.name, response.status)
                if not response.headers.get("content-type", "").startswith("text/html"):
                    continue
                page.goto(live_server.url + url)
                page.wait_for_load_state("load")
                wide += [f"{persona} {row.name}: {w}" for w in too_wide(page)]
                checked += 1
        finally:
            page.context.close()
    assert checked >= 60, checked
    assert wide == [], "\n".join(wide)
    assert PHONE["width"] == 390
