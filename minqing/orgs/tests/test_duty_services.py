"""三员分立 in the services, the admin's writes and the CLI: role and duty changes are the security
administrator's (never on themself, one duty per account), accounts are split between the system
and the security administrator, the operator bootstraps duties with ``minqing duty``, and
``minqing import units --user`` is the system administrator's."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from minqing.activities.tests.importing import write
from minqing.campaigns.models import Campaign
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.lockout import is_locked
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import AdminDuty, Application, RoleAssignment, Unit
from minqing.orgs.services.accounts import account_create, account_set_access, account_unlock, account_update
from minqing.orgs.services.duties import duty_grant, duty_revoke
from minqing.orgs.services.roles import role_grant, role_revoke
from minqing.orgs.tests.factories import UserFactory

DATA = Path(__file__).parent / "data"


def audited(detail_start: str) -> bool:
    return AuditEvent.objects.filter(detail__startswith=detail_start).exists()


# --- duties ------------------------------------------------------------------------------------


def test_the_security_administrator_grants_and_revokes_a_duty(world: Any) -> None:
    nobody = world.users["nobody"]
    row = duty_grant(actor=world.users["secadmin"], user=nobody, duty=Duty.AUDIT)
    nobody.refresh_from_db()
    assert row.duty == Duty.AUDIT and nobody.is_staff
    assert audited("duty granted: nobody audit")
    duty_revoke(actor=world.users["secadmin"], row=row)
    nobody.refresh_from_db()
    assert not AdminDuty.objects.filter(user=nobody).exists() and not nobody.is_staff
    assert audited("duty revoked: nobody audit")


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "root", "county_office", "nobody"])
def test_only_the_security_administrator_grants_duties(world: Any, who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        duty_grant(actor=world.users[who], user=world.users["a_staff"], duty=Duty.SYSTEM)
    with pytest.raises(PermissionDeniedError):
        duty_revoke(actor=world.users[who], row=AdminDuty.objects.get(user=world.users["auditadmin"]))
    assert not AdminDuty.objects.filter(user=world.users["a_staff"]).exists()


def test_no_duty_for_oneself_and_no_second_duty(world: Any) -> None:
    secadmin = world.users["secadmin"]
    with pytest.raises(DomainError) as exc:
        duty_revoke(actor=secadmin, row=AdminDuty.objects.get(user=secadmin))
    assert exc.value.code == ErrorCode.DUTY_SELF
    with pytest.raises(DomainError) as exc:
        duty_grant(actor=secadmin, user=world.users["sysadmin"], duty=Duty.AUDIT)
    assert exc.value.code == ErrorCode.DUTY_ONE_PER_ACCOUNT
    with pytest.raises(DomainError) as exc:
        duty_grant(actor=SYSTEM, user=world.users["sysadmin"], duty=Duty.SECURITY)  # not even the operator
    assert exc.value.code == ErrorCode.DUTY_ONE_PER_ACCOUNT
    assert AdminDuty.objects.get(user=world.users["sysadmin"]).duty == Duty.SYSTEM


def test_admin_refuses_a_self_grant_and_a_second_duty(client: Any, world: Any) -> None:
    secadmin = world.users["secadmin"]
    client.force_login(secadmin)
    add = reverse("admin:orgs_adminduty_add")
    for user, message in ((secadmin, "不能为自己"), (world.users["sysadmin"], "只能担任一种管理职责")):
        r = client.post(add, {"user": user.pk, "duty": Duty.AUDIT})
        assert r.status_code == 200 and message in r.content.decode()
        assert AdminDuty.objects.get(user=user).duty != Duty.AUDIT
    r = client.post(add, {"user": world.users["nobody"].pk, "duty": Duty.AUDIT})
    assert r.status_code == 302
    assert AdminDuty.objects.get(user=world.users["nobody"]).duty == Duty.AUDIT
    own = AdminDuty.objects.get(user=secadmin)
    client.post(reverse("admin:orgs_adminduty_delete", args=[own.pk]), {"post": "yes"})
    assert AdminDuty.objects.filter(pk=own.pk).exists()


# --- roles -------------------------------------------------------------------------------------


def test_roles_are_the_security_administrator_s(world: Any) -> None:
    ra = role_grant(
        actor=world.users["secadmin"], user=world.users["nobody"], role=Role.VIEWER, unit=world.u["town_a"]
    )
    assert audited("role granted: nobody viewer")
    role_revoke(actor=world.users["secadmin"], assignment=ra)
    assert audited("role revoked: nobody viewer")
    # an office used to grant roles under its unit (role_grant asked for the office role)
    for who in ("county_office", "sysadmin", "auditadmin", "root"):
        with pytest.raises(PermissionDeniedError):
            role_grant(
                actor=world.users[who], user=world.users["nobody"], role=Role.VIEWER, unit=world.u["town_a"]
            )
    assert not RoleAssignment.objects.filter(user=world.users["nobody"]).exists()


def test_no_role_for_oneself(world: Any, client: Any) -> None:
    secadmin = world.users["secadmin"]
    with pytest.raises(DomainError) as exc:
        role_grant(actor=secadmin, user=secadmin, role=Role.OFFICE, unit=world.u["province"])
    assert exc.value.code == ErrorCode.DUTY_SELF
    client.force_login(secadmin)
    r = client.post(
        reverse("admin:orgs_roleassignment_add"),
        {"user": secadmin.pk, "role": Role.OFFICE, "unit": world.u["province"].pk},
    )
    assert r.status_code == 200 and "不能为自己" in r.content.decode()
    assert not RoleAssignment.objects.filter(user=secadmin).exists()


def test_the_system_administrator_cannot_post_a_role(client: Any, world: Any) -> None:
    client.force_login(world.users["sysadmin"])
    r = client.post(
        reverse("admin:orgs_roleassignment_add"),
        {"user": world.users["nobody"].pk, "role": Role.OFFICE, "unit": world.u["province"].pk},
    )
    assert r.status_code == 403
    assert not RoleAssignment.objects.filter(user=world.users["nobody"]).exists()


# --- accounts ----------------------------------------------------------------------------------


def user_form(user: User, **changes: Any) -> dict[str, Any]:
    data = {"username": user.username, "first_name": user.first_name, "last_name": "", "email": ""}
    data.update(changes)
    return data


def test_the_system_administrator_keeps_names_not_flags(client: Any, world: Any) -> None:
    nobody = world.users["nobody"]
    client.force_login(world.users["sysadmin"])
    url = reverse("admin:auth_user_change", args=[nobody.pk])
    r = client.post(
        url, user_form(nobody, first_name="新名字", is_staff="on", is_superuser="on", is_active="")
    )
    assert r.status_code == 302
    nobody.refresh_from_db()
    assert nobody.first_name == "新名字"
    assert nobody.is_active and not nobody.is_staff and not nobody.is_superuser
    assert audited("account changed: nobody: first_name")
    # another administrator's account is not theirs to change
    secadmin = world.users["secadmin"]
    r = client.post(
        reverse("admin:auth_user_change", args=[secadmin.pk]), user_form(secadmin, first_name="改")
    )
    assert r.status_code == 403
    with pytest.raises(DomainError):
        account_update(actor=world.users["sysadmin"], user=secadmin, values={"first_name": "改"})


def test_the_system_administrator_creates_accounts_without_a_password(client: Any, world: Any) -> None:
    client.force_login(world.users["sysadmin"])
    r = client.post(reverse("admin:auth_user_add"), {"username": "newcomer", "first_name": "新人"})
    assert r.status_code == 302, r.content.decode()[:2000]
    user = User.objects.get(username="newcomer")
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert audited("account created: newcomer")
    with pytest.raises(PermissionDeniedError):
        account_create(actor=world.users["secadmin"], username="other")


def test_the_security_administrator_switches_access_not_names(client: Any, world: Any) -> None:
    nobody = world.users["nobody"]
    client.force_login(world.users["secadmin"])
    url = reverse("admin:auth_user_change", args=[nobody.pk])
    r = client.post(url, user_form(nobody, first_name="不改", is_staff="on"))
    assert r.status_code == 302
    nobody.refresh_from_db()
    assert not nobody.is_active and nobody.is_staff and nobody.first_name != "不改"
    assert audited("access changed: nobody")
    # never their own
    secadmin = world.users["secadmin"]
    r = client.post(reverse("admin:auth_user_change", args=[secadmin.pk]), user_form(secadmin))
    assert r.status_code == 403
    with pytest.raises(DomainError):
        account_set_access(actor=secadmin, user=secadmin, values={"is_active": False})
    secadmin.refresh_from_db()
    assert secadmin.is_active


def test_no_password_through_the_admin(client: Any, world: Any) -> None:
    nobody = world.users["nobody"]
    before = nobody.password
    for who in ("sysadmin", "secadmin"):
        client.force_login(world.users[who])
        client.post(
            f"/admin/auth/user/{nobody.pk}/password/",
            {"password1": "Another-pass-42", "password2": "Another-pass-42"},
        )
    nobody.refresh_from_db()
    assert nobody.password == before


def fail_logins(username: str, times: int) -> None:
    client = Client()
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")


def test_the_security_administrator_unlocks_an_account(client: Any, world: Any, settings: Any) -> None:
    settings.MINQING_LOGIN_MAX_FAILURES = 3
    fail_logins("a_staff", 3)
    assert is_locked("a_staff", "10.0.0.9")
    changelist = reverse("admin:auth_user_changelist")
    action = {"action": "unlock", "_selected_action": [world.users["a_staff"].pk]}
    client.force_login(world.users["sysadmin"])  # not theirs: the action is not offered
    client.post(changelist, action)
    assert is_locked("a_staff", "10.0.0.9")
    client.force_login(world.users["secadmin"])
    assert client.post(changelist, action).status_code == 302
    assert not is_locked("a_staff", "10.0.0.9")
    assert audited("unlocked: a_staff")
    fail_logins("a_staff", 3)  # fresh failures count again
    assert is_locked("a_staff", "10.0.0.9")
    with pytest.raises(PermissionDeniedError):
        account_unlock(actor=world.users["sysadmin"], user=world.users["a_staff"])


# --- the operator's command --------------------------------------------------------------------


def test_duty_command_bootstraps_the_administrators(db: Any) -> None:
    UserFactory(username="first_sec")
    out = io.StringIO()
    call_command("duty", "grant", "first_sec", "security", stdout=out)
    assert AdminDuty.objects.get(user__username="first_sec").duty == Duty.SECURITY
    assert User.objects.get(username="first_sec").is_staff
    assert AuditEvent.objects.filter(actor_name="system", detail__startswith="duty granted").exists()
    with pytest.raises(CommandError, match="只能担任一种"):
        call_command("duty", "grant", "first_sec", "audit")
    with pytest.raises(CommandError):
        call_command("duty", "grant", "ghost", "audit")
    out = io.StringIO()
    call_command("duty", "list", stdout=out)
    assert "first_sec\tsecurity" in out.getvalue()
    call_command("duty", "revoke", "first_sec", stdout=io.StringIO())
    assert not AdminDuty.objects.filter(user__username="first_sec").exists()


# --- one policy for the CLI imports --------------------------------------------------------------


@pytest.mark.parametrize("who", ["county_office", "a_staff", "root"])
def test_import_units_with_a_user_is_the_system_administrator_s(world: Any, who: str) -> None:
    # before: any active user could rewrite the unit tree (units_upsert asked nobody)
    # (a superuser without a duty, unrestricted in the domain, is no system administrator either)
    before = Unit.objects.count()
    with pytest.raises(CommandError):
        call_command("import_data", "units", str(DATA / "units_basic.csv"), "--no-progress", "--user", who)
    assert Unit.objects.count() == before
    call_command(
        "import_data",
        "units",
        str(DATA / "units_basic.csv"),
        "--no-progress",
        "--user",
        "sysadmin",
        stdout=io.StringIO(),
    )
    assert Unit.objects.count() > before


def test_import_campaigns_asks_the_office_as_the_page_does(world: Any, tmp_path: Path) -> None:
    # before: unit staff could import a campaign the campaign page and campaign_create refuse them
    path = write(
        tmp_path / "c.csv",
        ["专题名称", "类型", "范围单位代码", "开始日期"],
        [["镇专题", "主题教育", "150902001000", "2019-06-01"]],
    )
    with pytest.raises(CommandError):
        call_command("import_data", "campaigns", str(path), "--no-progress", "--user", "a_staff")
    assert not Campaign.objects.filter(name="镇专题").exists()
    call_command(
        "import_data",
        "campaigns",
        str(path),
        "--no-progress",
        "--user",
        "county_office",
        stdout=io.StringIO(),
    )
    assert Campaign.objects.filter(name="镇专题").exists()


def test_an_api_client_is_created_by_the_system_and_granted_by_the_security_administrator(
    client: Any, world: Any
) -> None:
    client.force_login(world.users["sysadmin"])
    data = {"name": "12345热线", "unit": world.u["county"].pk, "roles": '["intake"]', "is_active": "on"}
    assert client.post(reverse("admin:orgs_application_add"), data).status_code == 302
    app = Application.objects.get(name="12345热线")
    assert app.roles == [] and not app.is_active and app.unit == world.u["county"]  # no grant by the system
    change = reverse("admin:orgs_application_change", args=[app.pk])
    assert client.post(change, {**data, "name": "热线"}).status_code == 302
    app.refresh_from_db()
    assert app.name == "热线" and app.roles == [] and not app.is_active
    client.force_login(world.users["secadmin"])
    assert client.post(change, {**data, "name": "改名"}).status_code == 302
    app.refresh_from_db()
    assert app.name == "热线" and app.roles == ["intake"] and app.is_active
    assert client.post(reverse("admin:orgs_application_add"), data).status_code == 403
