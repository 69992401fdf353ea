"""Login, the failure lockout (等保 2.0), logout and the language switch."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from minqing.core.lockout import is_locked
from minqing.core.models import AuditEvent

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def login(client, password, username="alice", ip="127.0.0.1", url="login"):
    return client.post(reverse(url), {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, password, username="alice", ip="127.0.0.1"):
    return login(client, password, username, ip, url="admin:login")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def failures(username="alice"):
    return AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_name=username)


def test_login_page_renders(client, db):
    r = client.get(reverse("login"))
    assert r.status_code == 200
    assert "登录" in r.content.decode()


def test_successful_login_is_audited(client, alice):
    r = login(client, PASSWORD)
    assert r.status_code == 302
    ev = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert ev.actor == alice and ev.actor_name == "alice"


def test_failed_login_is_audited(client, alice):
    r = login(client, "wrong")
    assert r.status_code == 200
    assert failures().count() == 1
    assert failures().get().actor is None


@override_settings(MINQING_LOGIN_MAX_FAILURES=3, MINQING_LOGIN_LOCK_MINUTES=15)
def test_lockout_after_max_failures(client, alice):
    for _ in range(3):
        login(client, "wrong")
    assert is_locked("alice", "127.0.0.1")
    r = login(client, PASSWORD)  # the right password is refused while locked
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "锁定" in r.content.decode() and "15" in r.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
    assert failures().filter(detail="locked").count() == 1
    # another username is unaffected
    get_user_model().objects.create_user("bob", password=PASSWORD)
    assert login(client, PASSWORD, "bob").status_code == 302


@override_settings(MINQING_LOGIN_MAX_FAILURES=3, MINQING_LOGIN_LOCK_MINUTES=15)
def test_lock_expires_after_window(client, alice):
    for _ in range(3):
        login(client, "wrong")
    login(client, PASSWORD)  # refused, but does not extend the lock
    later = timezone.now() + timedelta(minutes=16)  # audit rows cannot be backdated: move the clock
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert not is_locked("alice", "127.0.0.1")
        assert login(client, PASSWORD).status_code == 302


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_success_resets_the_count(client, alice):
    login(client, "wrong")
    login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    login(client, "wrong")
    login(client, "wrong")
    assert not is_locked("alice", "127.0.0.1")
    assert login(client, PASSWORD).status_code == 302


def test_logout_is_post(client, alice):
    client.force_login(alice)
    r = client.post(reverse("logout"))
    assert r.status_code == 302
    assert "_auth_user_id" not in client.session


def test_language_switch_renders_english(client, alice):
    client.force_login(alice)
    r = client.post(reverse("set_language"), {"language": "en", "next": reverse("orgs:tree")})
    assert r.status_code == 302 and r.url == reverse("orgs:tree")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    r = client.get(reverse("orgs:tree"))
    assert r.status_code == 200
    assert '<html lang="en">' in r.content.decode()
    r = client.get(reverse("login"))
    assert r.status_code in (200, 302)


@override_settings(LANGUAGE_CODE="en")
def test_pages_render_in_english(client, alice):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(reverse("login"))
    assert r.status_code == 200 and 'lang="en"' in r.content.decode()


# issue 16, finding 2: Django's own admin login went around the lockout and the audit.


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD, is_staff=True)


def test_admin_login_failure_and_success_are_audited(client, staff):
    r = admin_login(client, "wrong")
    assert r.status_code == 200 and not signed_in(client)
    assert failures().get().detail == "bad_credentials"
    r = admin_login(client, PASSWORD)
    assert r.status_code == 302 and signed_in(client)
    ev = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert ev.actor == staff and ev.ip == "127.0.0.1"


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_locked_account_cannot_log_in_through_admin(client, staff):
    for _ in range(3):
        login(client, "wrong")
    r = admin_login(client, PASSWORD)
    assert r.status_code == 200 and not signed_in(client)
    assert "锁定" in r.content.decode()
    assert failures().filter(detail="locked").count() == 1


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_admin_failures_count_towards_the_lock(client, staff):
    for _ in range(3):
        admin_login(client, "wrong")
    assert login(client, PASSWORD).status_code == 200 and not signed_in(client)
    assert is_locked("alice", "127.0.0.1")


def test_admin_login_refuses_non_staff_and_audits_it(client, alice):
    r = admin_login(client, PASSWORD)
    assert r.status_code == 200 and not signed_in(client)
    assert failures().get().detail == "not_allowed"


# issue 16, finding 4: the lock counted the raw username, login the NFKC-normalised one.


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_fullwidth_variant_is_locked_with_the_account(client, db):
    get_user_model().objects.create_user("wlhd_staff", password=PASSWORD)
    for _ in range(3):
        login(client, "wrong", "wlhd_staff")
    r = login(client, PASSWORD, "\uff57lhd_staff")  # full-width w
    assert r.status_code == 200 and not signed_in(client)
    assert "锁定" in r.content.decode()


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_variant_failures_count_for_the_account(client, db):
    get_user_model().objects.create_user("wlhd_staff", password=PASSWORD)
    for variant in ("\uff57lhd_staff", " wlhd_staff ", "wlhd\uff3fstaff"):
        login(client, "wrong", variant)
    assert failures("wlhd_staff").count() == 3  # audited under the name login looks up
    assert is_locked("\uff57lhd_staff", "127.0.0.1")
    assert login(client, PASSWORD, "wlhd_staff").status_code == 200 and not signed_in(client)


# issue 16, finding 5: anyone could lock any account, and no address was throttled.

ATTACKER, OFFICE, HOME = "203.0.113.9", "10.1.2.3", "10.9.8.7"


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_failures_from_another_address_do_not_lock_the_user_out(client, alice):
    for _ in range(5):
        login(client, "wrong", ip=ATTACKER)
    assert login(client, PASSWORD, ip=OFFICE).status_code == 302
    assert is_locked("alice", ATTACKER) and not is_locked("alice", OFFICE)
    client.post(reverse("logout"))
    assert login(client, PASSWORD, ip=ATTACKER).status_code == 200  # still locked there


@override_settings(MINQING_LOGIN_MAX_FAILURES=3, MINQING_LOGIN_IP_MAX_FAILURES=4)
def test_an_address_is_throttled_across_usernames(client, alice):
    User = get_user_model()
    User.objects.create_user("bob", password=PASSWORD)
    for name in ("alice", "alice", "bob", "nosuchuser"):
        login(client, "wrong", name, ip=ATTACKER)
    r = login(client, PASSWORD, "bob", ip=ATTACKER)  # bob has 1 failure there, but the address is refused
    assert r.status_code == 429 and not signed_in(client)
    assert "此地址登录失败次数过多" in r.content.decode() and "15" in r.content.decode()
    assert failures("bob").filter(detail="throttled").count() == 1
    assert login(client, PASSWORD, "bob", ip=OFFICE).status_code == 302


@override_settings(MINQING_LOGIN_IP_MAX_FAILURES=3)
def test_own_login_does_not_buy_an_address_more_guesses(client, alice):
    get_user_model().objects.create_user("bob", password=PASSWORD)
    login(client, "wrong", "bob", ip=ATTACKER)
    login(client, "wrong", "bob", ip=ATTACKER)
    assert login(client, PASSWORD, "alice", ip=ATTACKER).status_code == 302
    client.post(reverse("logout"))
    login(client, "wrong", "bob", ip=ATTACKER)
    assert login(client, PASSWORD, "alice", ip=ATTACKER).status_code == 429


@override_settings(MINQING_LOGIN_MAX_FAILURES=3, MINQING_LOGIN_USERNAME_MAX_FAILURES=5)
def test_distributed_guessing_locks_the_username_everywhere(client, alice):
    for ip in ("198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.2"):
        login(client, "wrong", ip=ip)
    assert login(client, PASSWORD, ip=OFFICE).status_code == 302  # 4 < 5, and 2 < 3 per address
    client.post(reverse("logout"))
    login(client, "wrong", ip="198.51.100.3")  # the 5th: the user's own login did not reset it
    r = login(client, PASSWORD, ip=HOME)
    assert r.status_code == 200 and not signed_in(client)
    assert "锁定" in r.content.decode()


@override_settings(MINQING_LOGIN_MAX_FAILURES=3, MINQING_LOGIN_LOCK_MINUTES=15)
def test_refusals_do_not_count_and_every_lock_ends_on_time(client, alice):
    for _ in range(3):
        login(client, "wrong", ip=ATTACKER)
    for _ in range(30):
        login(client, PASSWORD, ip=ATTACKER)  # refused, not counted against the address
    assert login(client, PASSWORD, ip=OFFICE).status_code == 302
    client.post(reverse("logout"))
    later = timezone.now() + timedelta(minutes=16)  # audit rows cannot be backdated: move the clock
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert login(client, PASSWORD, ip=ATTACKER).status_code == 302
