"""Bulletin templates belong to a unit (issue 16, finding 9): a bulletin uses the nearest template
up its unit's ancestry, a unit's office edits only its own unit's templates ("copy to my unit",
edit, go back to the inherited one), and only the system administrator changes the default."""

import datetime as dt
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from minqing.campaigns.models import CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.core.errors import DomainError, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty, Role, UnitKind
from minqing.orgs.models import AdminDuty
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import UserFactory, grant, make_units
from minqing.reports.bulletins.services import bulletin_generate, template_for
from minqing.reports.bulletins.template_writes import template_copy, template_reset, template_save
from minqing.reports.models import BulletinTemplate
from minqing.reports.tests.test_bulletin_world import AS_OF, BODY, isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db

PREF_A, PREF_B, COUNTY_B = "150900000000", "152200000000", "152201000000"
THEMED = CampaignKind.THEMED


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def bw():
    """The bulletin world, plus prefecture B (兴安盟 > 乌兰浩特市) with its own campaign, and the
    offices of both prefectures."""
    bw = make_bulletin_world()
    b = make_units(
        [
            UnitRow(PREF_B, "兴安盟", UnitKind.PREFECTURE, "150000000000", division_code=PREF_B),
            UnitRow(COUNTY_B, "乌兰浩特市", UnitKind.COUNTY, PREF_B, division_code=COUNTY_B),
        ]
    )
    bw.u["pref_b"], bw.u["county_b"] = b[PREF_B], b[COUNTY_B]
    for name, unit in (("pref_a_office", "prefecture"), ("pref_b_office", "pref_b")):
        bw.users[name] = UserFactory(username=name)
        grant(bw.users[name], Role.OFFICE, bw.u[unit])
    bw.campaign_b = campaign_create(  # type: ignore[attr-defined]
        actor=SYSTEM,
        name="兴安盟主题教育",
        scope=bw.u["pref_b"],
        start_date=dt.date(2019, 9, 1),
        end_date=dt.date(2020, 1, 31),
        kind=THEMED,
    )
    return bw


def user(name: str, **kw: bool) -> User:
    return cast(User, UserFactory(username=name, **kw))


def text(bw, unit_key, campaign=None):
    doc = bulletin_generate(actor=SYSTEM, unit=bw.u[unit_key], as_of=AS_OF, campaign=campaign or bw.campaign)
    return doc.paragraphs


def edit_url(unit, kind=THEMED):
    return reverse("reports:template_edit", kwargs={"code": unit.code, "kind": kind})


def action_url(name, unit, kind=THEMED):
    return reverse(f"reports:template_{name}", kwargs={"code": unit.code, "kind": kind})


def rows():
    return sorted(BulletinTemplate.objects.values_list("unit_id", "kind", "title", "body"), key=str)


# --- the regression: one prefecture's office and another's bulletin text ---------------------


def test_office_of_one_prefecture_cannot_change_another_prefectures_template(client, bw):
    """Finding 9: the office of prefecture A rewrote prefecture B's bulletin text."""
    b_before = text(bw, "pref_b", bw.campaign_b)
    client.force_login(bw.users["pref_a_office"])
    data: dict[str, Any] = {"title": "{unit}被改写", "body": "甲盟改写的乙盟简报{test.sessions}"}
    # B's own template, B's copy and reset: out of A's scope, answered as missing, nothing written
    before = rows()
    assert client.get(edit_url(bw.u["pref_b"])).status_code == 404
    assert client.post(edit_url(bw.u["pref_b"]), data).status_code == 404
    assert client.post(action_url("copy", bw.u["pref_b"])).status_code == 404
    assert client.post(action_url("reset", bw.u["pref_b"])).status_code == 404
    # the shipped default every unit inherits: the system administrator's only
    default_url = reverse("reports:template_default_edit", kwargs={"kind": THEMED})
    assert client.post(default_url, data).status_code == 403
    assert rows() == before
    with pytest.raises(PermissionDeniedError):
        template_save(actor=bw.users["pref_a_office"], unit=bw.u["pref_b"], kind=THEMED, **data)
    with pytest.raises(PermissionDeniedError):
        template_save(actor=bw.users["pref_a_office"], unit=None, kind=THEMED, **data)
    # what A's office may do, edit its own unit's template, leaves B's bulletin as it was
    assert client.post(edit_url(bw.u["prefecture"]), data).status_code == 302
    assert text(bw, "county")[0] == "甲盟改写的乙盟简报2"
    assert text(bw, "pref_b", bw.campaign_b) == b_before
    # and B's own copy stays B's: A cannot reach it either
    template_copy(actor=bw.users["pref_b_office"], unit=bw.u["pref_b"], kind=THEMED)
    assert client.post(edit_url(bw.u["pref_b"]), data).status_code == 404
    assert text(bw, "pref_b", bw.campaign_b) == b_before


