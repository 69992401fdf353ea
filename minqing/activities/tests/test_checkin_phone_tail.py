"""Phone check-in by name and the last digits of one's phone (encrypted at rest), or by number."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from minqing.activities.models import Attendance, CheckInMethod
from minqing.activities.tests.activity_pages import ActivityWorld, make_world, snapshot
from minqing.core.models import AuditEvent, RateLimitHit
from minqing.orgs.models import PersonIdentity
from minqing.orgs.tests.factories import PersonFactory, PersonIdentityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw(db) -> ActivityWorld:
    w = make_world()
    PersonIdentityFactory(person=w.people["zhang"], phone="138 1234 5678")
    PersonIdentityFactory(person=w.people["li"], phone="13900001111")
    PersonIdentityFactory(person=w.people["zhao"], phone="13700002222")  # town B: outside
    return w


def _post(client, aw: ActivityWorld, **data: str):
    a = aw.activity()
    return client.post(f"/a/{a.short_code}/", {"number": "", "phone_tail": "", **data})


def _checked_in() -> list[tuple[str, str]]:
    return [(r.person.number, r.method) for r in Attendance.objects.order_by("pk")]


def _lookups(outcome: str) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL, outcome=outcome).count()


def test_phone_is_encrypted_at_rest(aw):
    """The premise: SQL cannot find the digits, so the lookup decrypts in Python."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM orgs_personidentity")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 3 and not any("5678" in str(v) for v in stored)
    with pytest.raises(FieldError):
        PersonIdentity.objects.filter(**{"phone__endswith": "5678"}).exists()
    assert PersonIdentity.objects.get(person=aw.people["zhang"]).phone == "138 1234 5678"


def test_name_and_last_four_digits_check_in_with_the_name_masked(client, aw):
    r = _post(client, aw, name="张三", phone_tail="5678")
    html = r.content.decode()
    assert r.status_code == 200 and "签到成功" in html
    assert "已签到:张*" in html and "张三" not in html and "PA001" not in html
    assert _checked_in() == [("PA001", CheckInMethod.PHONE)]
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL)
    assert (event.object_id, event.outcome) == (str(aw.people["zhang"].pk), AuditEvent.Outcome.SUCCESS)
    assert event.actor is None and event.actor_name == "手机签到"


def test_a_second_time_says_so(client, aw):
    url = f"/a/{aw.activity().short_code}/"
    assert "签到成功" in client.post(url, {"name": "张三", "phone_tail": "5678"}).content.decode()
    r = client.post(url, {"name": "张三", "phone_tail": "5678"})
    assert "您已签到过" in r.content.decode() and Attendance.objects.count() == 1


def test_same_name_and_digits_asks_for_more_digits_or_the_number(client, aw):
    other = PersonFactory(unit=aw.u["village_a"], number="PA009", name="张三")
    PersonIdentityFactory(person=other, phone="13911115678")
    a = aw.activity()
    url = f"/a/{a.short_code}/"
    r = client.post(url, {"name": "张三", "phone_tail": "5678"})
    html = r.content.decode()
    assert "请多填几位手机号码,或填写人员编号" in html and "签到成功" not in html
    assert "PA009" not in html and "PA001" not in html and Attendance.objects.count() == 0
    assert _lookups(AuditEvent.Outcome.FAILURE) == 1
    r = client.post(url, {"name": "张三", "phone_tail": "12345678"})  # more digits: one person
    assert "签到成功" in r.content.decode()
    r = client.post(url, {"name": "张三", "number": "PA009"})  # or the person number
    assert "签到成功" in r.content.decode()
    assert _checked_in() == [("PA001", CheckInMethod.PHONE), ("PA009", CheckInMethod.PHONE)]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "张三", "phone_tail": "5679"},  # wrong digits
        {"name": "张四", "phone_tail": "5678"},  # nobody of that name
        {"name": "张六", "phone_tail": "2222"},  # right, but outside the organiser's subtree
        {"name": "王五", "phone_tail": "0000"},  # a person without a phone
    ],
)
def test_no_match_is_one_clear_message(client, aw, data):
    url = f"/a/{aw.activity().short_code}/"
    before = snapshot()
    r = client.post(url, data)
    html = r.content.decode()
    assert r.status_code == 200 and "没有找到姓名和手机号码相符的人员" in html
    assert "签到成功" not in html and snapshot() == before


