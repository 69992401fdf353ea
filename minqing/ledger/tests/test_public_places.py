"""The online form's place picker (issue 14 part 1): the cascade and the search without
JavaScript (one form; nothing typed is lost, nothing is stored before 提交), the JSON the script
reads (nothing personal; clear errors), and the county holding a phone's location."""

import json
import re
from typing import Any

import pytest
from django.core.cache import cache

from minqing.ledger.models import Feedback, Problem
from minqing.reports.dashboard.geo import county_at, county_shapes

pytestmark = pytest.mark.django_db

SUBMIT = "/public/submit/"
PLACES = "/public/places/"
LOCATE = "/public/places/locate/"
TITLE = "小区路灯不亮"
CONTENT = "3 号楼前的路灯坏了一个月,晚上出行不便"


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    cache.clear()  # the lookup limit counts in the cache


def _typed(**extra: str) -> dict[str, str]:
    return {"title": TITLE, "content": CONTENT, "name": "周九", "phone": "13600001234", **extra}


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else ""


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [
        label.strip()
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)<', select.group(1))
    ]


def test_search_keeps_everything_typed_and_stores_nothing(client, lw) -> None:
    r = client.post(SUBMIT, _typed(unit_code="红旗", search="查找"))
    html = r.content.decode()
    assert r.status_code == 200
    assert f'value="{TITLE}"' in html and CONTENT in html and 'value="13600001234"' in html
    assert 'value="周九"' in html and 'value="红旗"' in html  # the search text too
    assert "红旗村 · 白海子镇 · 集宁区" in html  # the match with its parents
    assert f'name="pick" value="{lw.u["village_b"].code}"' in html
    assert lw.u["grid_b"].code not in html  # grids are not places to choose
    assert 'class="error-summary"' not in html and 'class="errorlist"' not in html  # not checked yet
    assert not Feedback.objects.exists() and not Problem.objects.exists()


def test_anonymous_and_token_survive_a_search(client, lw) -> None:
    token = client.get(SUBMIT).context["form"].initial["token"]
    r = client.post(SUBMIT, _typed(unit_code="泉山", search="查找", anonymous="on", token=token))
    html = r.content.decode()
    assert re.search(r'<input type="checkbox" name="anonymous"[^>]*checked', html)
    assert f'value="{token}"' in html


def test_picking_a_result_sets_the_cascade_with_parent_names(client, lw) -> None:
    village = lw.u["village_b"]
    r = client.post(SUBMIT, _typed(unit_code="红旗", pick=village.code))
    html = r.content.decode()
    assert _selected(html, "county") == lw.u["county"].code
    assert _selected(html, "township") == lw.u["town_b"].code
    assert _selected(html, "village") == village.code
    assert _options(html, "county") == ["集宁区 · 乌兰察布市"]
    assert _options(html, "township") == ["新体育场街道 · 集宁区", "白海子镇 · 集宁区"]
    assert _options(html, "village") == ["红旗村 · 白海子镇 · 集宁区"]
    assert (
        f'name="unit" value="{village.code}"' in html
        and "已选:<strong>红旗村 · 白海子镇 · 集宁区</strong>" in html
    )
    assert f'value="{TITLE}"' in html and CONTENT in html
    assert not Feedback.objects.exists()


def test_the_next_level_shows_the_children_of_the_choice(client, lw) -> None:
    html = client.get(SUBMIT).content.decode()
    assert _options(html, "county") == ["集宁区 · 乌兰察布市"]
    assert _options(html, "township") == [] and re.search(
        r'<select id="place-township" name="township" disabled>', html
    )
    r = client.post(SUBMIT, _typed(county=lw.u["county"].code, next="选定,显示下一级"))
    html = r.content.decode()
    assert _options(html, "township") == ["新体育场街道 · 集宁区", "白海子镇 · 集宁区"]
    assert _options(html, "village") == []
    r = client.post(SUBMIT, _typed(county=lw.u["county"].code, township=lw.u["town_a"].code, next="选定"))
    html = r.content.decode()
    assert _selected(html, "township") == lw.u["town_a"].code
    assert _options(html, "village") == ["泉山社区 · 新体育场街道 · 集宁区"]
    assert f'value="{TITLE}"' in html and not Feedback.objects.exists()


