"""The second factor: required for the office and admin-site users, enrollment, the two-step
sign-in (TOTP or a single-use recovery code), the lock on code guesses, the admin site, the reset
by the security administrator, and the session key at each step."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minqing.accounts.tests.conftest import (
    code_for,
    code_step,
    enrolled,
    password_step,
    signed_in,
    verified,
    wrong_code,
)
from minqing.core.models import AuditEvent
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.plain_login]

QUEUE = "/ledger/"


def test_office_user_cannot_open_the_queue_without_totp(client, office):
    r = password_step(client, "county_office")
    assert r.status_code == 302 and signed_in(client) and not verified(client)
    r = client.get(reverse("ledger:queue"))
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:enroll"))
    # an unknown address too: no view answers it, the gate still does (not a 404 page)
    for url in (reverse("orgs:tree"), reverse("accounts:password_change"), "/admin/", "/no-such-page/"):
        assert client.get(url).url.startswith(reverse("accounts:enroll")), url
    assert client.get(reverse("accounts:enroll")).status_code == 200  # enrollment stays open
    assert client.post(reverse("logout")).status_code == 302  # and logout
    assert not signed_in(client)


def test_office_user_with_totp_verified_can_open_the_queue(client, office):
    device = enrolled(office)
    r = password_step(client, "county_office", next=QUEUE)
    assert r.status_code == 302 and r.url == reverse("accounts:verify")
    assert not signed_in(client)  # nobody is signed in between the two steps
    assert client.get(reverse("ledger:queue")).url.startswith(reverse("login"))
    r = code_step(client, code_for(device))
    assert r.status_code == 302 and r.url == QUEUE
    assert signed_in(client) and verified(client)
    assert client.get(reverse("ledger:queue")).status_code == 200
    login = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert login.actor == office and login.detail == "second_factor:totpdevice"


def test_staff_without_a_required_role_signs_in_with_the_password_alone(client, staff):
    assert password_step(client, "town_staff").status_code == 302
    assert client.get(reverse("ledger:queue")).status_code == 200


@override_settings(MINQING_OTP_REQUIRED_ROLES=["office", "unit_staff"])
def test_required_roles_are_configurable(client, staff):
    password_step(client, "town_staff")
    assert client.get(reverse("ledger:queue")).url.startswith(reverse("accounts:enroll"))


@override_settings(MINQING_OTP_REQUIRED_ROLES=[])
def test_office_may_be_left_out_but_not_admin_users(client, office, admin_user):
    password_step(client, "county_office")
    assert client.get(reverse("ledger:queue")).status_code == 200
    client.post(reverse("logout"))
    password_step(client, "root")
    assert client.get(reverse("ledger:queue")).url.startswith(reverse("accounts:enroll"))


def test_an_administrator_duty_requires_the_second_factor(client, db):
    user = get_user_model().objects.create_user("auditor", password=PASSWORD)
    AdminDuty.objects.create(user=user, duty=Duty.AUDIT)
    password_step(client, "auditor")
    assert client.get(reverse("orgs:tree")).url.startswith(reverse("accounts:enroll"))


def test_enrollment_shows_a_local_qr_code_and_the_secret_then_confirms(client, office):
    password_step(client, "county_office")
    page = client.get(reverse("accounts:enroll")).content.decode()
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    assert f'src="{reverse("accounts:enroll_qr")}"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and "style=" not in page  # nothing inline
    secret = device.config_url.split("secret=")[1].split("&")[0]
    assert secret[:4] in page.replace(" ", "")
    qr = client.get(reverse("accounts:enroll_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    assert qr.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"') and b"<script" not in qr.content
    r = client.post(reverse("accounts:enroll"), {"code": wrong_code(device)})
    assert r.status_code == 200 and not verified(client)
    device.throttle_reset()
    key = client.session.session_key
    r = client.post(reverse("accounts:enroll"), {"code": code_for(device)})
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:recovery_codes"))
    assert verified(client) and client.session.session_key != key
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(r.url).content.decode()
    codes = list(StaticToken.objects.filter(device__user=office).values_list("token", flat=True))
    assert len(codes) == 10 and all(c in page for c in codes)
    again = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert not any(c in again for c in codes)  # shown once
    assert client.get(reverse("ledger:queue")).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, detail="second_factor_enrolled"
    ).exists()


def recovery_code(user) -> str:
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    return StaticToken.objects.create(device=device, token="abcd2345").token


def test_a_recovery_code_signs_in_once(client, office):
    enrolled(office)
    code = recovery_code(office)
    password_step(client, "county_office")
    r = code_step(client, code.upper())
    assert r.status_code == 302 and verified(client)
    assert not StaticToken.objects.filter(token=code).exists()
    client.post(reverse("logout"))
    password_step(client, "county_office")
    r = code_step(client, code)
    assert r.status_code == 200 and not signed_in(client)
    assert "验证码不正确" in r.content.decode()


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_code_guesses_count_towards_the_lockout_and_are_audited(client, office):
    device = enrolled(office)
    password_step(client, "county_office")
    for _ in range(3):
        assert code_step(client, wrong_code(device)).status_code == 200
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_name="county_office")
    assert failed.filter(detail="bad_second_factor").count() == 3
    device.throttle_reset()
    r = code_step(client, code_for(device))  # the right code, but the account is locked now
    assert r.status_code == 200 and not signed_in(client)
    assert "锁定" in r.content.decode()
    r = password_step(client, "county_office")  # and the password step is locked too
    assert r.status_code == 200 and "锁定" in r.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_the_password_step_does_not_reset_the_count_of_code_guesses(client, office):
    enrolled(office)
    device = TOTPDevice.objects.get(user=office)
    for _ in range(3):
        password_step(client, "county_office")  # the right password: not yet a login
        code_step(client, wrong_code(device))
    r = password_step(client, "county_office")
    assert r.status_code == 200 and "锁定" in r.content.decode()


def test_the_code_step_needs_the_password_step_first(client, office):
    device = enrolled(office)
    r = code_step(client, code_for(device))
    assert r.status_code == 302 and r.url == reverse("login") and not signed_in(client)


def test_session_key_changes_at_the_password_step_and_at_the_code_step(client, office):
    device = enrolled(office)
    client.get(reverse("login"))
    client.session.save()
    first = client.session.session_key
    password_step(client, "county_office")
    second = client.session.session_key
    assert second != first
    code_step(client, code_for(device))
    third = client.session.session_key
    assert third not in (first, second) and verified(client)


def test_session_key_changes_at_a_one_step_login(client, staff):
    client.get(reverse("login"))
    first = client.session.session_key
    password_step(client, "town_staff")
    assert signed_in(client) and client.session.session_key != first


def test_a_fixed_session_key_does_not_survive_the_sign_in(client, office):
    device = enrolled(office)
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies["sessionid"] = planted.session_key  # the attacker's known key
    password_step(client, "county_office")
    code_step(client, code_for(device))
    assert signed_in(client) and client.session.session_key != planted.session_key
    assert SessionStore(session_key=planted.session_key).get("_auth_user_id") is None
    assert not SessionStore().exists(str(planted.session_key))


def test_admin_site_requires_the_second_factor(client, admin_user):
    r = password_step(client, "root", url="admin:login", next="/admin/")
    assert r.status_code == 302 and signed_in(client) and not verified(client)
    r = client.get("/admin/")
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:enroll"))
    assert client.get("/admin/orgs/unit/").url.startswith(reverse("accounts:enroll"))


def test_admin_login_goes_through_the_code_step(client, admin_user):
    device = enrolled(admin_user)
    r = password_step(client, "root", url="admin:login", next="/admin/")
    assert r.status_code == 302 and r.url == reverse("accounts:verify") and not signed_in(client)
    assert client.get("/admin/").status_code == 302  # still the admin's login
    r = code_step(client, code_for(device))
    assert r.status_code == 302 and r.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_change_password_link_is_the_password_page(client):
    r = client.get("/admin/password_change/")
    assert r.status_code == 302 and r.url == reverse("accounts:password_change")


@pytest.fixture
def security_admin(db):
    user = get_user_model().objects.create_user("secadmin", password=PASSWORD)
    AdminDuty.objects.create(user=user, duty=Duty.SECURITY)
    enrolled(user)
    return user


def sign_in_verified(client, user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    password_step(client, user.get_username())
    assert code_step(client, code_for(device)).status_code == 302


def test_security_administrator_resets_a_second_factor(client, office, security_admin):
    enrolled(office)
    recovery_code(office)
    sign_in_verified(client, security_admin)
    r = client.post(reverse("accounts:second_factor_reset"), {"username": "county_office"})
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert not StaticDevice.objects.filter(user=office).exists()
    ev = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_id=str(office.pk))
    assert ev.actor == security_admin and ev.detail == "second_factor_reset devices=2"
    client.post(reverse("logout"))
    password_step(client, "county_office")  # one step now, then enrollment
    assert client.get(reverse("ledger:queue")).url.startswith(reverse("accounts:enroll"))


@pytest.mark.parametrize("duty", [None, Duty.SYSTEM, Duty.AUDIT])
def test_only_the_security_administrator_may_reset(client, office, duty):
    other = get_user_model().objects.create_user(
        "someone", password=PASSWORD, is_staff=True, is_superuser=True
    )
    if duty:
        AdminDuty.objects.create(user=other, duty=duty)
    enrolled(other)
    device = enrolled(office)
    sign_in_verified(client, other)
    r = client.post(reverse("accounts:second_factor_reset"), {"username": "county_office"})
    assert r.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_second_factor_pages_in_english(client, office):
    client.cookies["django_language"] = "en"
    password_step(client, "county_office")
    page = client.get(reverse("accounts:enroll")).content.decode()
    assert "Set up two-step verification" in page and "Install an authenticator app" in page
    client.post(reverse("logout"))
    device = enrolled(office)
    password_step(client, "county_office")
    r = code_step(client, wrong_code(device))
    assert "The code is wrong or has expired" in r.content.decode()
