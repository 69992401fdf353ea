"""Staff activity pages: list, create, detail, check-in from the list; allowed, denied, out of scope."""

import pytest
from django.urls import reverse

from minqing.activities.models import Activity, ActivityType, Attendance, CheckInMethod
from minqing.activities.services.activities import attendance_check_in
from minqing.activities.tests.activity_pages import ActivityWorld, at, make_world, snapshot
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

LIST, NEW = "/activities/", "/activities/new/"


@pytest.fixture
def aw(db) -> ActivityWorld:
    return make_world()


def as_user(client, aw, name):
    client.force_login(aw.users[name])
    return client


def _new_form(aw, **extra):
    data = {
        "type": str(ActivityType.objects.get(code="reading_class").pk),
        "unit_code": aw.u["town_a"].code,
        "title": "十月读书班",
        "start": "2019-10-08T09:00",
        "end": "2019-10-08T11:30",
        "place": "街道会议室",
        "lecturers": "PA001, PA002",
        "script_ref": "讲稿-2019-10",
    }
    data.update(extra)
    return data


def test_urls():
    assert reverse("activities:list") == LIST
    assert reverse("activities:new") == NEW
    assert reverse("activities:counts") == "/activities/counts/"
    assert reverse("activities:campaigns") == "/activities/campaigns/"
    assert reverse("activities:detail", args=["HD1"]) == "/activities/HD1/"
    assert reverse("activities:check_in", args=["HD1"]) == "/activities/HD1/check-in/"
    assert reverse("checkin:form") == "/a/"
    assert reverse("checkin:code", args=["ABC234"]) == "/a/ABC234/"


def test_anonymous_is_sent_to_login_and_changes_nothing(client, aw):
    a = aw.activity()
    before = snapshot()
    for url in (LIST, NEW, "/activities/counts/", "/activities/campaigns/", f"/activities/{a.number}/"):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url
    assert client.post(NEW, _new_form(aw)).status_code == 302
    person = aw.people["zhang"].pk
    assert client.post(f"/activities/{a.number}/check-in/", {"person": person}).status_code == 302
    assert snapshot() == before


def test_menu_is_live(client, aw):
    html = as_user(client, aw, "a_staff").get(LIST).content.decode()
    for url in (LIST, NEW, "/activities/counts/", "/activities/campaigns/"):
        assert f'href="{url}"' in html


def test_list_is_scoped_and_filtered(client, aw):
    mine = aw.activity(title="街道读书班")
    village = aw.activity("village_a", code="seminar", title="村研讨", start=at(20))
    other = aw.activity("town_b", title="镇读书班")
    attendance_check_in(actor=SYSTEM, activity=mine, person=aw.people["zhang"])
    c = as_user(client, aw, "a_staff")
    page = c.get(LIST).context["page_obj"]
    assert {a.pk for a in page} == {mine.pk, village.pk}
    assert next(a for a in page if a.pk == mine.pk).checked_in == 1

    def numbers(**q):
        return {a.number for a in c.get(LIST, q).context["page_obj"]}

    assert numbers(type="seminar") == {village.number}
    assert numbers(unit=aw.u["village_a"].code) == {village.number}
    assert numbers(start="2019-10-15") == {village.number}
    assert numbers(end="2019-10-10") == {mine.number}  # the end day is included
    assert numbers(q="村") == {village.number}
    r = c.get(LIST, {"unit": aw.u["town_b"].code})  # out of scope: an alert and nothing
    assert r.context["unit_error"] and not list(r.context["page_obj"])
    assert other.number not in c.get(LIST).content.decode()
    assert as_user(client, aw, "county_office").get(LIST).context["page_obj"].paginator.count == 3
    assert not as_user(client, aw, "norole").get(LIST).context["page_obj"].paginator.count


def test_list_pages_by_fifty(client, aw):
    for i in range(51):
        aw.activity(title=f"学习会{i}", start=at(1 + i % 28))
    r = as_user(client, aw, "a_staff").get(LIST)
    assert len(r.context["page_obj"]) == 50 and r.context["page_obj"].paginator.count == 51
    assert len(client.get(LIST, {"page": 2}).context["page_obj"]) == 1


def test_create_activity_through_the_form(client, aw):
    c = as_user(client, aw, "a_staff")
    r = c.get(NEW)
    assert r.status_code == 200 and r.context["form"].initial["unit_code"] == aw.u["town_a"].code
    assert "只在没有签到名单时填写" in r.content.decode()
    r = c.post(NEW, _new_form(aw))
    a = Activity.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/activities/{a.number}/"
    assert (a.organiser, a.path, a.title, a.place, a.headcount) == (
        aw.u["town_a"],
        aw.u["town_a"].path,
        "十月读书班",
        "街道会议室",
        None,
    )
    assert {p.number for p in a.lecturers.all()} == {"PA001", "PA002"}
    assert a.script_ref == "讲稿-2019-10" and len(a.short_code) == 6
    assert AuditEvent.objects.filter(object_type="activities.activity", object_id=str(a.pk)).exists()
    html = c.get(r["Location"]).content.decode()
    assert a.short_code in html and f"/a/{a.short_code}/" in html and "十月读书班" in html