def test_a_lower_select_left_from_another_branch_does_not_count(client, lw) -> None:
    """Without JavaScript a changed township keeps the old village in its select: the deepest
    choice that lies under the one above it wins."""
    data = _typed(county=lw.u["county"].code, township=lw.u["town_b"].code, village=lw.u["village_a"].code)
    client.post(SUBMIT, data)
    assert Feedback.objects.get().unit == lw.u["town_b"]


def test_the_final_submit_stores_the_place_chosen_in_the_cascade(client, lw) -> None:
    data = _typed(
        unit_code="红旗",  # the search text stays in its box, and is not a code
        county=lw.u["county"].code,
        township=lw.u["town_b"].code,
        village=lw.u["village_b"].code,
    )
    r = client.post(SUBMIT, data)
    fb = Feedback.objects.get()
    assert r.status_code == 200 and fb.tracking_code in r.content.decode()
    assert fb.unit == lw.u["village_b"] and fb.title == TITLE


def test_a_unique_name_typed_is_the_place(client, lw) -> None:
    client.post(SUBMIT, _typed(unit_code="泉山"))
    assert Feedback.objects.get().unit == lw.u["village_a"]


def test_a_short_division_code_typed_is_the_place(client, lw) -> None:
    client.post(SUBMIT, _typed(unit_code="150902"))  # 150902000000, 集宁区
    assert Feedback.objects.get().unit == lw.u["county"]
    assert client.get(PLACES, {"code": "150902"}).json()["chosen"]["code"] == lw.u["county"].code


def test_several_matches_or_a_conflicting_code_are_errors_in_the_summary(client, lw) -> None:
    r = client.post(SUBMIT, _typed(unit_code="1509021"))  # 白海子镇 and 红旗村
    html = r.content.decode()
    assert "有多个地点符合“1509021”" in html and 'href="#id_unit_code"' in html
    picked = {
        "county": lw.u["county"].code,
        "township": lw.u["town_b"].code,
        "village": lw.u["village_b"].code,
    }
    r = client.post(SUBMIT, _typed(unit_code=lw.u["village_a"].code, **picked))
    assert r.context["form"].errors["unit_code"]  # a typed code other than the cascade's choice
    # a code typed to search, then a place picked under it: no conflict
    r = client.post(SUBMIT, _typed(unit_code="150902", **picked))
    assert r.status_code == 200 and Feedback.objects.get().unit == lw.u["village_b"]
    Feedback.objects.all().delete()
    r = client.post(SUBMIT, _typed(unit_code=lw.u["village_a"].code, unit=lw.u["village_a"].code))
    assert r.status_code == 200 and Feedback.objects.get().unit == lw.u["village_a"]


def test_the_error_summary_links_to_each_field(client, lw) -> None:
    r = client.post(SUBMIT, {"title": "", "content": "", "phone": "call me"})
    html = r.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert summary, html
    for field in ("id_title", "id_content", "id_unit_code", "id_phone"):
        assert f'href="#{field}"' in summary.group(0), field
        # the field names its message, and the message is there under that id
        assert f'aria-describedby="{field}_error"' in html and f'id="{field}_error"' in html, field
    assert not Feedback.objects.exists()


def test_phone_fields_ask_for_the_numeric_keypad(client, lw) -> None:
    html = client.get(SUBMIT).content.decode()
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html)
    assert phone and 'type="tel"' in phone.group(0) and 'inputmode="numeric"' in phone.group(0)
    assert 'autocomplete="tel"' in phone.group(0)
    r = client.post(SUBMIT, _typed(unit_code=lw.u["village_a"].code))
    send = re.search(r'<input[^>]*name="phone"[^>]*>', r.content.decode())
    assert send and 'type="tel"' in send.group(0) and 'inputmode="numeric"' in send.group(0)


# --- the JSON ----------------------------------------------------------------------------

