"""Bulletins (the json format) and the dashboard's figures over the API."""

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from minqing.activities.models import ActivityType
from minqing.activities.services.activities import activity_create
from minqing.campaigns.models import Campaign
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.query import read_query
from minqing.reports.bulletins.renderers.text import render_json
from minqing.reports.bulletins.services import bulletin_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    campaign = Campaign.objects.create(
        name="县专题", scope=tree["county"], path=tree["county"].path, start_date=dt.date(2019, 1, 1)
    )
    kind = ActivityType.objects.get(code="reading_class")
    start = timezone.make_aware(dt.datetime(2019, 10, 10, 9))
    for unit in ("town_a", "village_a", "town_b"):
        activity_create(
            actor=SYSTEM,
            type=kind,
            organiser=tree[unit],
            title="读书班",
            start=start,
            campaign=campaign,
            headcount=10,
        )
    return {"campaign": campaign}


def test_the_bulletin_is_the_pages_json_download(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a")
    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    response = api.get("/api/v1/reports/bulletin", unit=tree["town_a"].code, as_of="2019-12-31")
    assert response.status_code == 200, response.content
    body = response.json()
    query = read_query(SYSTEM, {"unit": tree["town_a"].code, "as_of": "2019-12-31"})
    assert query.campaign is not None and query.as_of is not None and query.unit is not None
    page = json.loads(
        render_json(
            bulletin_generate(unit=query.unit, as_of=query.as_of, campaign=query.campaign, actor=SYSTEM)
        )
    )
    assert (
        body == page and body["unit"]["code"] == tree["town_a"].code and body["campaign"]["name"] == "县专题"
    )
    assert any("." in key for key in body)  # the metric ids with their values
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == before + 1


def test_the_dashboard_figures(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a")
    response = api.get(
        "/api/v1/reports/dashboard", unit=tree["town_a"].code, start="2019-10-01", end="2019-10-31"
    )
    assert response.status_code == 200, response.content
    d = response.json()
    assert d["activities"]["sessions"] == 2 and d["activities"]["person_times"] == 20  # town B's not counted
    assert [c["unit_code"] for c in d["children"]] == [tree["village_a"].code]
    assert d["children"][0]["sessions"] == 1
    assert d["problems"]["total"] == 0
    bad = api.get("/api/v1/reports/dashboard", unit=tree["town_a"].code, start="2019-10-31", end="2019-10-01")
    assert bad.status_code == 422


def test_reports_elsewhere_are_404(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a")
    assert api.get("/api/v1/reports/bulletin", unit=tree["town_b"].code).status_code == 404
    assert api.get("/api/v1/reports/dashboard", unit=tree["town_b"].code).status_code == 404


def test_reports_need_the_read_scope(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", scopes=["problems:write"])
    assert api.get("/api/v1/reports/bulletin", unit=tree["town_a"].code).json()["code"] == "SCOPE_MISSING"
    assert api.get("/api/v1/reports/dashboard").json()["code"] == "SCOPE_MISSING"
