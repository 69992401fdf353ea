"""Campaigns over the API: those over the caller's subtree or above it."""

import datetime as dt
from typing import Any

import pytest

from minqing.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(tree: Any) -> dict[str, Campaign]:
    def make(name: str, unit: str, start: dt.date, end: dt.date | None = None) -> Campaign:
        return Campaign.objects.create(
            name=name, scope=tree[unit], path=tree[unit].path, start_date=start, end_date=end
        )

    return {
        "county": make("县专题", "county", dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
        "a": make("甲镇专题", "town_a", dt.date(2020, 1, 1)),
        "b": make("乙镇专题", "town_b", dt.date(2020, 1, 1)),
    }


def test_campaigns_over_the_subtree_and_above(app_client: Any, campaigns: Any) -> None:
    api = app_client(unit="town_a")
    names = {c["name"] for c in api.get("/api/v1/campaigns/").json()["items"]}
    assert names == {"县专题", "甲镇专题"}
    running = api.get("/api/v1/campaigns/", on="2019-06-01").json()["items"]
    assert [c["name"] for c in running] == ["县专题"]
    one = api.get(f"/api/v1/campaigns/{campaigns['a'].pk}").json()
    assert one["scope_code"] == campaigns["a"].scope.code and one["end_date"] is None


def test_a_campaign_elsewhere_is_404(app_client: Any, campaigns: Any) -> None:
    api = app_client(unit="town_a")
    assert api.get(f"/api/v1/campaigns/{campaigns['b'].pk}").status_code == 404
    assert api.get("/api/v1/campaigns/999999").status_code == 404


def test_campaigns_need_the_read_scope(app_client: Any, campaigns: Any) -> None:
    api = app_client(unit="town_a", scopes=["problems:write"])
    assert api.get("/api/v1/campaigns/").status_code == 403