ALLOWED_KEYS = {"chosen", "levels", "field", "label", "selected", "options", "code", "name", "q", "results"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_places_json_cascade_and_search_hold_nothing_personal(client, lw) -> None:
    lw.submit(unit_key="village_b")  # a report by 王大妈, 13900001111, in the village
    top = client.get(PLACES).json()
    assert [o["label"] for o in top["levels"][0]["options"]] == ["集宁区 · 乌兰察布市"]
    assert top["chosen"] is None and top["levels"][1]["options"] == []
    r = client.get(PLACES, {"code": lw.u["village_b"].code})
    data = r.json()
    assert r.status_code == 200 and data["chosen"]["label"] == "红旗村 · 白海子镇 · 集宁区"
    assert [lv["selected"] for lv in data["levels"]] == [
        lw.u["county"].code,
        lw.u["town_b"].code,
        lw.u["village_b"].code,
    ]
    found = client.get(PLACES, {"q": "红旗"}).json()
    assert found["results"] == [
        {"code": lw.u["village_b"].code, "name": "红旗村", "label": "红旗村 · 白海子镇 · 集宁区"}
    ]
    for body in (top, data, found):
        assert _keys(body) <= ALLOWED_KEYS
        text = json.dumps(body, ensure_ascii=False)
        assert "王大妈" not in text and "13900001111" not in text and "路灯" not in text
    # a grid is not a place
    assert client.get(PLACES, {"q": "网格"}).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"code": "999999999999"}, 404, "找不到该地点"),
        ({"code": "G-A-01"}, 404, "找不到该地点"),  # a grid
        ({"code": "15<script>"}, 400, "单位代码格式不正确"),
        ({"q": "长" * 51}, 400, "不能超过 50 个字"),
        ({"q": "红旗", "code": "150902000000"}, 400, "只给出 code 或 q"),
    ],
)
def test_places_json_bad_input_is_a_clear_error(client, lw, params, status, says) -> None:
    r = client.get(PLACES, params)
    assert r.status_code == status and says in r.json()["error"]


def test_places_json_errors_in_english(client, lw) -> None:
    client.cookies.load({"django_language": "en"})
    r = client.get(PLACES, {"code": "999999999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404 and "place" in r.json()["error"].lower()


def test_places_json_is_rate_limited(client, lw, settings) -> None:
    settings.MINQING_PUBLIC_LOOKUP_LIMIT = 2
    assert client.get(PLACES).status_code == 200
    assert client.get(PLACES, {"q": "红旗"}).status_code == 200
    r = client.get(PLACES)
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1 and r.json()["error"]
    assert client.get(PLACES, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client


# --- the county of a point ---------------------------------------------------------------


def interior_point(ring: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """A point inside a simple polygon: on the horizontal line through the middle of its
    bounding box, the middle of the widest stretch between two crossings of the boundary."""
    ys = [y for _, y in ring]
    lat = (min(ys) + max(ys)) / 2 + 1e-7
    xs = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > lat) != (y1 > lat):
            xs.append(x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    pairs = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
    a, b = max(pairs, key=lambda p: p[1] - p[0])
    return (a + b) / 2, lat


def test_every_shipped_county_holds_an_interior_point_of_its_own() -> None:
    shapes = county_shapes()
    assert len(shapes) == 17
    for shape in shapes:
        lon, lat = interior_point(shape.polygons[0][0])
        found = county_at(lon, lat)
        assert found is not None, shape.county
        # 乌兰浩特市 lies inside 科尔沁右翼前旗's outline (no hole for it): the smaller is given
        assert found == shape.county or (shape.county.code == "152221" and found.code == "152201"), (
            shape.county
        )


def test_points_outside_every_county() -> None:
    assert county_at(0.0, 0.0) is None
    assert county_at(116.40, 39.90) is None  # Beijing
    assert county_at(111.67, 40.82) is None  # Hohhot: Inner Mongolia, but no map is shipped for it


def test_locate_preselects_the_county(client, lw) -> None:
    jining = next(s for s in county_shapes() if s.county.code == "150902")
    lon, lat = interior_point(jining.polygons[0][0])
    r = client.post(LOCATE, {"lat": str(lat), "lon": str(lon)})
    data = r.json()
    assert r.status_code == 200 and data["chosen"]["code"] == lw.u["county"].code
    assert data["levels"][0]["selected"] == lw.u["county"].code
    assert [o["label"] for o in data["levels"][1]["options"]] == [
        "新体育场街道 · 集宁区",
        "白海子镇 · 集宁区",
    ]


@pytest.mark.parametrize(
    ("point", "status"),
    [
        ({"lat": "39.90", "lon": "116.40"}, 404),  # outside every shipped county
        ({"lat": "abc", "lon": "113"}, 400),
        ({"lat": "91", "lon": "113"}, 400),
        ({"lat": "nan", "lon": "113"}, 400),
        ({"lon": "113"}, 400),
    ],
)
def test_locate_outside_or_bad_input(client, lw, point, status) -> None:
    r = client.post(LOCATE, point)
    assert r.status_code == status and r.json()["error"]


def test_locate_is_a_post(client, lw) -> None:
    assert client.get(LOCATE, {"lat": "41", "lon": "113"}).status_code == 405
