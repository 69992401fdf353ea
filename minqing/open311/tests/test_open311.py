"""Every Open311 GeoReport v2 call in XML and in JSON, the documents checked against the spec
(element and field names, types, error lists, status codes)."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from minqing.api.keys import key_revoke
from minqing.api.models import ApiKey
from minqing.ledger.enums import Action, Channel, State
from minqing.ledger.models import Category, Feedback, FeedbackIdentity, Problem, ProblemEvent
from minqing.ledger.services.moderation import problem_moderate
from minqing.ledger.services.workflow import problem_transition
from minqing.open311.models import ExternalUpdate, ServiceOffer, ServiceRequest
from minqing.open311.tests.helpers import (
    ATTRIBUTE_FIELDS,
    DATATYPES,
    FORMATS,
    REQUEST_FIELDS,
    SERVICE_FIELDS,
    UPDATE_FIELDS,
    Open311Client,
    as_list,
    assert_errors,
    attributes_of_every_type,
    items,
    make_app,
    taxonomy,
)
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def world() -> dict[str, Any]:
    tree = small_tree()
    cats = taxonomy()
    attributes_of_every_type(cats["pothole"])
    key = make_app(tree["county"])
    return {"tree": tree, "cats": cats, "key": key}


def client(world: dict[str, Any], key: bool = True, unit: str = "county") -> Open311Client:
    return Open311Client(world["key"] if key else None, world["tree"][unit].code)


def good_request(world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = {
        "service_code": str(world["cats"]["pothole"].pk),
        "description": "白海子镇红旗村村口道路塌陷\n已有车辆受损",
        "lat": "41.0345",
        "long": "113.1180",
        "address_string": "红旗村村口",
        "attribute[depth]": "12.5",
        "attribute[size]": "large",
        "attribute[hazards]": ["water", "night"],
        "attribute[seen_at]": "2026-12-01T08:30:00+08:00",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800000001",
        "email": "zhang@example.com",
        "media_url": "https://img.example.com/a.jpg",
    }
    data.update(extra)
    return data


def post_request(
    world: dict[str, Any], fmt: str = "json", plain: bool = False, **extra: Any
) -> dict[str, Any]:
    data = good_request(world, **extra)
    if plain:  # a service without attributes
        data = {k: v for k, v in data.items() if not k.startswith("attribute[")}
    answer = client(world).post("requests", fmt, data)
    assert answer.status == 200, answer.raw[:400]
    [item] = as_list(answer)
    return dict(item)


# --- discovery and services --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_both_formats(world: Any, fmt: str) -> None:
    answer = Open311Client().get("discovery", fmt)
    assert answer.status == 200
    doc = answer.data
    assert set(doc) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = items(doc["endpoints"])
    assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert sorted(items(endpoint["formats"])) == ["application/json", "text/xml"]
    assert W3C.match(doc["changeset"])
    if fmt == "xml":
        assert answer.root == "discovery"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_whole_taxonomy_by_default(world: Any, fmt: str) -> None:
    answer = client(world, key=False).get("services", fmt)
    assert answer.status == 200
    services = as_list(answer)
    assert len(services) == Category.objects.count() > 3  # the shipped taxonomy and ours
    assert {"测试路政", "道路破损", "测试噪声"} <= {s["service_name"] for s in services}
    for s in services:
        assert set(s) == SERVICE_FIELDS
        assert s["type"] == "realtime"
    pothole = next(s for s in services if s["description"] == "测试路政/道路破损")
    assert pothole["group"] == "测试路政" and pothole["service_name"] == "道路破损"
    noise = next(s for s in services if s["service_name"] == "测试噪声")
    if fmt == "json":
        assert pothole["metadata"] is True and noise["metadata"] is False
        assert isinstance(pothole["service_code"], str)
    else:
        assert answer.root == "services" and pothole["metadata"] == "true" and noise["metadata"] == "false"
        assert answer.raw.count(b"<service>") == len(services)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_units_offers_decide_its_services_and_its_subtrees(world: Any, fmt: str) -> None:
    tree, cats = world["tree"], world["cats"]
    ServiceOffer.objects.create(unit=tree["town_b"], category=cats["noise"])
    names = lambda unit: {s["service_name"] for s in as_list(client(world, unit=unit).get("services", fmt))}  # noqa: E731
    assert names("town_b") == {"测试噪声"}
    assert names("village_b") == {"测试噪声"}  # the nearest unit with offers decides
    assert len(names("town_a")) > 3  # none on its path: the whole taxonomy


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_is_required_on_a_many_unit_server_and_must_exist(world: Any, fmt: str) -> None:
    anonymous = Open311Client()
    descriptions = assert_errors(anonymous.get("services", fmt), 400, fmt)
    assert "jurisdiction_id" in descriptions[0]
    assert_errors(anonymous.get("services", fmt, jurisdiction_id="999999999999"), 404, fmt)
    assert_errors(anonymous.get("requests", fmt), 400, fmt)
    with override_settings(MINQING_OPEN311_JURISDICTION=world["tree"]["county"].code):
        assert anonymous.get("services", fmt).status == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_has_attributes_of_every_type(world: Any, fmt: str) -> None:
    code = str(world["cats"]["pothole"].pk)
    answer = client(world, key=False).get(f"services/{code}", fmt)
    assert answer.status == 200
    doc = answer.data
    assert set(doc) == {"service_code", "attributes"} and doc["service_code"] == code
    attributes = items(doc["attributes"])
    assert {a["datatype"] for a in attributes} == DATATYPES
    for a in attributes:
        assert set(a) - {"values"} == ATTRIBUTE_FIELDS
        assert ("values" in a) == (a["datatype"] in ("singlevaluelist", "multivaluelist"))
    hazards = next(a for a in attributes if a["code"] == "hazards")
    values = items(hazards["values"])
    assert [v["key"] for v in values] == ["water", "traffic", "night"] and values[0] == {
        "key": "water",
        "name": "积水",
    }
    depth = next(a for a in attributes if a["code"] == "depth")
    if fmt == "json":
        assert depth["required"] is True and depth["variable"] is True and depth["order"] == 2
    else:
        assert answer.root == "service_definition"
        assert (depth["required"], depth["variable"], depth["order"]) == ("true", "true", "2")
    assert_errors(client(world, key=False).get("services/424242", fmt), 404, fmt)


# --- POST requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_request_becomes_online_feedback_with_its_reporter_protected(world: Any, fmt: str) -> None:
    item = post_request(world, fmt)
    assert set(item) == {"service_request_id", "token", "service_notice", "account_id"}
    problem = Problem.objects.get(number=item["service_request_id"])
    assert problem.channel == Channel.ONLINE and problem.state == State.REGISTERED
    assert problem.category == world["cats"]["pothole"] and problem.unit == world["tree"]["county"]
    assert "道路塌陷" in problem.title and "积水、夜间无照明" in problem.description
    feedback = Feedback.objects.get(problem=problem)
    identity = FeedbackIdentity.objects.get(feedback=feedback)
    assert (identity.name, identity.phone) == ("张三", "13800000001")
    kept = ServiceRequest.objects.get(token=item["token"])
    assert kept.email == "zhang@example.com" and kept.phone == "" and kept.first_name == ""
    assert kept.attributes == {
        "depth": ["12.5"],
        "size": ["large"],
        "hazards": ["water", "night"],
        "seen_at": ["2026-12-01T08:30:00+08:00"],
    }
    # the reporter is never in a GET answer, with or without a key
    for key in (False, True):
        raw = client(world).get(f"requests/{problem.number}", fmt, key=key).raw.decode()
        assert "张三" not in raw and "13800000001" not in raw and "zhang@example.com" not in raw


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_declared_channel_and_a_unit_code_as_address_id(world: Any, fmt: str) -> None:
    village = world["tree"]["village_b"]
    item = post_request(
        world, fmt, channel="call", address_id=village.code, lat="", long="", address_string=""
    )
    problem = Problem.objects.get(number=item["service_request_id"])
    assert problem.channel == Channel.CALL and problem.unit == village


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_faults_answer_error_lists(world: Any, fmt: str) -> None:
    c = client(world)
    anonymous = client(world, key=False)
    assert_errors(anonymous.post("requests", fmt, good_request(world)), 403, fmt)
    assert_errors(c.post("requests", fmt, good_request(world, api_key="mq_nope_x")), 403, fmt)
    everything_wrong = good_request(world, lat="", long="", address_string="", **{"attribute[size]": "huge"})
    everything_wrong.pop("attribute[depth]")
    errors = assert_errors(c.post("requests", fmt, everything_wrong), 400, fmt)
    assert len(errors) == 3  # location, the missing required depth, the unknown size: all at once
    assert_errors(c.post("requests", fmt, good_request(world, service_code="9999")), 400, fmt)
    assert_errors(c.post("requests", fmt, good_request(world, **{"attribute[depth]": "deep"})), 400, fmt)
    assert_errors(
        c.post("requests", fmt, good_request(world, **{"attribute[size]": ["small", "large"]})), 400, fmt
    )
    assert_errors(
        c.post("requests", fmt, good_request(world, **{"attribute[seen_at]": "yesterday"})), 400, fmt
    )
    assert_errors(c.post("requests", fmt, good_request(world, **{"attribute[colour]": "red"})), 400, fmt)
    assert_errors(c.post("requests", fmt, good_request(world, channel="pigeon")), 400, fmt)
    outside_code = world["tree"]["province"].code  # address_id: a unit code outside the jurisdiction
    assert_errors(c.post("requests", fmt, good_request(world, address_id=outside_code)), 400, fmt)
    outside = Open311Client(world["key"], world["tree"]["province"].code)
    assert_errors(outside.post("requests", fmt, good_request(world)), 403, fmt)  # intake on county only
    assert Problem.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_without_the_open311_scope_or_revoked_is_refused(world: Any, fmt: str) -> None:
    key = make_app(world["tree"]["county"], scopes=("read",))
    assert_errors(
        Open311Client(key, world["tree"]["county"].code).post("requests", fmt, good_request(world)), 403, fmt
    )
    key_revoke(actor=SYSTEM, key=ApiKey.objects.get(prefix=world["key"].split("_")[1]))
    assert_errors(client(world).post("requests", fmt, good_request(world)), 403, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_multivalue_attributes_in_the_bracket_form_too(world: Any, fmt: str) -> None:
    data = good_request(world)
    data["attribute[hazards][]"] = data.pop("attribute[hazards]")
    answer = client(world).post("requests", fmt, data)
    assert answer.status == 200
    assert ServiceRequest.objects.get().attributes["hazards"] == ["water", "night"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_idempotency_key_posts_once(world: Any, fmt: str) -> None:
    c = client(world)
    first = c.post("requests", fmt, good_request(world), headers={"Idempotency-Key": "k-1"})
    again = c.post("requests", fmt, good_request(world), headers={"Idempotency-Key": "k-1"})
    assert first.raw == again.raw and Problem.objects.count() == 1


# --- the token flow ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_queued_request_answers_a_token_that_later_names_the_request(
    world: Any, fmt: str, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        override_settings(MINQING_OPEN311_QUEUE=True),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        answer = client(world).post("requests", fmt, good_request(world))
        assert answer.status == 200
        [item] = as_list(answer)
        assert set(item) == {"token", "service_notice", "account_id"}
        pending = as_list(client(world).get(f"tokens/{item['token']}", fmt))
        assert pending == [{"service_request_id": None, "token": item["token"]}]
        assert Problem.objects.count() == 0
    assert callbacks  # the job starts after the commit (huey runs it at once in tests)
    [done] = as_list(client(world).get(f"tokens/{item['token']}", fmt))
    assert done["token"] == item["token"]
    assert done["service_request_id"] == Problem.objects.get().number
    assert_errors(client(world).get("tokens/nope", fmt), 404, fmt)


# --- GET requests ------------------------------------------------------------------------------


def _check_request_doc(row: dict[str, Any], fmt: str) -> None:
    assert set(row) - {"extended_attributes"} == REQUEST_FIELDS
    assert row["status"] in ("open", "closed")
    for name in ("requested_datetime", "updated_datetime"):
        assert W3C.match(row[name]), row[name]
    if row["expected_datetime"]:
        assert W3C.match(row["expected_datetime"])
    if fmt == "json" and row["lat"] is not None:
        assert isinstance(row["lat"], float) and isinstance(row["long"], float)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_with_the_specs_fields_and_filters(world: Any, fmt: str) -> None:
    first = post_request(world)["service_request_id"]
    second = post_request(world, plain=True, service_code=str(world["cats"]["noise"].pk))[
        "service_request_id"
    ]
    c = client(world)
    rows = as_list(c.get("requests", fmt, key=True))
    assert [r["service_request_id"] for r in rows] == [second, first]  # newest first
    for r in rows:
        _check_request_doc(r, fmt)
    one = next(r for r in rows if r["service_request_id"] == first)
    assert one["service_name"] == "道路破损" and one["address"] == "红旗村村口"
    assert one["media_url"] == "https://img.example.com/a.jpg"
    assert float(one["lat"]) == 41.0345 and one["status"] == "open"
    assert "已有车辆受损" in one["description"]  # a key holder reads the description
    # filters
    by_code = as_list(c.get("requests", fmt, key=True, service_code=str(world["cats"]["noise"].pk)))
    assert [r["service_request_id"] for r in by_code] == [second]
    by_id = as_list(
        c.get("requests", fmt, key=True, service_request_id=f"{first},{second}", service_code="123456")
    )  # service_request_id overrides the rest
    assert {r["service_request_id"] for r in by_id} == {first, second}
    assert as_list(c.get("requests", fmt, key=True, status="closed")) == []
    assert len(as_list(c.get("requests", fmt, key=True, status="open,closed"))) == 2
    past = as_list(
        c.get("requests", fmt, key=True, start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z")
    )
    assert past == []
    assert_errors(c.get("requests", fmt, status="pending"), 400, fmt)
    assert_errors(c.get("requests", fmt, start_date="yesterday"), 400, fmt)
    # page / page_size
    page1 = as_list(c.get("requests", fmt, key=True, page_size="1"))
    page2 = as_list(c.get("requests", fmt, key=True, page_size="1", page="2"))
    assert [r["service_request_id"] for r in page1 + page2] == [second, first]
    assert_errors(c.get("requests", fmt, page="0"), 400, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_default_window_is_the_last_90_days(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    Problem.objects.filter(number=number).update(registered_at=timezone.now() - dt.timedelta(days=91))
    c = client(world)
    assert as_list(c.get("requests", fmt, key=True)) == []
    old = as_list(
        c.get("requests", fmt, key=True, start_date=(timezone.now() - dt.timedelta(days=100)).isoformat())
    )
    assert [r["service_request_id"] for r in old] == [number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_closed_and_extensions(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    p = Problem.objects.get(number=number)
    p = problem_transition(
        actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=world["tree"]["town_b"]
    )
    c = client(world)
    [row] = as_list(c.get(f"requests/{number}", fmt, key=True, extensions="true"))
    _check_request_doc(row, fmt)
    ext = row["extended_attributes"]
    assert ext["responsible_unit"] == world["tree"]["town_b"].code and ext["channel"] == "online"
    assert p.due_date is not None and ext["deadline"] == p.due_date.isoformat() and ext["campaign"] is None
    assert row["agency_responsible"] == world["tree"]["town_b"].name
    problem_transition(
        actor=SYSTEM, problem=p, action=Action.RESOLVE, resolution_kind="rectified", note="已修复路面"
    )
    [row] = as_list(c.get(f"requests/{number}", fmt, key=True))
    assert "extended_attributes" not in row
    assert row["status"] == "closed" and row["status_notes"] == "已修复路面"
    assert [r["service_request_id"] for r in as_list(c.get("requests", fmt, key=True, status="closed"))] == [
        number
    ]
    assert_errors(c.get("requests/WT0000.x", fmt), 404, fmt)
    assert_errors(c.get("requests/NOPE", fmt), 404, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_key_only_published_problems_and_their_titles(world: Any, fmt: str) -> None:
    shown = post_request(world)["service_request_id"]
    hidden = post_request(world)["service_request_id"]
    # a posted request is a resident's report: public once checked (issue 14), the other kept private
    problem_moderate(actor=SYSTEM, problem=Problem.objects.get(number=shown), decision="approve")
    problem_moderate(actor=SYSTEM, problem=Problem.objects.get(number=hidden), decision="private")
    anonymous = client(world, key=False)
    rows = as_list(anonymous.get("requests", fmt))
    assert [r["service_request_id"] for r in rows] == [shown]
    assert rows[0]["description"] == Problem.objects.get(number=shown).title
    assert_errors(anonymous.get(f"requests/{hidden}", fmt), 404, fmt)
    # a key of another subtree does not see it either (404, never its data)
    other = Open311Client(make_app(world["tree"]["town_a"]), world["tree"]["county"].code)
    assert as_list(other.get("requests", fmt, key=True)) == []
    assert_errors(other.get(f"requests/{hidden}", fmt, key=True), 404, fmt)


# --- servicerequestupdates ---------------------------------------------------------------------


def _update(world: Any, number: str, update_id: str, status: str = "OPEN", **extra: Any) -> dict[str, Any]:
    return {
        "service_request_id": number,
        "update_id": update_id,
        "status": status,
        "updated_datetime": "2026-12-06T10:00:00+08:00",
        "description": "已派人到现场查看",
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_update_becomes_a_public_note_once(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    c = client(world)
    answer = c.post(
        "servicerequestupdates",
        fmt,
        _update(world, number, "ext-1", media_url="https://img.example.com/b.jpg"),
    )
    assert answer.status == 200, answer.raw
    [item] = as_list(answer)
    assert set(item) == {"update_id"}
    event = ProblemEvent.objects.get(pk=int(item["update_id"]))
    assert event.action == Action.NOTE and event.public and event.note == "已派人到现场查看"
    repeat = c.post("servicerequestupdates", fmt, _update(world, number, "ext-1"))
    assert_errors(repeat, 409, fmt)
    assert ProblemEvent.objects.filter(action=Action.NOTE).count() == 1
    assert ExternalUpdate.objects.count() == 1
    # it is listed among the updates, with its media link
    rows = as_list(c.get("servicerequestupdates", fmt, key=True))
    note = next(r for r in rows if r["update_id"] == item["update_id"])
    assert set(note) == UPDATE_FIELDS and note["status"] == "OPEN"
    assert note["media_url"] == "https://img.example.com/b.jpg" and W3C.match(note["updated_datetime"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_update_resolves_a_problem_being_handled(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    # checked for the public list, so that the anonymous read of its updates below sees it
    p = problem_moderate(actor=SYSTEM, problem=Problem.objects.get(number=number), decision="approve")
    problem_transition(
        actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=world["tree"]["town_b"]
    )
    handler = Open311Client(
        make_app(world["tree"]["town_b"], roles=(Role.UNIT_STAFF,)), world["tree"]["county"].code
    )
    answer = handler.post(
        "servicerequestupdates", fmt, _update(world, number, "done-1", "CLOSED", description="路面已修复")
    )
    assert answer.status == 200, answer.raw
    p.refresh_from_db()
    assert p.state == State.RESOLVED and p.measures == "路面已修复" and p.resolution_kind == "rectified"
    rows = as_list(client(world, key=False).get("servicerequestupdates", fmt))
    assert [r["status"] for r in rows if r["service_request_id"] == number][-1] == "CLOSED"
    # an intake-only application may note but not resolve; the county's key resolves nothing
    number2 = post_request(world)["service_request_id"]
    problem_transition(
        actor=SYSTEM,
        problem=Problem.objects.get(number=number2),
        action=Action.ASSIGN,
        responsible_unit=world["tree"]["town_b"],
    )
    refused = client(world).post("servicerequestupdates", fmt, _update(world, number2, "x-1", "CLOSED"))
    assert_errors(refused, 403, fmt)
    assert Problem.objects.get(number=number2).state == State.ASSIGNED
    assert not ExternalUpdate.objects.filter(update_id="x-1").exists()  # refused: not kept either


@pytest.mark.parametrize("fmt", FORMATS)
def test_update_faults_answer_error_lists(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    c = client(world)
    assert_errors(
        client(world, key=False).post("servicerequestupdates", fmt, _update(world, number, "a")), 403, fmt
    )
    errors = assert_errors(c.post("servicerequestupdates", fmt, {"service_request_id": number}), 400, fmt)
    assert len(errors) == 4
    assert_errors(c.post("servicerequestupdates", fmt, _update(world, number, "b", "PENDING")), 400, fmt)
    assert_errors(c.post("servicerequestupdates", fmt, _update(world, "WT-NONE", "c")), 404, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_updates_lists_state_changes_and_public_notes_since_a_time(world: Any, fmt: str) -> None:
    number = post_request(world)["service_request_id"]
    p = Problem.objects.get(number=number)
    problem_transition(actor=SYSTEM, problem=p, action=Action.NOTE, note="内部备注", public=False)
    problem_transition(
        actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=world["tree"]["town_b"]
    )
    rows = as_list(client(world).get("servicerequestupdates", fmt, key=True))
    assert [r["description"] for r in rows] == ["登记", "交办"]  # the private note is not listed
    for r in rows:
        assert set(r) == UPDATE_FIELDS and r["status"] in ("OPEN", "CLOSED")
    later = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
    assert as_list(client(world).get("servicerequestupdates", fmt, key=True, start_date=later)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_format_and_method(world: Any, fmt: str) -> None:
    c = client(world)
    response = c.client.get("/open311/v2/services.html", {"jurisdiction_id": world["tree"]["county"].code})
    assert response.status_code == 404 and response.content.startswith(b"<?xml")
    answer = c._read(c.client.delete(f"/open311/v2/services.{fmt}"), fmt)
    assert_errors(answer, 405, fmt)