def test_name_spaces_and_middle_dots_are_forgiven(client, aw):
    person = PersonFactory(unit=aw.u["village_a"], number="PA010", name="阿依·木拉提")
    PersonIdentityFactory(person=person, phone="13600003333")
    r = _post(client, aw, name=" 阿依 • 木拉提 ", phone_tail="3333")
    assert "签到成功" in r.content.decode() and "已签到:阿*****" in r.content.decode()


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("678", "请至少填写手机号码的后 4 位"),
        ("56a8", "手机号码只能填写数字"),
        ("５６７８", "手机号码只能填写数字"),
    ],
)
def test_digits_are_checked(client, aw, tail, message):
    r = _post(client, aw, name="张三", phone_tail=tail)
    assert message in r.content.decode() and Attendance.objects.count() == 0


def test_the_number_of_digits_is_a_setting(client, aw, settings):
    settings.MINQING_CHECKIN_PHONE_DIGITS = 6
    url = f"/a/{aw.activity().short_code}/"
    r = client.post(url, {"name": "张三", "phone_tail": "5678"})
    assert "请至少填写手机号码的后 6 位" in r.content.decode() and Attendance.objects.count() == 0
    assert "填写手机号码的后 6 位" in client.get(url).content.decode()
    r = client.post(url, {"name": "张三", "phone_tail": "345678"})
    assert "签到成功" in r.content.decode()


def test_by_person_number_is_masked_too(client, aw):
    r = _post(client, aw, name="李四", number="PA002")
    html = r.content.decode()
    assert "签到成功" in html and "已签到:李*" in html and "李四" not in html
    assert _checked_in() == [("PA002", CheckInMethod.PHONE)]


def test_failures_are_limited_per_address_and_per_name(client, aw, settings):
    settings.MINQING_CHECKIN_FAILURE_LIMIT = 3
    settings.MINQING_CHECKIN_RATE_WINDOW = 3600
    a = aw.activity()
    url = f"/a/{a.short_code}/"
    for tail in ("0001", "0002", "0003"):
        r = client.post(url, {"name": "张三", "phone_tail": tail})
        assert "没有找到" in r.content.decode()
    # the right digits come too late: the fourth attempt is refused before any lookup
    r = client.post(url, {"name": "张三", "phone_tail": "5678"})
    assert r.status_code == 429 and "提交过于频繁,请稍后再试" in r.content.decode()
    assert Attendance.objects.count() == 0 and _lookups(AuditEvent.Outcome.SUCCESS) == 0
    # another address trying the same name: the name's own count is used up as well
    r = client.post(url, {"name": "张三", "phone_tail": "5678"}, REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 429 and Attendance.objects.count() == 0
    # nor in another activity
    other = f"/a/{aw.activity(title='宣讲会').short_code}/"
    r = client.post(other, {"name": " 张 三", "phone_tail": "5678"}, REMOTE_ADDR="10.1.1.3")
    assert r.status_code == 429 and Attendance.objects.count() == 0
    # another name from another address goes on; so does the person number (not by digits)
    assert (
        "签到成功"
        in client.post(url, {"name": "李四", "phone_tail": "1111"}, REMOTE_ADDR="10.1.1.1").content.decode()
    )
    r = client.post(url, {"name": "张三", "number": "PA001"}, REMOTE_ADDR="10.1.1.2")
    assert "签到成功" in r.content.decode()
    assert RateLimitHit.objects.filter(key__startswith="activity_checkin_fail:").count() == 6


def test_successes_do_not_use_up_the_failure_limit(client, aw, settings):
    settings.MINQING_CHECKIN_FAILURE_LIMIT = 1
    a = aw.activity()
    url = f"/a/{a.short_code}/"
    assert "签到成功" in client.post(url, {"name": "张三", "phone_tail": "5678"}).content.decode()
    assert "签到成功" in client.post(url, {"name": "李四", "phone_tail": "1111"}).content.decode()
    assert not RateLimitHit.objects.filter(key__startswith="activity_checkin_fail:").exists()


def test_messages_in_english(client, aw, settings):
    url = f"/a/{aw.activity().short_code}/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "Last digits of your mobile number" in html and "Enter the last 4 digits" in html
    r = client.post(url, {"name": "张三", "phone_tail": "9999"})
    assert "No one with this name and mobile number was found" in r.content.decode()
    r = client.post(url, {"name": "张三", "phone_tail": "5678"})
    assert "Checked in: 张*" in r.content.decode()
