"""Programmes, targets, plans and progress over the API; reporting progress."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.programmes.models import ProgressReport
from minqing.programmes.services.programmes import plan_set, programme_create, target_create
from minqing.programmes.services.progress import progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    county = programme_create(
        actor=SYSTEM, name="县道路项目", owner=tree["county"], start_date=dt.date(2019, 1, 1)
    )
    road = target_create(
        actor=SYSTEM, programme=county, key="road", name="道路硬化", measure="公里", plan_quantity=Decimal(10)
    )
    plan_set(actor=SYSTEM, target=road, unit=tree["town_a"], quantity=Decimal(4))
    plan_set(actor=SYSTEM, target=road, unit=tree["town_b"], quantity=Decimal(6))
    progress_report(
        actor=SYSTEM,
        target=road,
        unit=tree["town_b"],
        date=dt.date(2019, 3, 1),
        in_progress=Decimal(1),
        completed=Decimal(2),
        funds=Decimal(5),
    )
    town_b = programme_create(
        actor=SYSTEM, name="乙镇项目", owner=tree["town_b"], start_date=dt.date(2019, 1, 1)
    )
    return {"county": county, "road": road, "town_b": town_b}


def test_programmes_progress_and_plans(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    names = [p["name"] for p in api.get("/api/v1/programmes/").json()["items"]]
    assert names == ["县道路项目"]  # the county's is seen below it, town B's is not
    pk = world["county"].pk
    assert [t["key"] for t in api.get(f"/api/v1/programmes/{pk}").json()["targets"]] == ["road"]
    assert [t["key"] for t in api.get(f"/api/v1/programmes/{pk}/targets").json()] == ["road"]
    assert api.get(f"/api/v1/programmes/{pk}/targets/road").json()["measure"] == "公里"
    assert api.get(f"/api/v1/programmes/{pk}/targets/nope").status_code == 404
    progress = api.get(f"/api/v1/programmes/{pk}/progress", as_of="2019-06-30").json()
    assert progress["unit_code"] == tree["town_a"].code  # where the caller's view starts
    total = progress["targets"][0]["total"]
    assert Decimal(total["plan"]) == 4 and Decimal(total["completed"]) == 0  # town B's report not counted
    plans = api.get(f"/api/v1/programmes/{pk}/targets/road/plans").json()["items"]
    assert [(p["unit_code"], Decimal(p["quantity"])) for p in plans] == [(tree["town_a"].code, 4)]


def test_report_progress_as_the_page(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    pk = world["county"].pk
    body = {
        "target": "road",
        "unit": tree["town_a"].code,
        "date": "2019-04-01",
        "in_progress": "1",
        "completed": "5",
    }
    made = api.post(f"/api/v1/programmes/{pk}/reports", body)
    assert made.status_code == 201, made.content
    assert made.json()["outcome"] == "created" and made.json()["over_plan"]  # 6 > town A's plan of 4
    again = api.post(f"/api/v1/programmes/{pk}/reports", body)
    assert again.json()["outcome"] == "unchanged"
    rows = api.get(f"/api/v1/programmes/{pk}/reports", target="road").json()["items"]
    assert [r["unit_code"] for r in rows] == [tree["town_a"].code]
    future = api.post(f"/api/v1/programmes/{pk}/reports", {**body, "date": "2999-01-01"})
    assert future.status_code == 400 and future.json()["code"] == "PROGRAMME_FUTURE_DATE"


def test_outside_the_subtree_is_404(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    assert api.get(f"/api/v1/programmes/{world['town_b'].pk}").status_code == 404
    pk = world["county"].pk
    assert api.get(f"/api/v1/programmes/{pk}/progress", unit=tree["town_b"].code).status_code == 404
    body = {
        "target": "road",
        "unit": tree["town_b"].code,
        "date": "2019-04-01",
        "in_progress": "1",
        "completed": "1",
    }
    assert api.post(f"/api/v1/programmes/{pk}/reports", body).status_code == 404


def test_reporting_refused_by_role_or_scope(app_client: Any, tree: Any, world: Any) -> None:
    pk = world["county"].pk
    body = {
        "target": "road",
        "unit": tree["town_a"].code,
        "date": "2019-04-01",
        "in_progress": "1",
        "completed": "1",
    }
    viewer = app_client(unit="town_a", roles=(Role.VIEWER,))
    assert viewer.post(f"/api/v1/programmes/{pk}/reports", body).status_code == 403
    reader = app_client(unit="town_a", roles=(Role.UNIT_STAFF,), scopes=["read"])
    assert reader.post(f"/api/v1/programmes/{pk}/reports", body).json()["code"] == "SCOPE_MISSING"
    assert ProgressReport.objects.count() == 1
