"""The notification list: one's own notifications only; marking read."""

import pytest
from django.urls import reverse

from minqing.ledger.models import Notification
from minqing.ledger.services.notifications import notify_unit_users
from minqing.ledger.tests.pages import login

pytestmark = pytest.mark.django_db


def _notify(lw, unit_key: str, text: str) -> list[Notification]:
    p = lw.submit(unit_key=unit_key).problem
    return notify_unit_users(unit=lw.u[unit_key], problem=p, text=text)


def test_list_shows_only_ones_own(client, lw):
    _notify(lw, "town_a", "问题即将到期 A")
    _notify(lw, "town_b", "问题即将到期 B")
    html = login(client, lw.users["a_staff"]).get(reverse("ledger:notifications")).content.decode()
    assert "问题即将到期 A" in html and "问题即将到期 B" not in html
    html = login(client, lw.users["viewer"]).get(reverse("ledger:notifications")).content.decode()
    assert "问题即将到期" not in html and "没有通知" in html


def test_mark_read(client, lw):
    (mine,) = _notify(lw, "town_a", "问题即将到期 A")
    theirs = next(n for n in _notify(lw, "town_b", "问题即将到期 B") if n.user == lw.users["b_staff"])
    c = login(client, lw.users["a_staff"])
    r = c.post(reverse("ledger:notification_read", args=[mine.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("ledger:notifications")
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    # someone else's: 404 and untouched
    assert c.post(reverse("ledger:notification_read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert c.get(reverse("ledger:notification_read", args=[mine.pk])).status_code == 405
    client.logout()
    assert client.post(reverse("ledger:notification_read", args=[theirs.pk])).status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None
