"""Every staff list and dashboard filter reads ``?unit=`` through the one resolver: the 12-digit
code, the short division code and the unit's name all open the unit; a bad value is an inline
error that keeps the other filters, never a 404 (issue 15, item 4)."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minqing.core.tests.permission_table import EXCLUDED_NAMESPACES
from minqing.core.tests.permission_world import MatrixWorld, make_matrix_world
from minqing.core.tests.test_permission_matrix import url_patterns
from minqing.orgs.enums import Role
from minqing.orgs.selectors import resolve_unit, unit_matches
from minqing.orgs.tests.factories import UnitRow, UserFactory, grant, make_units
from minqing.reports.tests.test_bulletin_world import register_test_metrics

# (URL name, the other filters the page must keep). Every page with a ``?unit=`` filter.
PAGES: list[tuple[str, dict[str, str]]] = [
    ("ledger:queue", {"q": "保留词"}),
    ("activities:list", {"q": "保留词"}),
    ("activities:counts", {"start": "2019-03-01"}),
    ("reports:dashboard", {"start": "2019-03-01"}),
    ("reports:published", {}),
    ("reports:templates", {}),
    ("catalogues:index", {}),
    ("catalogues:powers", {"q": "保留词"}),
    ("catalogues:reforms", {"q": "保留词"}),
    ("catalogues:commendations", {"q": "保留词"}),
    ("supervision:inspections", {}),
    ("supervision:unit_rounds", {}),
    ("supervision:never_inspected", {}),
    ("outreach:index", {}),
    ("outreach:research", {}),
    ("outreach:visits", {"start": "2019-03-01"}),
    ("outreach:plans", {}),
    ("outreach:coverage", {"start": "2019-03-01"}),
]
SPELLINGS = ("150900", "150900000000", "乌兰察布市", "乌兰察布")  # short, full, exact and partial name


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    from minqing.reports.metrics import registry

    saved = dict(registry.METRICS)
    mp = pytest.MonkeyPatch()
    mp.setattr(registry, "MODULES", ())
    registry.METRICS.clear()
    register_test_metrics()
    with django_db_blocker.unblock(), transaction.atomic():
        w = make_matrix_world()
        office = UserFactory(username="city_office")
        grant(office, Role.OFFICE, w.u["prefecture"])
        w.extra["office"] = office
        yield w
        transaction.set_rollback(True)
    registry.METRICS.clear()
    registry.METRICS.update(saved)
    mp.undo()


def _client(client: Client, w: MatrixWorld) -> Client:
    client.force_login(w.extra["office"])
    return client


def _error(r: Any) -> str:
    """The page's inline unit error: its own alert or the messages strip."""
    own = r.context.get("unit_error") or ""
    shown = [str(m) for m in r.context.get("messages", []) if m.level_tag == "error"]
    return str(own) or " ".join(shown)


def _unit(r: Any) -> Any:
    return r.context.get("unit") or r.context.get("unit_filter")


@pytest.mark.django_db
@pytest.mark.parametrize("name, keep", PAGES, ids=[p[0] for p in PAGES])
def test_every_unit_filter_accepts_codes_and_names(
    client: Client, world: MatrixWorld, name: str, keep: dict
) -> None:
    c = _client(client, world)
    for spelling in SPELLINGS:
        r = c.get(reverse(name), {"unit": spelling, **keep})
        assert r.status_code == 200, (name, spelling)
        assert not _error(r), (name, spelling, _error(r))
        if _unit(r) is not None:
            assert _unit(r) == world.u["prefecture"], (name, spelling)


@pytest.mark.django_db
@pytest.mark.parametrize("name, keep", PAGES, ids=[p[0] for p in PAGES])
def test_a_bad_unit_is_an_inline_error_keeping_the_other_filters(
    client: Client, world: MatrixWorld, name: str, keep: dict
) -> None:
    c = _client(client, world)
    r = c.get(reverse(name), {"unit": "159999", **keep})
    assert r.status_code == 200, name  # never a 404 that loses the filters
    assert "159999" in _error(r), name
    html = r.content.decode()
    assert "159999" in html, name  # shown on the page
    for value in keep.values():
        assert value in html, (name, value)


@pytest.mark.django_db
def test_no_staff_page_answers_a_bad_unit_with_404(client: Client, world: MatrixWorld) -> None:
    """Every page without URL arguments, any namespace (a new list page included)."""
    c = _client(client, world)
    checked = []
    for name, route in url_patterns():
        ns = name.split(":")[0]
        if "<" in route or ns in EXCLUDED_NAMESPACES or ":" not in name or "export" in name:
            continue
        r = c.get(reverse(name), {"unit": "159999"})
        assert r.status_code != 404, name
        checked.append(name)
    assert {p[0] for p in PAGES} <= set(checked)


