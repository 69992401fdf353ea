from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role
from minqing.orgs.models import Household, RoleAssignment


def test_admin_pages_load(client, world):
    client.force_login(world.users["sysadmin"])
    urls = [
        reverse("admin:orgs_unit_changelist"),
        reverse("admin:orgs_unit_changelist") + "?q=泉山",
        reverse("admin:orgs_unit_change", args=[world.u["village_a"].pk]),
        reverse("admin:orgs_unit_add"),
        reverse("admin:orgs_household_changelist") + "?q=H",
        reverse("admin:orgs_household_change", args=[world.households["a"][0].pk]),
        reverse("admin:orgs_person_changelist"),
        reverse("admin:orgs_assignment_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:orgs_application_add"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(world.users["secadmin"])
    for url in (
        reverse("admin:orgs_roleassignment_changelist"),
        reverse("admin:orgs_roleassignment_add"),
        reverse("admin:orgs_adminduty_changelist"),
        reverse("admin:orgs_adminduty_add"),
        reverse("admin:auth_user_change", args=[world.users["nobody"].pk]),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(world.users["auditadmin"])
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200


def test_admin_person_identity_is_masked(client, world):
    client.force_login(world.users["sysadmin"])
    body = client.get(
        reverse("admin:orgs_person_change", args=[world.people["village_a"].pk])
    ).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body and "150902199001011234" not in body


def test_audit_log_is_read_only(client, world):
    client.force_login(world.users["auditadmin"])
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    ev = AuditEvent.objects.first()
    assert ev is not None
    r = client.post(reverse("admin:core_auditevent_delete", args=[ev.pk]), {"post": "yes"})
    assert r.status_code == 403
    assert AuditEvent.objects.filter(pk=ev.pk).exists()


def test_admin_not_for_ordinary_staff(client, world):
    client.force_login(world.users["a_staff"])
    r = client.get(reverse("admin:orgs_unit_changelist"))
    assert r.status_code == 302


def test_admin_move_unit_repaths_households(client, world):
    client.force_login(world.users["sysadmin"])
    grid = world.u["grid_a"]
    r = client.post(
        reverse("admin:orgs_unit_change", args=[grid.pk]),
        {
            "code": grid.code,
            "name": grid.name,
            "kind": grid.kind,
            "subkind": grid.subkind,
            "division_code": "",
            "party_category": "",
            "treebeard_position": "first-child",
            "treebeard_ref_node": str(world.u["village_b"].pk),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    grid.refresh_from_db()
    assert grid.path.startswith(world.u["village_b"].path)
    assert set(Household.objects.filter(grid=grid).values_list("path", flat=True)) == {grid.path}


def test_admin_role_assignment_is_audited(client, world):
    client.force_login(world.users["secadmin"])
    r = client.post(
        reverse("admin:orgs_roleassignment_add"),
        {"user": world.users["nobody"].pk, "role": Role.VIEWER, "unit": world.u["town_b"].pk},
    )
    assert r.status_code == 302
    ra = RoleAssignment.objects.get(user=world.users["nobody"])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION, object_id=str(ra.pk)).exists()


def test_admin_writes_are_audited(client, world):
    client.force_login(world.users["sysadmin"])
    household = world.households["a"][0]
    url = reverse("admin:orgs_household_change", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "grid": world.u["grid_a"].pk,
        "number": household.number,
        "head_name": "新户主",
        "address": household.address,
        "members": 4,
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_type="orgs.household").first()
    assert event is not None and event.object_id == str(household.pk)
    assert (
        client.post(reverse("admin:orgs_household_delete", args=[household.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DELETE, object_type="orgs.household", object_id=str(household.pk)
    ).exists()
