"""Idle logout: after MINQING_IDLE_TIMEOUT_MINUTES without a request the session ends, on the
staff pages and the admin site alike. The clock is moved, never waited for."""

import pytest
from django.test import override_settings
from django.urls import reverse

from minqing.accounts import idle
from minqing.accounts.tests.conftest import code_for, code_step, enrolled, password_step, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.plain_login]


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.t = 1_900_000_000.0
        monkeypatch.setattr(idle, "now", lambda: self.t)

    def advance(self, minutes: float) -> None:
        self.t += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_ten_minutes_without_a_request_end_the_session(client, staff, clock):
    password_step(client, "town_staff")
    clock.advance(9)
    assert client.get(reverse("ledger:queue")).status_code == 200  # 9 minutes: still signed in
    clock.advance(9)
    assert client.get(reverse("ledger:queue")).status_code == 200  # 9 more since the last request
    clock.advance(10.5)
    r = client.get(reverse("ledger:queue"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert not signed_in(client)
    page = client.get(r.url).content.decode()
    assert "超过 10 分钟没有操作" in page


def test_idle_logout_message_in_english(client, staff, clock):
    client.cookies["django_language"] = "en"
    password_step(client, "town_staff")
    clock.advance(11)
    page = client.get(reverse("ledger:queue"), follow=True).content.decode()
    assert "no activity for 10 minutes" in page


@override_settings(MINQING_IDLE_TIMEOUT_MINUTES=30)
def test_the_timeout_is_configurable(client, staff, clock):
    password_step(client, "town_staff")
    clock.advance(20)
    assert client.get(reverse("ledger:queue")).status_code == 200
    clock.advance(31)
    assert client.get(reverse("ledger:queue")).status_code == 302 and not signed_in(client)


def test_the_admin_site_logs_out_when_idle(client, admin_user, clock):
    device = enrolled(admin_user)
    password_step(client, "root", url="admin:login", next="/admin/")
    code_step(client, code_for(device))
    assert client.get("/admin/").status_code == 200
    clock.advance(11)
    r = client.get("/admin/")
    assert r.status_code == 302 and r.url.startswith(reverse("login")) and not signed_in(client)