@pytest.mark.django_db
def test_resolver_names_and_ambiguity(world: MatrixWorld) -> None:
    office = world.extra["office"]
    assert resolve_unit(office, "150902").unit == world.u["county"]
    assert resolve_unit(office, "白海子").unit == world.u["town_b"]
    # two units share a name: an error listing both with their parents
    make_units([UnitRow("150902102000", "和平镇", "township", "150902000000", "town", "150902102000")])
    make_units([UnitRow("150902101202", "和平村", "village", "150902101000", "village", "150902101202")])
    found = resolve_unit(office, "和平")
    assert found.unit is None and len(found.candidates) == 2
    assert "和平村 · 白海子镇 · 集宁区" in found.error and "和平镇 · 集宁区" in found.error
    assert resolve_unit(office, "和平镇").unit is not None  # an exact name wins
    # out of scope reads as missing
    a_staff = world.users["unit_staff"]
    assert resolve_unit(a_staff, "白海子镇").unit is None and resolve_unit(a_staff, "白海子镇").error
    assert [m["code"] for m in unit_matches(a_staff, "白海子")] == []


@pytest.mark.django_db
def test_lookup_endpoint_is_scoped_json(client: Client, world: MatrixWorld) -> None:
    c = _client(client, world)
    data = c.get(reverse("orgs:unit_lookup"), {"q": "泉山"}).json()["results"]
    assert data[0]["code"] == "150902001001" and data[0]["label"].startswith("泉山社区 · 新体育场街道")
    client.force_login(world.users["other"])  # township B's staff: nothing of township A
    assert client.get(reverse("orgs:unit_lookup"), {"q": "泉山"}).json() == {"results": []}


def test_last_twelve_months() -> None:
    from minqing.campaigns.selectors import last_twelve_months

    assert last_twelve_months(dt.date(2026, 12, 6)) == dt.date(2025, 12, 7)
    assert last_twelve_months(dt.date(2024, 2, 29)) == dt.date(2023, 3, 1)


@pytest.mark.django_db
def test_the_bulletin_page_opens_on_the_users_unit_and_its_latest_campaign(
    client: Client, world: MatrixWorld
) -> None:
    """No campaign runs today: the page opens on the last one, as of its last day, not an error."""
    r = _client(client, world).get(reverse("reports:index"))
    q = r.context["query"]
    assert r.status_code == 200 and r.context["errors"] == []
    assert q.unit == world.u["prefecture"] and q.campaign == world.campaign
    assert q.as_of == world.campaign.end_date and r.context["doc"] is not None


@pytest.mark.django_db
def test_period_filters_default_to_the_campaign_then_the_last_12_months(
    client: Client, world: MatrixWorld
) -> None:
    c = _client(client, world)
    today = timezone.localdate()
    campaign = {"campaign": str(world.campaign.pk)}
    for name, read in (
        ("reports:dashboard", lambda r: (r.context["period"].start, r.context["period"].end)),
        ("activities:counts", lambda r: (r.context["start"], r.context["end"])),
        ("outreach:visits", lambda r: (r.context["period"].start, r.context["period"].end)),
    ):
        assert read(c.get(reverse(name), campaign)) == (world.campaign.start_date, world.campaign.end_date), (
            name
        )
        start, end = read(c.get(reverse(name)))  # no campaign runs today: the last 12 months
        assert end == today and (today - start).days in (364, 365), name


@pytest.mark.django_db
def test_the_outreach_index_links_each_list_with_its_count(client: Client, world: MatrixWorld) -> None:
    r = _client(client, world).get(reverse("outreach:index"), {"unit": "150902"})
    assert r.context["counts"] == {"research": 1, "visits": 1, "plans": 1}
    html = r.content.decode()
    for name in ("research", "visits", "plans", "coverage"):
        assert f'href="{reverse("outreach:" + name)}?unit=150902"' in html, name


@pytest.mark.django_db
def test_a_period_without_records_says_so_and_offers_the_range_with_records(
    client: Client, world: MatrixWorld
) -> None:
    r = _client(client, world).get(reverse("activities:counts"))  # the last 12 months: nothing
    day = timezone.localdate(world.activity.start).isoformat()
    assert r.context["records_range"] is not None
    html = r.content.decode()
    assert 'id="no-records"' in html and f"start={day}&amp;end={day}" in html
