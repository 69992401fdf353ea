"""People and households over the API: the caller's subtree only, masked unless revealed."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import HouseholdFactory, PersonFactory, PersonIdentityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree: Any) -> dict[str, Any]:
    zhang = PersonFactory(unit=tree["village_a"], number="PA001", name="张三")
    PersonIdentityFactory(person=zhang, phone="13812345678", id_number="150902199001011234")
    wang = PersonFactory(unit=tree["town_b"], number="PB001", name="王五")
    home = HouseholdFactory(grid=tree["grid_a"], number="H1", head_name="李四")
    away = HouseholdFactory(grid=tree["grid_b"], number="H2", head_name="赵六")
    return {"zhang": zhang, "wang": wang, "home": home, "away": away}


def _reveals() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).count()


def test_people_of_the_subtree_with_phone_and_id_masked(app_client: Any, tree: Any, people: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    page = api.get("/api/v1/people/", unit=tree["town_a"].code).json()
    assert [p["number"] for p in page["items"]] == ["PA001"]
    row = page["items"][0]
    assert row["phone"] == "138****5678" and "199001" not in row["id_number"]
    assert row["revealed"] is False and row["can_reveal"] is True
    assert api.get("/api/v1/people/", unit=tree["town_a"].code, q="李").json()["items"] == []
    one = api.get("/api/v1/people/PA001")
    assert one.status_code == 200 and one.json()["phone"] == "138****5678"


def test_people_outside_the_subtree_are_404(app_client: Any, tree: Any, people: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    assert api.get("/api/v1/people/PB001").status_code == 404
    assert api.get("/api/v1/people/", unit=tree["town_b"].code).status_code == 404
    assert api.get("/api/v1/people/PB001/reveal").status_code == 404
    assert api.get(f"/api/v1/households/{people['away'].pk}").status_code == 404


def test_reveal_answers_in_full_and_audits(app_client: Any, people: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    before = _reveals()
    response = api.get("/api/v1/people/PA001/reveal")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json() == {
        "number": "PA001",
        "phone": "13812345678",
        "id_number": "150902199001011234",
        "revealed": True,
    }
    assert _reveals() == before + 1


def test_a_caller_who_may_not_reveal_sees_masks_and_is_refused(app_client: Any, people: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.VIEWER,))
    row = api.get("/api/v1/people/PA001").json()
    assert row["can_reveal"] is False and row["phone"] == "138****5678"
    assert "13812345678" not in api.get("/api/v1/people/PA001").content.decode()
    before = _reveals()
    refused = api.get("/api/v1/people/PA001/reveal")
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
    assert _reveals() == before


def test_a_key_without_the_read_scope_is_refused(app_client: Any, tree: Any, people: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,), scopes=["activities:write"])
    for response in (
        api.get("/api/v1/people/", unit=tree["town_a"].code),
        api.get("/api/v1/people/PA001/reveal"),
        api.get("/api/v1/households/", unit=tree["town_a"].code),
    ):
        assert response.status_code == 403 and response.json()["code"] == "SCOPE_MISSING"


def test_households_masked_in_lists_full_and_audited_on_their_own(
    user_client: Any, tree: Any, people: Any
) -> None:
    api = user_client(role=Role.VIEWER, unit="town_a")
    rows = api.get("/api/v1/households/", unit=tree["town_a"].code).json()["items"]
    assert [(h["number"], h["head_name"]) for h in rows] == [("H1", "李*")]
    before = _reveals()
    one = api.get(f"/api/v1/households/{people['home'].pk}").json()
    assert one["head_name"] == "李四" and one["grid_code"] == tree["grid_a"].code
    assert _reveals() == before + 1


def test_a_page_of_people_costs_the_same_queries_for_3_or_30(app_client: Any, tree: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.UNIT_STAFF,))
    counts = []
    for n in (3, 27):
        for _ in range(n):
            PersonIdentityFactory(person=PersonFactory(unit=tree["village_a"]))
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/people/", unit=tree["town_a"].code, limit=100).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[1] <= counts[0]  # no query per person (identity, unit, reveal check)
