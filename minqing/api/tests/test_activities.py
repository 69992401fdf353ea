"""Activities, attendance and check-in over the API (the pages' services and rules)."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, Attendance
from minqing.activities.services.activities import activity_create
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import PersonFactory, PersonIdentityFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2019, 10, 10, 9))


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    zhang = PersonFactory(unit=tree["village_a"], number="PA001", name="张三")
    PersonIdentityFactory(person=zhang, phone="13812345678")
    twin = PersonFactory(unit=tree["grid_a"], number="PA002", name="张三")
    PersonIdentityFactory(person=twin, phone="13900005678")
    li = PersonFactory(unit=tree["town_a"], number="PA003", name="李四")
    PersonIdentityFactory(person=li, phone="13700001111")
    kind = ActivityType.objects.get(code="reading_class")
    a = activity_create(actor=SYSTEM, type=kind, organiser=tree["town_a"], title="读书班", start=START)
    b = activity_create(actor=SYSTEM, type=kind, organiser=tree["town_b"], title="乙镇读书班", start=START)
    return {"a": a, "b": b, "zhang": zhang, "li": li}


def staff(app_client: Any, unit: str = "town_a", role: str = Role.UNIT_STAFF, **kw: Any) -> Any:
    return app_client(unit=unit, roles=(role,), **kw)


def test_list_get_and_filters(app_client: Any, tree: Any, world: Any) -> None:
    api = staff(app_client)
    rows = api.get("/api/v1/activities/").json()["items"]
    assert [r["number"] for r in rows] == [world["a"].number]
    assert api.get("/api/v1/activities/", q="乙").json()["items"] == []
    assert len(api.get("/api/v1/activities/", start="2019-10-10", end="2019-10-10").json()["items"]) == 1
    assert api.get("/api/v1/activities/", start="2019-10-11").json()["items"] == []
    one = api.get(f"/api/v1/activities/{world['a'].number}").json()
    assert one["organiser_code"] == tree["town_a"].code and one["type"] == "reading_class"


def test_an_activity_elsewhere_is_404(app_client: Any, world: Any) -> None:
    api = staff(app_client)
    number = world["b"].number
    assert api.get(f"/api/v1/activities/{number}").status_code == 404
    assert api.get("/api/v1/activities/", unit=world["b"].organiser.code).status_code == 404
    assert api.get(f"/api/v1/activities/{number}/attendance").status_code == 404
    assert api.post(f"/api/v1/activities/{number}/check-in", {"number": "PA001"}).status_code == 404


def test_create_as_the_page_allows(app_client: Any, tree: Any, world: Any) -> None:
    api = staff(app_client)
    body = {
        "type": "reading_class",
        "organiser": tree["village_a"].code,
        "title": "夜校",
        "start": "2019-11-01T19:00:00+08:00",
        "lecturers": ["PA003"],
    }
    made = api.post("/api/v1/activities/", body)
    assert made.status_code == 201, made.content
    assert made.json()["lecturers"] == ["PA003"]
    assert Activity.objects.get(number=made.json()["number"]).organiser == tree["village_a"]
    outside = api.post("/api/v1/activities/", {**body, "organiser": tree["town_b"].code})
    assert outside.status_code == 404 and outside.json()["field"] == "organiser"
    blank = api.post("/api/v1/activities/", {**body, "title": "  "})
    assert blank.status_code == 400 and blank.json()["field"] == "title"
    unknown = api.post("/api/v1/activities/", {**body, "lecturers": ["NOPE"]})
    assert unknown.status_code == 422 and unknown.json()["field"] == "lecturers"


def test_create_refused_by_role_or_scope(app_client: Any, tree: Any, world: Any) -> None:
    body = {
        "type": "reading_class",
        "organiser": tree["town_a"].code,
        "title": "x",
        "start": "2019-11-01T19:00",
    }
    viewer = staff(app_client, role=Role.VIEWER)
    assert viewer.post("/api/v1/activities/", body).status_code == 404  # no writer role there
    reader = staff(app_client, scopes=["read"])
    refused = reader.post("/api/v1/activities/", body)
    assert refused.status_code == 403 and refused.json()["code"] == "SCOPE_MISSING"
    assert Activity.objects.count() == 2


def test_check_in_by_number_then_again(app_client: Any, world: Any) -> None:
    api = staff(app_client)
    url = f"/api/v1/activities/{world['a'].number}/check-in"
    first = api.post(url, {"number": "PA003"})
    assert first.status_code == 200 and first.json()["created"] is True
    assert first.json()["name"] == "李*"
    again = api.post(url, {"number": "PA003"})
    assert again.status_code == 200 and again.json()["created"] is False
    roster = api.get(f"/api/v1/activities/{world['a'].number}/attendance").json()["items"]
    assert [r["person_number"] for r in roster] == ["PA003"]
    wrong = api.post(url, {"number": "PA003", "name": "王五"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "CHECKIN_NAME_MISMATCH"


def test_check_in_by_name_and_phone_tail_as_the_qr_page(app_client: Any, world: Any) -> None:
    api = staff(app_client)
    url = f"/api/v1/activities/{world['a'].number}/check-in"
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).count()
    ambiguous = api.post(url, {"name": "张三", "phone_tail": "5678"})
    assert ambiguous.status_code == 409 and ambiguous.json()["code"] == "CHECKIN_AMBIGUOUS"
    found = api.post(url, {"name": "张 三", "phone_tail": "12345678"})
    assert found.status_code == 200 and found.json()["person_number"] == "PA001"
    none = api.post(url, {"name": "张三", "phone_tail": "0000"})
    assert none.status_code == 404 and none.json()["code"] == "CHECKIN_NO_MATCH"
    short = api.post(url, {"name": "张三", "phone_tail": "78"})
    assert short.status_code == 422 and short.json()["field"] == "phone_tail"
    lookups = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).order_by("pk")[before:]
    assert len(lookups) == 3
    assert {e.actor_name for e in lookups} != {"手机签到"}  # the API's caller is named, not the phone page
    assert list(Attendance.objects.values_list("person__number", flat=True)) == ["PA001"]


def test_failed_phone_digits_count_against_the_pages_limit(
    app_client: Any, settings: Any, world: Any
) -> None:
    settings.MINQING_CHECKIN_FAILURE_LIMIT = 2
    api = staff(app_client)
    url = f"/api/v1/activities/{world['a'].number}/check-in"
    codes = [api.post(url, {"name": "李四", "phone_tail": f"{n:04d}"}).status_code for n in range(3)]
    assert codes == [404, 404, 429]
    assert api.post(url, {"name": "李四", "phone_tail": "1111"}).status_code == 429


def test_check_in_refused_without_role_or_scope(app_client: Any, world: Any) -> None:
    url = f"/api/v1/activities/{world['a'].number}/check-in"
    viewer = staff(app_client, role=Role.VIEWER)
    assert viewer.post(url, {"number": "PA003"}).status_code == 403
    reader = staff(app_client, scopes=["read"])
    assert reader.post(url, {"number": "PA003"}).json()["code"] == "SCOPE_MISSING"
    assert not Attendance.objects.exists()


def test_a_replayed_check_in_answers_the_same(app_client: Any, world: Any) -> None:
    api = staff(app_client)
    url = f"/api/v1/activities/{world['a'].number}/check-in"
    first = api.post(url, {"number": "PA003"}, headers={"Idempotency-Key": "k-1"})
    replay = api.post(url, {"number": "PA003"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json() and replay.json()["created"] is True
    assert Attendance.objects.count() == 1
