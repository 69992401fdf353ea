"""Password policy, the password-change page and the password's expiry."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from minqing.accounts.models import PasswordRecord
from minqing.accounts.tests.conftest import code_for, code_step, enrolled, password_step, signed_in
from minqing.core.models import AuditEvent
from minqing.orgs.tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.plain_login]

GOOD = "Qingshui-河畔-42"


def refusals(password: str, username: str = "zhangsan") -> set[str]:
    user = get_user_model()(username=username)
    try:
        validate_password(password, user)
    except ValidationError as err:
        return {str(e.code) for e in err.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1-xyz", "password_too_short"),  # 7 characters
        ("alllowercaseletters", "password_too_simple"),  # one class
        ("lowercase4digits", "password_too_simple"),  # two classes
        ("Zhangsan-2024!", "password_contains_username"),
        ("ZHANGSAN", "password_contains_username"),
        ("Password123", "password_too_common"),  # Django's list
        ("Woaini1314", "password_too_common"),  # the shipped Chinese-pattern list
        ("Qq123456!", None),  # three classes, not in the list as typed: allowed
        ("1Qaz2wsx", "password_too_common"),
        ("Zxcvbnm1", "password_too_common"),
        ("Mq2024hz", None),
    ],
)
def test_policy(password, code, db):
    got = refusals(password)
    if code is None:
        assert "password_too_common" not in got and "password_too_simple" not in got
    else:
        assert code in got


def test_a_good_password_passes_every_rule(db):
    assert refusals(GOOD) == set()


def test_the_shipped_list_refuses_whatever_the_case(db):
    for pw in ("qq123456", "A123456", "1QAZ2WSX", "zxcvbnm", "woaini1314"):
        assert "password_too_common" in refusals(pw), pw


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 8},
        }
    ]
)
def test_the_minimum_length_is_configurable(db):
    assert refusals("Ab1-xyzw") == set()


def test_refusals_are_bilingual(db):
    with override("en"):
        try:
            validate_password("zhangsan1", get_user_model()(username="zhangsan"))
        except ValidationError as err:
            text = " ".join(err.messages)
    assert "must not be the username" in text and "at least 3" in text


# --- the page ---


def test_every_signed_in_user_changes_their_password(client, staff):
    password_step(client, "town_staff")
    page = client.get(reverse("orgs:tree")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in page  # in the top bar
    key = client.session.session_key
    r = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert r.status_code == 302
    assert signed_in(client) and client.session.session_key != key  # kept, under a new key
    assert client.get(reverse("orgs:tree")).status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(GOOD)
    ev = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE, detail="password_changed")
    assert ev.actor == staff and ev.object_id == str(staff.pk) and ev.object_type == "auth.user"


def test_the_page_applies_the_policy(client, staff):
    password_step(client, "town_staff")
    r = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "woaini1314", "new_password2": "woaini1314"},
    )
    assert r.status_code == 200
    assert "常见密码" in r.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_the_page_needs_the_current_password(client, staff):
    password_step(client, "town_staff")
    r = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert r.status_code == 200 and not AuditEvent.objects.filter(detail="password_changed").exists()


def test_the_page_needs_a_sign_in(client, db):
    r = client.get(reverse("accounts:password_change"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


# --- when the password was set ---


def changed_at(user):
    return PasswordRecord.objects.get(user=user).changed_at


def test_set_password_and_save_record_the_date(staff):
    PasswordRecord.objects.filter(user=staff).update(changed_at=timezone.now() - timedelta(days=50))
    staff.first_name = "x"
    staff.save()  # no new password: the date stays
    assert changed_at(staff) < timezone.now() - timedelta(days=49)
    staff.set_password(GOOD)
    staff.save()
    assert changed_at(staff) > timezone.now() - timedelta(minutes=1)


def test_createsuperuser_records_the_date(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD)
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "b@example.org")
    assert PasswordRecord.objects.filter(user__username="boss").exists()


def test_a_user_saved_with_a_hash_records_the_date(db):
    # as the demo creates its accounts: one hash for all, set on the model
    get_user_model()(username="demo_user", password=make_password(PASSWORD)).save()
    assert PasswordRecord.objects.filter(user__username="demo_user").exists()


# --- expiry ---


def expire(user, days=91):
    PasswordRecord.objects.filter(user=user).update(changed_at=timezone.now() - timedelta(days=days))


def test_an_expired_password_sends_the_user_to_the_change_page(client, staff):
    expire(staff)
    password_step(client, "town_staff")
    r = client.get(reverse("ledger:queue"))
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:password_change"))
    page = client.get(r.url).content.decode()
    assert "密码已过期" in page
    r = client.post(r.url, {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302 and r.url == reverse("ledger:queue")
    assert client.get(reverse("ledger:queue")).status_code == 200


def test_89_days_are_not_expired(client, staff):
    expire(staff, days=89)
    password_step(client, "town_staff")
    assert client.get(reverse("ledger:queue")).status_code == 200


def test_the_admin_site_sends_an_expired_password_to_the_change_page(client, admin_user):
    device = enrolled(admin_user)
    expire(admin_user)
    password_step(client, "root", url="admin:login")
    code_step(client, code_for(device))
    r = client.get("/admin/")
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:password_change"))


def test_a_password_expiring_during_the_session_is_caught(client, staff):
    password_step(client, "town_staff")
    assert client.get(reverse("ledger:queue")).status_code == 200
    expire(staff)
    session = client.session
    session["minqing_password_expires"] = int(timezone.now().timestamp()) - 1  # the noted date passes
    session.save()
    assert client.get(reverse("ledger:queue")).url.startswith(reverse("accounts:password_change"))


@override_settings(MINQING_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_turned_off(client, staff):
    expire(staff, days=1000)
    password_step(client, "town_staff")
    assert client.get(reverse("ledger:queue")).status_code == 200