# --- the nearest template up the ancestry ------------------------------------------------------


def test_a_bulletin_uses_the_nearest_template_up_its_units_ancestry(bw):
    default = template_for(THEMED, bw.u["town_a"])
    assert default.unit is None and default.body == BODY
    template_save(
        actor=SYSTEM, unit=bw.u["prefecture"], kind=THEMED, title="{unit}", body="市{test.sessions}"
    )
    assert text(bw, "town_a") == ["市1"] and text(bw, "county") == ["市2"]  # inherited from the prefecture
    template_save(actor=SYSTEM, unit=bw.u["county"], kind=THEMED, title="{unit}", body="区{test.sessions}")
    assert text(bw, "town_a") == ["区1"] and text(bw, "county") == ["区2"]  # the nearest wins
    assert text(bw, "prefecture") == ["市2"]  # a unit never uses a template below it
    assert text(bw, "county_b", bw.campaign_b)[0].startswith("截至")  # another branch: the default
    assert template_reset(actor=SYSTEM, unit=bw.u["county"], kind=THEMED)
    assert text(bw, "town_a") == ["市1"]


def test_copy_to_my_unit_takes_the_inherited_text_word_for_word(bw):
    office = bw.users["county_office"]
    template_save(
        actor=SYSTEM, unit=bw.u["prefecture"], kind=THEMED, title="{unit}市", body="市{test.sessions}"
    )
    t = template_copy(actor=office, unit=bw.u["county"], kind=THEMED)
    assert (t.unit, t.title, t.body, t.updated_by) == (
        bw.u["county"],
        "{unit}市",
        "市{test.sessions}",
        office,
    )
    assert template_copy(actor=office, unit=bw.u["county"], kind=THEMED).pk == t.pk  # once
    template_save(actor=office, unit=bw.u["county"], kind=THEMED, title="{unit}", body="区{test.sessions}")
    assert template_for(THEMED, bw.u["prefecture"]).body == "市{test.sessions}"  # the source unchanged
    assert AuditEvent.objects.filter(object_type="reports.bulletintemplate").count() == 3


# --- who may edit which template ---------------------------------------------------------------


def test_only_the_units_own_office_edits_its_templates(bw):
    u, users = bw.u, bw.users
    root = user("root", is_superuser=True, is_staff=True)
    data: dict[str, Any] = {"kind": THEMED, "title": "{unit}", "body": "{test.sessions}"}
    refused = [
        ("county_office", "town_a"),  # an office above the unit
        ("a_office", "county"),  # an office below it
        ("a_office", "town_b"),  # a sibling's office
        ("a_staff", "town_a"),  # another role on the unit
        ("viewer", "county"),
    ]
    for name, unit in refused:
        with pytest.raises(PermissionDeniedError):
            template_save(actor=users[name], unit=u[unit], **data)
    with pytest.raises(PermissionDeniedError):
        template_save(actor=root, unit=u["county"], **data)  # a superuser flag is no office
    assert not BulletinTemplate.objects.exclude(unit=None).exists()
    assert template_save(actor=users["a_office"], unit=u["town_a"], **data).unit == u["town_a"]
    assert template_save(actor=users["county_office"], unit=u["county"], **data).unit == u["county"]


def test_only_the_system_administrator_changes_the_default(bw):
    data: dict[str, Any] = {"kind": THEMED, "title": "{unit}", "body": "默认{test.sessions}"}
    root = user("root", is_superuser=True, is_staff=True)
    for actor in (bw.users["county_office"], root):
        with pytest.raises(PermissionDeniedError):
            template_save(actor=actor, unit=None, **data)
    sysadmin = user("sysadmin")
    AdminDuty.objects.create(user=sysadmin, duty=Duty.SYSTEM)
    t = template_save(actor=sysadmin, unit=None, **data)
    assert t.unit is None and text(bw, "county") == ["默认2"]
    assert BulletinTemplate.objects.filter(unit=None, kind=THEMED).count() == 1


