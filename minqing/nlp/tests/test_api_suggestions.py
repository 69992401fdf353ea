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


LAMP = "泉山社区东门路灯坏了三个月,晚上出行很不方便,老人摔倒过两次"


def test_registering_answers_with_the_similar_open_problems_in_reach(app_client: Any, tree: Any) -> None:  # noqa: F811
    from minqing.nlp.duplicates.service import reset_index

    reset_index()
    town_a = app_client(unit="town_a", roles=(Role.INTAKE,))
    county = app_client(unit="county", roles=(Role.INTAKE,))
    lamp = {"title": "泉山社区东门路灯不亮", "content": LAMP, "channel": Channel.ONLINE}
    a = county.post(BASE, {**lamp, "unit_code": tree["village_a"].code}).json()["number"]
    red = {**lamp, "content": LAMP.replace("泉山社区", "红旗村"), "unit_code": tree["village_b"].code}
    b = county.post(BASE, red).json()["number"]
    call = {
        "title": "泉山社区东门的路灯不亮",
        "content": "来电人称泉山社区东门那几盏路灯坏了好几个月没人修,天黑以后老人出门摔倒过两次",
        "unit_code": tree["village_a"].code,
        "channel": Channel.CALL,
    }
    r = town_a.post(BASE, call)
    assert r.status_code == 201, r.content
    d = r.json()["duplicates"]
    assert d["ready"] is True
    assert [x["number"] for x in d["items"]] == [a]  # 红旗村's is outside town A; itself left out
    first = d["items"][0]
    assert 0.3 <= first["score"] <= 1 and "来电人称" in first["only_in_message"]
    assert first["state"] == "registered" and first["unit_code"] == tree["village_a"].code
    # the county's caller sees both, the new call's problem not among them
    again = county.post(BASE, {**call, "title": "泉山社区东门路灯坏了没人修"}).json()
    numbers = [x["number"] for x in again["duplicates"]["items"]]
    assert a in numbers and b in numbers and r.json()["number"] in numbers
    assert again["number"] not in numbers
    reset_index()
