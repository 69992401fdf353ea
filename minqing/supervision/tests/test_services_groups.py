"""group_create / group_update: the office of the sending unit; validation; nothing half-written."""

from typing import Any

import pytest

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.supervision.enums import MemberRole
from minqing.supervision.models import GroupMember, GroupUnit
from minqing.supervision.services.groups import MemberSpec, group_create, group_update
from minqing.supervision.tests.helpers import snapshot

pytestmark = pytest.mark.django_db


def _create(w, actor, unit="county", units=("town_a",), **kw):
    return group_create(
        actor=actor,
        name=kw.pop("name", "第一指导组"),
        campaign=kw.pop("campaign", w.campaign),
        unit=w.u[unit],
        units=[w.u[k] for k in units],
        members=kw.pop("members", [MemberSpec(person=w.people["leader"], role=MemberRole.LEADER)]),
    )


def test_office_creates_a_group_with_members_and_units(w):
    g = group_create(
        actor=w.users["county_office"],
        name="  第一指导组 ",
        campaign=w.campaign,
        unit=w.u["county"],
        units=[w.u["town_b"], w.u["town_a"], w.u["town_a"]],  # duplicates collapse
        members=[
            MemberSpec(person=w.people["leader"], role=MemberRole.LEADER),
            MemberSpec(name="王副组长", role=MemberRole.DEPUTY),
            MemberSpec(person=w.people["member"]),
            MemberSpec(name="退休干部老周"),
        ],
    )
    assert g.name == "第一指导组" and g.path == w.u["county"].path and g.campaign == w.campaign
    assert [gu.unit for gu in GroupUnit.objects.filter(group=g).order_by("path")] == [
        w.u["town_a"],
        w.u["town_b"],
    ]
    assert all(gu.path == gu.unit.path for gu in GroupUnit.objects.filter(group=g))
    members = list(GroupMember.objects.filter(group=g).values_list("name", "role", "person__number"))
    assert members == [
        ("李组长", MemberRole.LEADER, "PC001"),
        ("王副组长", MemberRole.DEPUTY, None),
        ("赵成员", MemberRole.MEMBER, "PC002"),
        ("退休干部老周", MemberRole.MEMBER, None),
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(g.pk)).exists()


@pytest.mark.parametrize("user", ["a_staff", "viewer", "county_inspector", "nobody", "a_office"])
def test_group_creation_is_denied_to_all_but_the_office_above(w, user):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        _create(w, w.users[user])  # sent by the county: only the county's office (or above)
    assert snapshot() == before


def test_township_office_creates_for_its_own_township_only(w):
    g = _create(w, w.users["a_office"], unit="town_a", units=("village_a",), members=[])
    assert g.unit == w.u["town_a"]
    before = snapshot()
    with pytest.raises(PermissionDeniedError):  # out of its subtree
        _create(w, w.users["a_office"], unit="town_b", units=("village_b",), name="乙镇组", members=[])
    assert snapshot() == before


def test_assigned_units_lie_under_the_sending_unit(w):
    before = snapshot()
    with pytest.raises(DomainError) as err:
        _create(w, w.users["county_office"], unit="town_a", units=("village_a", "village_b"))
    assert err.value.code == ErrorCode.SUPERVISION_ASSIGNED_OUTSIDE
    assert snapshot() == before


def test_campaign_must_concern_the_sending_unit(w):
    from minqing.campaigns.services import campaign_create

    town_campaign = campaign_create(
        actor=SYSTEM, name="乙镇专题", scope=w.u["town_b"], start_date=w.campaign.start_date
    )
    with pytest.raises(DomainError) as err:
        _create(w, w.users["county_office"], unit="town_a", units=(), campaign=town_campaign)
    assert err.value.code == ErrorCode.SUPERVISION_CAMPAIGN_SCOPE
    # a county group in the township's campaign concerns it (the scopes overlap)
    assert _create(w, None, unit="county", units=("town_b",), campaign=town_campaign)


def test_names_leaders_and_members_are_validated(w):
    _create(w, None)
    before = snapshot()
    cases: list[tuple[dict[str, Any], ErrorCode]] = [
        ({"name": "第一指导组"}, ErrorCode.SUPERVISION_GROUP_NAME_TAKEN),
        ({"name": "  "}, ErrorCode.TRANSITION_MISSING),
        (
            {
                "members": [
                    MemberSpec(name="甲", role=MemberRole.LEADER),
                    MemberSpec(name="乙", role="leader"),
                ]
            },
            ErrorCode.SUPERVISION_ONE_LEADER,
        ),
        ({"members": [MemberSpec(name="甲"), MemberSpec(name="甲")]}, ErrorCode.SUPERVISION_MEMBER_TWICE),
        (
            {"members": [MemberSpec(person=w.people["member"]), MemberSpec(person=w.people["member"])]},
            ErrorCode.SUPERVISION_MEMBER_TWICE,
        ),
        ({"members": [MemberSpec(name="甲", role="boss")]}, ErrorCode.TRANSITION_BAD_VALUE),
    ]
    for kw, code in cases:
        kw.setdefault("name", "第二指导组")
        with pytest.raises(DomainError) as err:
            _create(w, w.users["county_office"], **kw)
        assert err.value.code == code, kw
    assert snapshot() == before
    # the same name in another campaign is another group
    assert _create(w, None, campaign=w.other_campaign)


def test_a_member_out_of_the_actors_scope_is_refused(w):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        _create(
            w, w.users["a_office"], unit="town_a", units=(), members=[MemberSpec(person=w.people["b_person"])]
        )
    assert snapshot() == before


def test_update_replaces_name_units_and_members(w):
    g = w.group()
    g = group_update(
        actor=w.users["county_office"],
        group=g,
        name="县委第一指导组(调整)",
        units=[w.u["town_b"]],
        members=[MemberSpec(name="新组长", role=MemberRole.LEADER)],
    )
    assert g.name == "县委第一指导组(调整)"
    assert list(GroupUnit.objects.filter(group=g).values_list("unit__code", flat=True)) == [
        w.u["town_b"].code
    ]
    assert list(GroupMember.objects.filter(group=g).values_list("name", "role")) == [("新组长", "leader")]


@pytest.mark.parametrize("user", ["a_office", "county_inspector", "viewer"])
def test_update_is_denied_to_others(w, user):
    g = w.group()
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        group_update(actor=w.users[user], group=g, name="改名", units=[], members=[])
    assert snapshot() == before
