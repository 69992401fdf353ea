"""POST /api/v1/problems answers with the suggested categories and units (not recorded)."""

from typing import Any

import pytest

from minqing.api.tests.conftest import app_client, tree  # noqa: F401 (fixtures)
from minqing.ledger.enums import Channel, Source
from minqing.nlp import units as gz
from minqing.nlp.models import Suggestion
from minqing.orgs.enums import Role

pytestmark = pytest.mark.django_db
BASE = "/api/v1/problems/"


@pytest.fixture(autouse=True)
def _fresh_gazetteer():
    gz.invalidate()
    yield
    gz.invalidate()


def test_registering_answers_with_suggestions(app_client: Any, tree: Any) -> None:  # noqa: F811
    hotline = app_client(unit="county", roles=(Role.INTAKE,))
    body = {
        "title": "红旗村小学门口堵车",
        "content": "红旗村小学门口每天放学时校车和私家车堵成一团,孩子过马路很危险",
        "unit_code": tree["town_b"].code,
        "channel": Channel.CALL,
    }
    r = hotline.post(BASE, body)
    assert r.status_code == 201, r.content
    s = r.json()["suggestions"]
    assert len(s["categories"]) == 3
    assert s["categories"][0]["label"] in ("交通运输", "教育文体")
    assert all(0 < c["confidence"] <= 1 for c in s["categories"])
    assert s["categories"][0]["confidence"] >= s["categories"][1]["confidence"]
    first = s["units"][0]
    assert first["code"] == tree["village_b"].code and "文中提到 红旗村" in first["reasons"]
    assert not Suggestion.objects.exists()


def test_a_problem_of_another_source_has_suggestions_too(app_client: Any, tree: Any) -> None:  # noqa: F811
    hotline = app_client(unit="county", roles=(Role.INTAKE,))
    body = {"title": "泉山社区垃圾清运不及时", "content": "垃圾堆了一周", "unit_code": tree["village_a"].code}
    r = hotline.post(BASE, {**body, "source": Source.SELF_INSPECTION})
    assert r.status_code == 201, r.content
    s = r.json()["suggestions"]
    assert len(s["categories"]) == 3 and s["categories"][0]["category_id"] is not None
    assert s["units"][0]["code"] == tree["village_a"].code
