"""The catalogues over the API: power list, reforms with results, commendations (read only)."""

import datetime as dt
from typing import Any

import pytest

from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create, reform_result_add
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    a, b = tree["town_a"], tree["town_b"]
    reform = reform_create(actor=SYSTEM, unit=a, title="一窗受理", is_key=True)
    reform_result_add(actor=SYSTEM, measure=reform, date=dt.date(2019, 5, 1), text="窗口减少一半")
    return {
        "power_a": power_item_create(actor=SYSTEM, unit=a, category="licensing", name="摊点许可"),
        "power_old": power_item_create(
            actor=SYSTEM, unit=tree["village_a"], category="penalty", name="旧事项", is_active=False
        ),
        "power_b": power_item_create(actor=SYSTEM, unit=b, category="licensing", name="乙镇许可"),
        "reform": reform,
        "reform_b": reform_create(actor=SYSTEM, unit=b, title="乙镇改革"),
        "honour": commendation_create(
            actor=SYSTEM, unit=a, title="优秀党员", date=dt.date(2019, 7, 1), name="张三"
        ),
        "honour_b": commendation_create(
            actor=SYSTEM, unit=b, title="优秀党员", date=dt.date(2019, 7, 1), name="王五"
        ),
    }


def test_catalogues_of_the_subtree_with_filters(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.VIEWER,))
    names = sorted(p["name"] for p in api.get("/api/v1/catalogues/powers").json()["items"])
    assert names == ["摊点许可", "旧事项"]
    active = api.get("/api/v1/catalogues/powers", active="true").json()["items"]
    assert [p["name"] for p in active] == ["摊点许可"]
    below = api.get("/api/v1/catalogues/powers", unit=tree["village_a"].code).json()["items"]
    assert [p["name"] for p in below] == ["旧事项"]
    reforms = api.get("/api/v1/catalogues/reforms", key="true").json()["items"]
    assert [r["title"] for r in reforms] == ["一窗受理"]
    one = api.get(f"/api/v1/catalogues/reforms/{world['reform'].pk}").json()
    assert [r["text"] for r in one["results"]] == ["窗口减少一半"]
    honours = api.get("/api/v1/catalogues/commendations", year=2019).json()["items"]
    assert [h["name"] for h in honours] == ["张三"]


def test_rows_elsewhere_are_404(app_client: Any, tree: Any, world: Any) -> None:
    api = app_client(unit="town_a", roles=(Role.VIEWER,))
    assert api.get(f"/api/v1/catalogues/powers/{world['power_b'].pk}").status_code == 404
    assert api.get(f"/api/v1/catalogues/reforms/{world['reform_b'].pk}").status_code == 404
    assert api.get(f"/api/v1/catalogues/commendations/{world['honour_b'].pk}").status_code == 404
    assert api.get("/api/v1/catalogues/powers", unit=tree["town_b"].code).status_code == 404


def test_catalogues_need_the_read_scope(app_client: Any, world: Any) -> None:
    api = app_client(unit="town_a", scopes=["activities:write"])
    for path in (
        "/api/v1/catalogues/powers",
        "/api/v1/catalogues/reforms",
        "/api/v1/catalogues/commendations",
    ):
        assert api.get(path).json()["code"] == "SCOPE_MISSING"