def test_template_save_validates(bw):
    office = bw.users["county_office"]
    with pytest.raises(DomainError) as e:
        template_save(
            actor=office, unit=bw.u["county"], kind="special", title="{unit}", body="活动{test.nope}次"
        )
    assert e.value.params["name"] == "test.nope"
    with pytest.raises(DomainError):
        template_save(actor=office, unit=bw.u["county"], kind="nope", title="{unit}", body="{test.sessions}")
    assert not BulletinTemplate.objects.exclude(unit=None).exists()


# --- the pages ---------------------------------------------------------------------------------


def test_templates_page_shows_where_each_template_comes_from(client, bw):
    template_save(actor=SYSTEM, unit=bw.u["county"], kind=THEMED, title="{unit}区", body="{test.sessions}")
    client.force_login(bw.users["a_office"])
    r = client.get(reverse("reports:templates"))  # the user's own office unit by default
    assert r.status_code == 200 and r.context["unit"] == bw.u["town_a"] and r.context["can_edit"]
    html = r.content.decode()
    assert 'data-kind="themed" data-source="inherited"' in html and "继承自集宁区" in html
    assert 'data-kind="special" data-source="default"' in html
    assert action_url("copy", bw.u["town_a"]) in html
    assert reverse("reports:template_default_edit", kwargs={"kind": THEMED}) not in html
    client.force_login(bw.users["viewer"])
    r = client.get(reverse("reports:templates"), {"unit": bw.u["county"].code})
    assert r.status_code == 200 and not r.context["can_edit"]
    assert 'data-kind="themed" data-source="own"' in r.content.decode()
    assert edit_url(bw.u["county"]) not in r.content.decode()
    # out of scope: read as unknown, an inline error, and the page stays on the user's own unit
    r = client.get(reverse("reports:templates"), {"unit": PREF_B})
    assert r.status_code == 200 and r.context["unit"] != bw.u["pref_b"]
    assert bw.u["pref_b"].name not in r.content.decode()


def test_copy_edit_and_reset_through_the_pages(client, bw):
    client.force_login(bw.users["a_office"])
    r = client.get(edit_url(bw.u["town_a"]))
    assert r.status_code == 200 and 'id="inherited"' in r.content.decode()
    r = client.post(action_url("copy", bw.u["town_a"]))
    assert r.status_code == 302 and r["Location"] == edit_url(bw.u["town_a"])
    own = BulletinTemplate.objects.get(unit=bw.u["town_a"], kind=THEMED)
    assert own.body == BODY
    r = client.post(edit_url(bw.u["town_a"]), {"title": "{unit}简报", "body": "活动{test.sessions}次"})
    assert r.status_code == 302
    assert text(bw, "town_a") == ["活动1次"] and text(bw, "county")[0].startswith("截至")
    r = client.post(edit_url(bw.u["town_a"]), {"title": "{unit}", "body": "{study.no_such_metric}人"})
    assert r.status_code == 200 and "占位符“{study.no_such_metric}”不是已登记的统计指标" in r.content.decode()
    assert client.post(action_url("reset", bw.u["town_a"])).status_code == 302
    assert not BulletinTemplate.objects.filter(unit=bw.u["town_a"]).exists()
    assert client.get(edit_url(bw.u["town_a"], "nope")).status_code == 404


def test_pages_refuse_other_units_and_change_nothing(client, bw):
    before = rows()
    data: dict[str, Any] = {"title": "{unit}", "body": "{test.sessions}"}
    cases = [("county_office", "town_a", 403), ("a_staff", "town_a", 403), ("a_office", "county", 404)]
    for name, unit, status in cases:
        client.force_login(bw.users[name])
        assert client.get(edit_url(bw.u[unit])).status_code == status
        assert client.post(edit_url(bw.u[unit]), data).status_code == status
        assert client.post(action_url("copy", bw.u[unit])).status_code == status
        assert client.post(action_url("reset", bw.u[unit])).status_code == status
    assert rows() == before
