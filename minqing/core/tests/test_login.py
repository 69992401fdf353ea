"""Login, the failure lockout (等保 2.0), logout and the language switch."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from minqing.core.lockout import is_locked
from minqing.core.models import AuditEvent

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def login(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password})


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
    assert is_locked("alice")
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
    for ev in failures():
        ev.at = ev.at - timedelta(minutes=16)
        ev.save(update_fields=["at"])
    assert not is_locked("alice")
    assert login(client, PASSWORD).status_code == 302


@override_settings(MINQING_LOGIN_MAX_FAILURES=3)
def test_success_resets_the_count(client, alice):
    login(client, "wrong")
    login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    login(client, "wrong")
    login(client, "wrong")
    assert not is_locked("alice")
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
