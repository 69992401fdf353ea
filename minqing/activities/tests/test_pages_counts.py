"""The counts page and the campaigns page: numbers, defaults, scope; the campaign_create service."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.activities.services.activities import attendance_check_in
from minqing.activities.tests.activity_pages import ActivityWorld, at, make_world, snapshot
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

COUNTS, CAMPAIGNS = "/activities/counts/", "/activities/campaigns/"
OCTOBER = {"start": "2019-10-01", "end": "2019-10-31"}


@pytest.fixture
def aw(db) -> ActivityWorld:
    return make_world()


def as_user(client, aw, name):
    client.force_login(aw.users[name])
    return client


def rows(response):
    return {
        r.type.code: (r.sessions, r.person_times, r.people, r.headcount_only)
        for r in response.context["rows"]
    }


def test_counts_page_numbers(client, aw):
    a1 = aw.activity(start=at(1, 0))  # the first moment of the period
    a2 = aw.activity("village_a", start=at(31, 23))  # the last day is included
    for key in ("zhang", "li"):
        attendance_check_in(actor=SYSTEM, activity=a1, person=aw.people[key])
    attendance_check_in(actor=SYSTEM, activity=a2, person=aw.people["zhang"])
    aw.activity(code="seminar", headcount=40)
    aw.activity(start=at(1, 9, month=11))  # after the period
    aw.activity("town_b")  # outside the subtree
    c = as_user(client, aw, "a_staff")
    r = c.get(COUNTS, {"unit": aw.u["town_a"].code, **OCTOBER})
    assert r.status_code == 200
    got = rows(r)
    assert got["reading_class"] == (2, 3, 2, 0)
    assert got["seminar"] == (1, 40, 0, 1)
    assert got["party_lecture"] == (0, 0, 0, 0)
    html = r.content.decode()
    assert "其中 1 个活动无签到名单" in html and "次/场" in html and "人次" in html
    # the village only
    assert rows(c.get(COUNTS, {"unit": aw.u["village_a"].code, **OCTOBER}))["reading_class"] == (1, 1, 1, 0)
    # the county office sees town B's too
    county = rows(as_user(client, aw, "county_office").get(COUNTS, {"unit": aw.u["county"].code, **OCTOBER}))
    assert county["reading_class"] == (3, 3, 2, 0)


def test_counts_page_campaign_filter(client, aw):
    campaign = campaign_create(
        actor=SYSTEM, name="主题教育", scope=aw.u["county"], start_date=dt.date(2019, 9, 1)
    )
    a = aw.activity(campaign=campaign)
    aw.activity()
    attendance_check_in(actor=SYSTEM, activity=a, person=aw.people["zhang"])
    c = as_user(client, aw, "a_staff")
    q = {"unit": aw.u["town_a"].code, **OCTOBER}
    assert rows(c.get(COUNTS, q))["reading_class"][:2] == (2, 1)
    assert rows(c.get(COUNTS, {**q, "campaign": campaign.pk}))["reading_class"][:2] == (1, 1)


def test_counts_page_defaults_to_the_first_scope_unit_and_the_last_12_months(client, aw):
    aw.activity(start=timezone.now())
    r = as_user(client, aw, "a_staff").get(COUNTS)
    today = timezone.localdate()
    assert r.context["unit"] == aw.u["town_a"]
    assert r.context["end"] == today and r.context["start"] > today - dt.timedelta(days=366)
    assert rows(r)["reading_class"][0] == 1


def test_counts_page_scope(client, aw):
    # a unit out of scope reads as a missing one: an inline error on the actor's own unit, no 404
    r = as_user(client, aw, "a_staff").get(COUNTS, {"unit": aw.u["town_b"].code})
    assert r.status_code == 200 and r.context["unit_error"] and r.context["unit"] == aw.u["town_a"]
    assert client.get(COUNTS, {"unit": "NOPE"}).context["unit_error"]
    assert as_user(client, aw, "norole").get(COUNTS).status_code == 404
    assert as_user(client, aw, "viewer").get(COUNTS, {"unit": aw.u["town_b"].code}).status_code == 200
    client.logout()
    assert client.get(COUNTS).status_code == 302


def test_counts_page_reversed_period(client, aw):
    r = as_user(client, aw, "a_staff").get(COUNTS, {"start": "2019-10-31", "end": "2019-10-01"})
    assert r.status_code == 200 and r.context["period_error"] and r.context["rows"] == []


# --- campaigns --------------------------------------------------------------------------------


def _campaign_form(aw, **extra):
    return {
        "name": "学习贯彻主题教育",
        "kind": "themed",
        "unit_code": aw.u["town_a"].code,
        "start_date": "2019-09-01",
        **extra,
    }


def test_campaign_created_by_the_office(client, aw):
    c = as_user(client, aw, "a_office")
    r = c.get(CAMPAIGNS)
    assert r.status_code == 200 and r.context["form"] is not None
    r = c.post(CAMPAIGNS, _campaign_form(aw, end_date="2019-12-31"))
    assert r.status_code == 302
    camp = Campaign.objects.get()
    assert (camp.scope, camp.path, camp.kind, camp.end_date) == (
        aw.u["town_a"],
        aw.u["town_a"].path,
        CampaignKind.THEMED,
        dt.date(2019, 12, 31),
    )
    assert AuditEvent.objects.filter(object_type="campaigns.campaign", object_id=str(camp.pk)).exists()
    assert "学习贯彻主题教育" in c.get(CAMPAIGNS).content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"unit_code": "150902101000"},  # town B
        {"unit_code": "150902000000"},  # the county, above the office
        {"start_date": ""},
        {"end_date": "2019-08-01"},
        {"kind": "nope"},
    ],
)
def test_campaign_validation_creates_nothing(client, aw, bad):
    before = snapshot()
    r = as_user(client, aw, "a_office").post(CAMPAIGNS, _campaign_form(aw, **bad))
    assert r.status_code == 200 and r.context["form"].errors
    assert snapshot() == before


def test_campaign_duplicate_name(client, aw):
    campaign_create(
        actor=SYSTEM, name="学习贯彻主题教育", scope=aw.u["county"], start_date=dt.date(2019, 9, 1)
    )
    before = snapshot()
    r = as_user(client, aw, "a_office").post(CAMPAIGNS, _campaign_form(aw))
    assert r.status_code == 200 and "已有同名专题" in r.content.decode()
    assert snapshot() == before


def test_campaign_denied_without_office_role(client, aw):
    before = snapshot()
    c = as_user(client, aw, "a_staff")
    r = c.get(CAMPAIGNS)
    assert r.status_code == 200 and r.context["form"] is None
    assert c.post(CAMPAIGNS, _campaign_form(aw)).status_code == 403
    client.logout()
    assert client.post(CAMPAIGNS, _campaign_form(aw)).status_code == 302
    assert snapshot() == before


def test_campaigns_visible_from_above_and_below_only(client, aw):
    county = campaign_create(
        actor=SYSTEM, name="县专题", scope=aw.u["county"], start_date=dt.date(2019, 9, 1)
    )
    town_b = campaign_create(
        actor=SYSTEM, name="B镇专题", scope=aw.u["town_b"], start_date=dt.date(2019, 9, 1)
    )
    village = campaign_create(
        actor=SYSTEM, name="村专题", scope=aw.u["village_a"], start_date=dt.date(2019, 9, 1)
    )
    seen = set(as_user(client, aw, "a_staff").get(CAMPAIGNS).context["campaigns"])
    assert seen == {county, village} and town_b not in seen


def test_campaign_create_service_rules(aw):
    with pytest.raises(DomainError) as err:
        campaign_create(
            actor=aw.users["a_staff"], name="x", scope=aw.u["town_a"], start_date=dt.date(2019, 9, 1)
        )
    assert err.value.code is ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as err:
        campaign_create(
            actor=aw.users["a_office"],
            name="x",
            scope=aw.u["town_a"],
            start_date=dt.date(2019, 9, 1),
            end_date=dt.date(2019, 8, 1),
        )
    assert err.value.code is ErrorCode.BAD_DATE_RANGE
    assert not Campaign.objects.exists()
