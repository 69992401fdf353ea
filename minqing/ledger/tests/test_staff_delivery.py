"""Staff hear of events in the app always, and also by e-mail or SMS when their own preference
(a small settings page) asks for it; the unsubscribe link in those messages goes back to in-app."""

import pytest
from django.urls import reverse

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.enums import Action
from minqing.ledger.models import Notification
from minqing.ledger.services.workflow import problem_transition
from minqing.notify import outbox
from minqing.notify.models import OutboxMessage, StaffDelivery, StaffPreference
from minqing.notify.senders.file import read_sent
from minqing.notify.services import set_preference
from minqing.notify.tests.links import unsubscribe_link

pytestmark = pytest.mark.django_db


def assign(lw):
    fb = lw.submit()
    return problem_transition(
        actor=lw.users["county_intake"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )


def test_in_app_only_by_default(lw):
    assign(lw)
    assert Notification.objects.filter(user=lw.users["a_staff"]).count() == 1
    assert not OutboxMessage.objects.exists()


def test_email_preference_sends_the_same_text(lw, settings, tmp_path):
    settings.MINQING_SENDER_FILE = tmp_path / "sent.jsonl"
    staff = lw.users["a_staff"]
    staff.email = "a_staff@example.org"
    staff.save()
    set_preference(user_id=staff.pk, delivery=StaffDelivery.EMAIL)
    p = assign(lw)
    n = Notification.objects.get(user=staff)
    msg = OutboxMessage.objects.get()
    assert (msg.channel, msg.address, msg.user_id) == ("email", "a_staff@example.org", staff.pk)
    assert msg.body.startswith(n.text) and p.number in msg.body and "/notify/unsubscribe/" in msg.body
    outbox.sweep()
    assert [m["to"] for m in read_sent(settings.MINQING_SENDER_FILE)] == ["a_staff@example.org"]


def test_sms_preference_needs_a_phone_and_stores_it_encrypted(lw):
    staff = lw.users["a_staff"]
    with pytest.raises(DomainError) as err:
        set_preference(user_id=staff.pk, delivery=StaffDelivery.SMS)
    assert err.value.code == ErrorCode.NOTIFY_NO_PHONE
    set_preference(user_id=staff.pk, delivery=StaffDelivery.SMS, phone="139-0000-4444")
    assert StaffPreference.objects.get(user=staff).phone == "13900004444"
    assign(lw)
    assert list(OutboxMessage.objects.values_list("channel", "address")) == [("sms", "13900004444")]


def test_the_actor_is_never_messaged(lw):
    set_preference(user_id=lw.users["county_intake"].pk, delivery=StaffDelivery.SMS, phone="13900005555")
    assign(lw)  # county_intake acts: told of nothing, in the app or outside it
    assert not OutboxMessage.objects.exists()


def test_preferences_page_saves_the_users_own_choice(client, lw):
    staff = lw.users["a_staff"]
    client.force_login(staff)
    url = reverse("notify:preferences")
    assert client.get(url).status_code == 200
    r = client.post(url, {"delivery": "email", "phone": ""})
    assert r.status_code == 200 and "邮箱" in r.content.decode()  # no e-mail on the account
    assert not StaffPreference.objects.exists()
    r = client.post(url, {"delivery": "sms", "phone": "13900006666"})
    assert r.status_code == 302
    pref = StaffPreference.objects.get()
    assert (pref.user, pref.delivery, pref.phone) == (staff, "sms", "13900006666")
    client.logout()
    assert client.get(url).status_code == 302  # login required


def test_unsubscribe_link_returns_a_staff_user_to_in_app_only(client, lw):
    staff = lw.users["a_staff"]
    set_preference(user_id=staff.pk, delivery=StaffDelivery.SMS, phone="13900004444")
    assign(lw)
    link = unsubscribe_link(OutboxMessage.objects.get().body)
    assert client.post(link).status_code == 200
    assert StaffPreference.objects.get(user=staff).delivery == StaffDelivery.IN_APP
    OutboxMessage.objects.all().delete()
    assign(lw)
    assert not OutboxMessage.objects.exists()