def test_create_headcount_only_activity(client, aw):
    c = as_user(client, aw, "a_staff")
    c.post(NEW, _new_form(aw, headcount="45", lecturers=""))
    a = Activity.objects.get()
    assert a.headcount == 45
    html = c.get(f"/activities/{a.number}/").content.decode()
    assert "按参加人数登记" in html and 'id="check-in-form"' not in html


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"type": ""},
        {"start": ""},
        {"start": "不是时间"},
        {"end": "2019-10-07T09:00"},  # before the start
        {"unit_code": "NOPE"},
        {"unit_code": "150902101000"},  # town B: out of scope
        {"unit_code": "150902000000"},  # the county: above the user's unit
        {"lecturers": "PA001 NOBODY"},
        {"headcount": "-1"},
        {"campaign": "999"},
    ],
)
def test_create_validation_creates_nothing(client, aw, bad):
    before = snapshot()
    r = as_user(client, aw, "a_staff").post(NEW, _new_form(aw, **bad))
    assert r.status_code == 200 and r.context["form"].errors
    assert 'class="errorlist"' in r.content.decode()
    assert snapshot() == before


def test_create_denied_without_an_organiser_role(client, aw):
    before = snapshot()
    for name in ("viewer", "norole"):
        c = as_user(client, aw, name)
        assert c.get(NEW).status_code == 403
        assert c.post(NEW, _new_form(aw)).status_code == 403
    assert snapshot() == before


def test_detail_is_scoped(client, aw):
    a = aw.activity()
    assert as_user(client, aw, "a_staff").get(f"/activities/{a.number}/").status_code == 200
    assert as_user(client, aw, "county_office").get(f"/activities/{a.number}/").status_code == 200
    r = as_user(client, aw, "viewer").get(f"/activities/{a.number}/")
    assert r.status_code == 200 and not r.context["can_check_in"]
    assert as_user(client, aw, "b_staff").get(f"/activities/{a.number}/").status_code == 404
    assert as_user(client, aw, "a_staff").get("/activities/NOPE/").status_code == 404


def test_search_finds_people_of_the_organisers_subtree_only(client, aw):
    a = aw.activity()
    attendance_check_in(actor=SYSTEM, activity=a, person=aw.people["zhang"])
    r = as_user(client, aw, "a_staff").get(f"/activities/{a.number}/", {"q": "张"})
    found = {p.number: p.checked_in for p in r.context["results"]}
    assert found == {"PA001": True}  # 张六 of town B is not offered
    assert "已签到" in r.content.decode()
    r = client.get(f"/activities/{a.number}/", {"q": "PA00"})
    assert {p.number for p in r.context["results"]} == {"PA001", "PA002", "PA003"}
    # a village's activity offers only the village's people
    v = aw.activity("village_a")
    r = client.get(f"/activities/{v.number}/", {"q": "PA"})
    assert {p.number for p in r.context["results"]} == {"PA002", "PA003"}


def test_check_in_from_the_list_is_idempotent(client, aw):
    a = aw.activity()
    c = as_user(client, aw, "a_staff")
    url = f"/activities/{a.number}/check-in/"
    ids = [aw.people["zhang"].pk, aw.people["li"].pk]
    r = c.post(url, {"person": ids, "q": "PA"}, follow=True)
    assert "已签到 2 人" in r.content.decode()
    rows = Attendance.objects.filter(activity=a)
    assert {r.person.number for r in rows} == {"PA001", "PA002"}
    assert {r.method for r in rows} == {CheckInMethod.LIST}
    assert all(r.path == a.path and r.start == a.start and r.type_id == a.type_id for r in rows)
    r = c.post(url, {"person": [*ids, aw.people["wang"].pk]}, follow=True)
    assert "已签到 1 人;2 人此前已签到" in r.content.decode()
    assert Attendance.objects.filter(activity=a).count() == 3
    roster = c.get(f"/activities/{a.number}/").content.decode()
    assert "张三" in roster and "名单签到" in roster


def test_check_in_denied_cases_change_nothing(client, aw):
    a = aw.activity()
    url = f"/activities/{a.number}/check-in/"
    zhang = aw.people["zhang"].pk
    before = snapshot()
    assert as_user(client, aw, "b_staff").post(url, {"person": zhang}).status_code == 404
    assert as_user(client, aw, "viewer").post(url, {"person": zhang}).status_code == 403
    assert as_user(client, aw, "a_staff").get(url).status_code == 405
    # a person outside the organiser's subtree is ignored
    r = client.post(url, {"person": aw.people["zhao"].pk}, follow=True)
    assert "请先勾选要签到的人员" in r.content.decode()
    assert snapshot() == before


def test_check_in_on_a_headcount_activity_is_refused(client, aw):
    a = aw.activity(headcount=30)
    before = snapshot()
    r = as_user(client, aw, "a_staff").post(
        f"/activities/{a.number}/check-in/", {"person": aw.people["zhang"].pk}, follow=True
    )
    assert "该活动按参加人数登记,没有签到名单" in r.content.decode()
    assert snapshot() == before
