"""The demo generator on a tiny tier: counts, determinism, idempotence, users, extension stages."""

import dataclasses
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from minqing.core.paths import prefix_q
from minqing.demo import registry
from minqing.demo.tests.conftest import TINY, load
from minqing.orgs.enums import AssignmentKind, PartyCategory, UnitKind, UnitSubkind
from minqing.orgs.models import (
    AdminDuty,
    Assignment,
    Household,
    Person,
    PersonIdentity,
    RoleAssignment,
    Unit,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the generator wrote, without database ids."""
    return {
        "units": sorted(
            Unit.objects.values_list("code", "name", "kind", "subkind", "path", "party_category")
        ),
        "households": sorted(
            Household.objects.values_list("grid__code", "number", "head_name", "address", "members", "path")
        ),
        "people": sorted(
            Person.objects.values_list(
                "number", "name", "unit__code", "rank", "is_party_member", "duties", "identity__phone"
            )
        ),
        "assignments": sorted(
            Assignment.objects.values_list(
                "person__number", "kind", "unit__code", "household__number", "path"
            )
        ),
    }


def wipe():
    Assignment.objects.all().delete()
    Household.objects.all().delete()
    Person.objects.all().delete()
    RoleAssignment.objects.all().delete()
    get_user_model().objects.all().delete()
    Unit.objects.all().delete()


def test_tiny_tier_counts():
    load()
    ulanhot = Unit.objects.get(code="152201000000")
    under = Unit.objects.filter(prefix_q(ulanhot.path))
    assert under.filter(kind=UnitKind.TOWNSHIP).count() == 17
    assert under.filter(kind=UnitKind.VILLAGE).count() == 130
    assert under.filter(kind=UnitKind.GRID).count() == 20
    assert Household.objects.filter(prefix_q(ulanhot.path)).count() == 200
    agencies = under.filter(kind=UnitKind.AGENCY)
    assert agencies.count() == 66
    assert agencies.filter(party_category=PartyCategory.AGENCY, has_party_org=True).count() == 66
    assert agencies.filter(name="中共乌兰浩特市委组织部", code="152201-A002").exists()
    non_public = under.filter(party_category=PartyCategory.NON_PUBLIC, code__startswith="152201-N")
    assert non_public.count() == 97
    assert non_public.filter(kind=UnitKind.ENTERPRISE).exists()
    assert non_public.filter(kind=UnitKind.SOCIAL_ORG).exists()
    # grids: codes are the village code + 3 digits, names and subkinds follow the village type
    for g in Unit.objects.filter(kind=UnitKind.GRID).select_related():
        village = Unit.objects.get(code=g.code[:12])
        assert g.path.startswith(village.path)
        community = village.subkind == UnitSubkind.COMMUNITY
        want = UnitSubkind.COMMUNITY_GRID if community else UnitSubkind.VILLAGER_GROUP
        assert g.subkind == want
        assert g.name.endswith("网格" if want == UnitSubkind.COMMUNITY_GRID else "村民小组")
    # people: every one with a valid-looking identity, copied path
    assert Person.objects.count() > 1000
    assert PersonIdentity.objects.count() == Person.objects.count()
    p = Person.objects.select_related("unit", "identity").get(number="152201000000-01")
    assert p.duties == "市委书记" and p.rank == "division" and p.path == p.unit.path
    assert len(p.identity.id_number) == 18
    assert p.identity.phone.startswith("1") and len(p.identity.phone) == 11
    # assignments: contact points on villages with gaps, demonstration on grids, pairing
    contact = Assignment.objects.filter(kind=AssignmentKind.CONTACT_POINT)
    villages_covered = contact.filter(unit__kind=UnitKind.VILLAGE)
    assert 0 < villages_covered.count() < 130
    assert Assignment.objects.filter(kind=AssignmentKind.DEMONSTRATION).count() <= 20
    assert Assignment.objects.filter(kind=AssignmentKind.HOUSEHOLD_PAIRING).exists()
    for a in Assignment.objects.select_related("unit", "household")[:200]:
        target = a.unit or a.household
        assert target is not None and a.path == target.path


def test_second_run_adds_nothing():
    load()
    before = snapshot()
    report, out = load()
    assert all(v == 0 for _, _, counts, _ in report.stages for v in counts.values()), out
    assert snapshot() == before


def test_same_seed_same_data_other_seed_differs():
    load(seed=7)
    first = snapshot()
    wipe()
    load(seed=7)
    assert snapshot() == first
    wipe()
    load(seed=8)
    other = snapshot()
    assert other["units"] != first["units"] or other["households"] != first["households"]
    assert other["people"] != first["people"]


def test_demo_users_and_logins():
    load()
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    duties = dict(AdminDuty.objects.values_list("user__username", "duty"))
    assert duties == {"admin": "system", "sysadmin": "system", "secadmin": "security", "auditadmin": "audit"}
    assert not users.get(username="sysadmin").is_superuser and users.get(username="sysadmin").is_staff
    assert RoleAssignment.objects.filter(user__username="wlht_office", role="office").exists()
    staff = RoleAssignment.objects.filter(role="unit_staff").values_list("unit__name", flat=True)
    assert {"和平街道", "乌兰哈达镇"} <= set(staff)
    assert not users.filter(username="wlcb_office").exists()  # Ulanqab is not in this tier
    leader = users.get(username="wlht_leader")
    assert leader.person.unit.code == "152201000000"  # a leader claims problems as a person
    load()
    assert Person.objects.filter(user=leader).count() == 1  # re-running does not add another
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "heping_staff" in text and "和平街道" in text and "用户名" in text
    assert "minqing-demo-1509" in text
    for name, duty in (("sysadmin", "系统管理员"), ("secadmin", "安全管理员"), ("auditadmin", "审计管理员")):
        assert any(name in line and duty in line for line in text.splitlines()), name
    # the office and admin accounts must set up the second factor: said in both languages
    assert "首次登录时绑定" in text and "two-step verification" in text
    from minqing.accounts.models import PasswordRecord

    assert PasswordRecord.objects.filter(user=users.get(username="wlht_office")).exists()


def test_command_if_empty():
    out = io.StringIO()
    call_command("demo", "--scale", "mini", "--if-empty", "--no-progress", stdout=out)
    assert Unit.objects.filter(kind=UnitKind.GRID).count() == 50
    assert Household.objects.count() == 500
    out = io.StringIO()
    call_command("demo", "--scale", "mini", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()


def test_missing_and_registered_extension_stages():
    calls = []

    @registry.register_stage("test_extra", label="测试阶段", tiers=("tiny_ext",), order=500)
    def extra(ctx):
        calls.append(ctx.tier.targets["extra"])
        return {"extra": ctx.tier.targets["extra"]}

    try:
        tier = dataclasses.replace(
            TINY, name="tiny_ext", expected_stages=("test_extra", "seed_campaigns"), targets={"extra": 3}
        )
        report, out = load(tier)
    finally:
        registry._STAGES.pop("test_extra", None)
    assert calls == [3]
    assert report.missing == ["seed_campaigns"]
    assert "两个种子专题的记录(seed_campaigns)" in out
    assert "tree" not in [s[0] for s in report.stages]  # tiny_ext registers only the extra stage
