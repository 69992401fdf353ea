"""The reporter follows their problem: the tracking page (any spelling of the code), the success
page (copy, QR, send to my phone), subscriptions that queue one message per public change, each
with an unsubscribe link that stops that subscription."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from minqing.core.models import RateLimitHit
from minqing.ledger.enums import Action, ResolutionKind
from minqing.ledger.models import Category
from minqing.ledger.selectors import normalise_tracking_code
from minqing.ledger.services.workflow import problem_transition
from minqing.notify import outbox
from minqing.notify.models import OutboxMessage, OutboxState, Subscription
from minqing.notify.senders.file import read_sent
from minqing.notify.services import subscribe
from minqing.notify.tests.links import unsubscribe_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_file(settings, tmp_path):
    settings.MINQING_SENDER_FILE = tmp_path / "sent.jsonl"
    settings.MINQING_SENDERS = {"email": "file", "sms": "file"}
    return settings.MINQING_SENDER_FILE


@pytest.fixture
def fb(lw):
    return lw.submit()


def spaced(code: str) -> str:
    """ABCDE23456 -> 'abcde-234 56': what a resident types from a note or an SMS."""
    return f"{code[:5].lower()}-{code[5:8]} {code[8:]}"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("ab cd-ef", "ABCDEF"),
        (" abcDEF ", "ABCDEF"),
        ("AB－CD　EF", "ABCDEF"),
        ("ab_cd\tef", "ABCDEF"),
        ("", ""),
    ],
)
def test_codes_are_read_whatever_the_spacing_dashes_and_case(typed, plain):
    assert normalise_tracking_code(typed) == plain


def test_tracking_page_by_a_code_typed_with_spaces_and_dashes(client, lw, fb):
    r = client.get(reverse("public:track_form"), {"code": spaced(fb.tracking_code)})
    assert r.status_code == 302 and r.url == reverse("public:track", args=[fb.tracking_code])
    r = client.get(reverse("public:track", args=[spaced(fb.tracking_code)]))
    assert r.status_code == 302 and r.url == reverse("public:track", args=[fb.tracking_code])


def test_tracking_page_shows_what_was_reported_and_where_it_stands(client, lw, fb):
    p = fb.problem
    p.category = Category.objects.create(name="路灯", full_name="城乡建设/路灯")
    p.save()
    p = problem_transition(
        actor=lw.users["county_intake"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"]
    )
    html = client.get(reverse("public:track", args=[fb.tracking_code])).content.decode()
    assert "路灯不亮" in html  # the reporter's own title
    assert "泉山社区 · 新体育场街道 · 集宁区" in html  # the place with its parents
    assert "城乡建设/路灯" in html and "新体育场街道" in html
    assert p.due_date is not None and p.due_date.strftime("%Y-%m-%d") in html
    assert "交办" in html  # the public timeline
    assert "王大妈" not in html and "13900001111" not in html  # never the reporter's identity
    assert "county_intake" not in html  # nor a staff name


def test_success_page_offers_copy_qr_and_send_to_my_phone(client, lw):
    r = client.post(
        "/public/submit/",
        {"title": "小区路灯不亮", "content": "3 号楼前的路灯坏了", "unit_code": lw.u["village_a"].code},
    )
    html = r.content.decode()
    found = re.search(r'id="tracking-code">(\w+)<', html)
    assert found is not None
    code = found.group(1)
    assert 'class="copy"' in html and "minqing/copy.js" in html
    assert reverse("public:track_qr", args=[code]) in html
    assert reverse("public:send_code", args=[code]) in html and 'inputmode="numeric"' in html
    assert "<script>" not in html and "onclick" not in html and "style=" not in html  # CSP
    qr = client.get(reverse("public:track_qr", args=[code]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get(reverse("public:track_qr", args=["NOSUCHCODE"])).status_code == 404


def test_send_to_my_phone_queues_the_code_by_sms(client, lw, fb, sent_file):
    r = client.post(reverse("public:send_code", args=[fb.tracking_code]), {"phone": "139 0000 2222"})
    assert r.status_code == 302 and r.url.endswith("?done=sent#follow")
    msg = OutboxMessage.objects.get()
    assert (msg.channel, msg.address, msg.subscription) == ("sms", "13900002222", None)
    assert fb.tracking_code in msg.body and reverse("public:track", args=[fb.tracking_code]) in msg.body
    outbox.sweep()
    assert [m["to"] for m in read_sent(sent_file)] == ["13900002222"]


def test_send_to_my_phone_refuses_a_bad_number(client, lw, fb):
    r = client.post(reverse("public:send_code", args=[fb.tracking_code]), {"phone": "12345"})
    assert r.status_code == 400 and "手机号" in r.content.decode()
    assert not OutboxMessage.objects.exists()


def test_message_forms_are_rate_limited(client, lw, fb, settings):
    settings.MINQING_PUBLIC_MESSAGE_LIMIT = 2
    url = reverse("public:send_code", args=[fb.tracking_code])
    assert [client.post(url, {"phone": "13900002222"}).status_code for _ in range(3)] == [302, 302, 400]
    assert OutboxMessage.objects.count() == 2 and RateLimitHit.objects.count() == 2


def test_subscribing_stores_the_address_encrypted_and_confirms(client, lw, fb):
    r = client.post(
        reverse("public:follow", args=[fb.tracking_code]), {"channel": "sms", "address": "13900003333"}
    )
    assert r.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.feedback, sub.channel, sub.address, sub.active) == (fb, "sms", "13900003333", True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notify_subscription")
        assert "13900003333" not in cursor.fetchone()[0]
    confirm = OutboxMessage.objects.get()
    assert fb.tracking_code in confirm.body and "/notify/unsubscribe/" in confirm.body
    html = client.get(r.url).content.decode()
    assert "139****3333" in html and "13900003333" not in html  # masked on the page


def test_subscribing_twice_keeps_one(lw, fb):
    a = subscribe(feedback=fb, channel="email", address="zhang@example.com")
    b = subscribe(feedback=fb, channel="email", address="zhang@example.com")
    assert a.pk == b.pk and Subscription.objects.count() == 1


def test_bad_addresses_are_refused_on_the_page(client, lw, fb):
    url = reverse("public:follow", args=[fb.tracking_code])
    r = client.post(url, {"channel": "email", "address": "not-an-email"})
    assert r.status_code == 200 and "电子邮箱" in r.content.decode()
    r = client.post(url, {"channel": "sms", "address": "1390000"})
    assert "手机号" in r.content.decode()
    assert not Subscription.objects.exists()


def _resolve(lw, p):
    p = problem_transition(
        actor=lw.users["county_intake"], problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"]
    )
    p = problem_transition(actor=lw.users["a_staff"], problem=p, action=Action.ACCEPT)
    return problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.RECTIFIED
    )


def test_each_public_change_queues_a_message_and_private_ones_do_not(lw, fb):
    sub = subscribe(feedback=fb, channel="sms", address="13900003333")
    OutboxMessage.objects.all().delete()  # the confirmation
    p = problem_transition(
        actor=lw.users["county_intake"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.NOTE, note="内部备注"
    )  # not public
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.NOTE, note="已派人查看", public=True
    )
    bodies = list(OutboxMessage.objects.order_by("pk").values_list("body", flat=True))
    assert len(bodies) == 2
    assert "交办" in bodies[0] and "已交办" in bodies[0]
    assert "已派人查看" in bodies[1] and "内部备注" not in "".join(bodies)
    assert all(fb.tracking_code in b and "/notify/unsubscribe/" in b for b in bodies)
    assert set(OutboxMessage.objects.values_list("subscription", flat=True)) == {sub.pk}


def test_unsubscribe_link_stops_that_subscription_only(client, lw, fb):
    mine = subscribe(feedback=fb, channel="sms", address="13900003333")
    other = subscribe(feedback=fb, channel="email", address="li@example.com")
    link = unsubscribe_link(OutboxMessage.objects.filter(subscription=mine).get().body)
    OutboxMessage.objects.all().delete()
    page = client.get(link)  # a mail scanner following the link stops nothing
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    assert Subscription.objects.get(pk=mine.pk).active
    pending = outbox.queue(channel="sms", address="13900003333", body="旧消息", subscription=mine)
    r = client.post(link)
    assert r.status_code == 200 and 'id="unsubscribed"' in r.content.decode()
    assert not Subscription.objects.get(pk=mine.pk).active and Subscription.objects.get(pk=other.pk).active
    assert outbox.deliver(pending.pk) is False  # queued before: cancelled, not sent
    assert OutboxMessage.objects.get(pk=pending.pk).state == OutboxState.CANCELLED
    problem_transition(
        actor=lw.users["county_intake"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    assert list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING).values_list("subscription", flat=True)
    ) == [other.pk]


def test_a_forged_or_broken_unsubscribe_token_stops_nothing(client, lw, fb):
    sub = subscribe(feedback=fb, channel="sms", address="13900003333")
    assert client.get("/notify/unsubscribe/abc:def/").status_code == 404
    assert client.post("/notify/unsubscribe/abc:def/").status_code == 404
    assert Subscription.objects.get(pk=sub.pk).active


def test_messages_recorded_by_the_file_sender_through_a_resolution(lw, fb, sent_file):
    subscribe(feedback=fb, channel="email", address="zhang@example.com")
    _resolve(lw, fb.problem)
    outbox.sweep()
    sent = read_sent(sent_file)
    assert [m["to"] for m in sent] == ["zhang@example.com"] * 4  # confirmation, 交办, 受理, 办结
    assert "评价" in sent[-1]["body"]  # resolved: the reporter is asked to judge it
