"""Research topics and visits over the API."""

import datetime as dt
from typing import Any, cast

import pytest

from minqing.activities.models import ResearchTopic, Visit
from minqing.activities.services.research import topic_create
from minqing.activities.services.visits import visit_record
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    lead_a = cast(Person, PersonFactory(unit=tree["town_a"], number="PA001", name="张三"))
    lead_b = cast(Person, PersonFactory(unit=tree["town_b"], number="PB001", name="王五"))
    home = HouseholdFactory(grid=tree["grid_a"], number="H1", head_name="李四")
    return {
        "lead_a": lead_a,
        "home": home,
        "topic_a": topic_create(actor=SYSTEM, title="甲镇课题", leader=lead_a, unit=tree["town_a"]),
        "topic_b": topic_create(actor=SYSTEM, title="乙镇课题", leader=lead_b, unit=tree["town_b"]),
        "visit_b": visit_record(
            actor=SYSTEM, cadre=lead_b, date=dt.date(2019, 10, 1), unit=tree["village_b"]
        ),
    }


def writer(app_client: Any, **kw: Any) -> Any:
    return app_client(unit="town_a", roles=(Role.UNIT_STAFF,), **kw)


def test_topics_list_get_create_and_interviews(app_client: Any, tree: Any, world: Any) -> None:
    api = writer(app_client)
    rows = api.get("/api/v1/research/", unit=tree["town_a"].code).json()["items"]
    assert [r["title"] for r in rows] == ["甲镇课题"]
    made = api.post(
        "/api/v1/research/", {"title": "新课题", "unit": tree["village_a"].code, "leader": "PA001"}
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    interview = api.post(f"/api/v1/research/{pk}/interviews", {"date": "2019-10-02", "person_times": 7})
    assert interview.status_code == 201
    report = api.post(f"/api/v1/research/{pk}/reports", {"title": "调研报告", "submitted_on": "2019-10-05"})
    assert report.status_code == 201 and report.json()["author_number"] == "PA001"  # the leader by default
    one = api.get(f"/api/v1/research/{pk}").json()
    assert one["leader_number"] == "PA001" and [i["person_times"] for i in one["interviews"]] == [7]
    assert [r["title"] for r in one["research_reports"]] == ["调研报告"] and one["reports"] == 1


def test_topics_and_visits_elsewhere_are_404(app_client: Any, tree: Any, world: Any) -> None:
    api = writer(app_client)
    assert api.get(f"/api/v1/research/{world['topic_b'].pk}").status_code == 404
    assert api.get("/api/v1/research/", unit=tree["town_b"].code).status_code == 404
    assert api.get(f"/api/v1/visits/{world['visit_b'].pk}").status_code == 404
    assert api.get("/api/v1/visits/", unit=tree["town_b"].code).status_code == 404
    leader_elsewhere = {"title": "x", "unit": tree["town_a"].code, "leader": "PB001"}
    assert api.post("/api/v1/research/", leader_elsewhere).status_code == 404


def test_visits_list_and_create(app_client: Any, tree: Any, world: Any) -> None:
    api = writer(app_client)
    made = api.post(
        "/api/v1/visits/",
        {"cadre": "PA001", "date": "2019-10-03", "household": world["home"].pk, "notes": "好"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["household_number"] == "H1" and made.json()["unit_code"] == tree["grid_a"].code
    rows = api.get("/api/v1/visits/", unit=tree["town_a"].code, start="2019-10-01").json()["items"]
    assert [r["cadre_number"] for r in rows] == ["PA001"]
    assert api.get("/api/v1/visits/", unit=tree["town_a"].code, start="2019-10-04").json()["items"] == []
    both = api.post(
        "/api/v1/visits/",
        {"cadre": "PA001", "date": "2019-10-03", "household": world["home"].pk, "unit": tree["grid_a"].code},
    )
    assert both.status_code == 400 and both.json()["code"] == "VISIT_ONE_TARGET"


def test_writes_refused_by_role_or_scope(app_client: Any, tree: Any, world: Any) -> None:
    body = {"title": "x", "unit": tree["town_a"].code, "leader": "PA001"}
    viewer = app_client(unit="town_a", roles=(Role.VIEWER,))
    assert viewer.post("/api/v1/research/", body).status_code == 403
    reader = writer(app_client, scopes=["read"])
    assert reader.post("/api/v1/research/", body).json()["code"] == "SCOPE_MISSING"
    no_problems = writer(app_client, scopes=["read", "activities:write"])
    visit = {
        "cadre": "PA001",
        "date": "2019-10-03",
        "unit": tree["village_a"].code,
        "problem_title": "路灯坏了",
    }
    assert no_problems.post("/api/v1/visits/", visit).json()["code"] == "SCOPE_MISSING"
    assert ResearchTopic.objects.count() == 2 and Visit.objects.count() == 1
