"""Fixtures of the accounts tests. Each module is marked ``plain_login``: its logins do not
verify the second factor by themselves (minqing/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import AdminDuty
from minqing.orgs.tests.factories import PASSWORD, UserFactory, grant, small_tree


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    return small_tree()


@pytest.fixture
def office(tree):
    user = UserFactory(username="county_office")
    grant(user, Role.OFFICE, tree["county"])
    return user


@pytest.fixture
def staff(tree):
    user = UserFactory(username="town_staff")
    grant(user, Role.UNIT_STAFF, tree["town_a"])
    return user


@pytest.fixture
def admin_user(db) -> User:
    """An administrator as the admin site admits one: staff holding a duty (系统管理员)."""
    user = get_user_model().objects.create_user("root", password=PASSWORD, is_staff=True, is_superuser=True)
    AdminDuty.objects.create(user=user, duty=Duty.SYSTEM)
    return user


def code_for(device: TOTPDevice) -> str:
    """The device's current TOTP code, as the authenticator app shows it."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code no step within the device's tolerance accepts."""
    taken = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d):0{device.digits}d}"
        for d in range(-2, 3)
    }
    return next(c for c in ("000000", "123457", "999999", "424242") if c not in taken)


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


def password_step(
    client, username: str, password: str = PASSWORD, ip: str = "127.0.0.1", url: str = "login", **extra
):
    return client.post(reverse(url), {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def code_step(client, code: str, ip: str = "127.0.0.1"):
    return client.post(reverse("accounts:verify"), {"code": code}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def verified(client) -> bool:
    return "otp_device_id" in client.session
