"""Guidance groups and inspections over the API; an inspection's findings enter the ledger."""

import datetime as dt
from typing import Any

import pytest

from minqing.campaigns.models import Campaign
from minqing.ledger.models import Problem
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.supervision.models import Inspection
from minqing.supervision.services.groups import MemberSpec, group_create
from minqing.supervision.services.inspections import inspection_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    campaign = Campaign.objects.create(
        name="县专题", scope=tree["county"], path=tree["county"].path, start_date=dt.date(2019, 1, 1)
    )
    group = group_create(
        actor=SYSTEM,
        name="第一指导组",
        campaign=campaign,
        unit=tree["county"],
        units=[tree["town_a"], tree["town_b"]],
        members=[MemberSpec(name="组长甲", role="leader")],
    )
    b = inspection_record(
        actor=SYSTEM, group=group, unit=tree["town_b"], date=dt.date(2019, 5, 1), kind="spot_check"
    )
    return {"campaign": campaign, "group": group, "b": b}


def test_groups_and_inspections_of_the_subtree(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.INSPECTOR,))
    groups = api.get("/api/v1/supervision/groups").json()["items"]
    assert [(g["name"], g["inspections"]) for g in groups] == [("第一指导组", 0)]  # town B's is not seen
    one = api.get(f"/api/v1/supervision/groups/{world['group'].pk}").json()
    assert one["unit_codes"] == [tree["town_a"].code] and one["other_units"] == 1
    assert one["leader_name"] == "组长甲"
    assert api.get("/api/v1/supervision/inspections", unit=tree["town_a"].code).json()["items"] == []


def test_record_an_inspection_with_findings(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.INSPECTOR,))
    body = {
        "group": world["group"].pk,
        "unit": tree["village_a"].code,
        "date": "2019-06-01",
        "kind": "records_check",
        "checked_minutes": True,
        "findings": [{"text": "会议记录不全"}, {"text": "讲稿缺页"}],
    }
    made = api.post("/api/v1/supervision/inspections", body)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["findings"] == 2 and out["round"] == 1  # joins the group's latest round
    numbers = [f["problem_number"] for f in out["finding_rows"]]
    assert Problem.objects.filter(number__in=numbers, unit=tree["village_a"]).count() == 2
    listed = api.get("/api/v1/supervision/inspections", unit=tree["town_a"].code, kind="records_check")
    assert [i["id"] for i in listed.json()["items"]] == [out["id"]]
    bad = api.post("/api/v1/supervision/inspections", {**body, "checked_minutes": False})
    assert bad.status_code == 400 and bad.json()["code"] == "SUPERVISION_RECORDS_REQUIRED"


def test_inspections_elsewhere_are_404(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.INSPECTOR,))
    assert api.get(f"/api/v1/supervision/inspections/{world['b'].pk}").status_code == 404
    assert api.get("/api/v1/supervision/inspections", unit=tree["town_b"].code).status_code == 404
    body = {
        "group": world["group"].pk,
        "unit": tree["town_b"].code,
        "date": "2019-06-01",
        "kind": "spot_check",
    }
    assert api.post("/api/v1/supervision/inspections", body).status_code == 404


def test_recording_refused_by_role_or_scope(app_client: Any, tree: Any, world: Any) -> None:
    body = {
        "group": world["group"].pk,
        "unit": tree["town_a"].code,
        "date": "2019-06-01",
        "kind": "spot_check",
    }
    staff = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    refused = staff.post("/api/v1/supervision/inspections", body)
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
    reader = app_client(unit="town_a", roles=(Role.INSPECTOR,), scopes=["read"])
    assert reader.post("/api/v1/supervision/inspections", body).json()["code"] == "SCOPE_MISSING"
    assert Inspection.objects.count() == 1
