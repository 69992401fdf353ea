"""The phone check-in (no login): code, person number and matching name; idempotent, rate-limited."""

import pytest

from minqing.activities.models import Attendance, CheckInMethod
from minqing.activities.tests.activity_pages import ActivityWorld, make_world, snapshot
from minqing.core.models import RateLimitHit

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw(db) -> ActivityWorld:
    return make_world()


def test_code_box_redirects_to_the_activity(client, aw):
    a = aw.activity()
    r = client.get("/a/")
    assert r.status_code == 200 and 'name="code"' in r.content.decode()
    r = client.get("/a/", {"code": a.short_code.lower()})
    assert r.status_code == 302 and r["Location"] == f"/a/{a.short_code}/"
    r = client.get(f"/a/{a.short_code.lower()}/")
    assert r.status_code == 200 and a.title in r.content.decode()


def test_unknown_code(client, aw):
    r = client.get("/a/ZZZZZZ/")
    assert r.status_code == 404 and "签到码不存在" in r.content.decode()
    before = snapshot()
    assert client.post("/a/ZZZZZZ/", {"number": "PA001", "name": "张三"}).status_code == 404
    assert snapshot() == before


def test_check_in_by_phone_and_again(client, aw):
    a = aw.activity()
    url = f"/a/{a.short_code}/"
    r = client.post(url, {"number": "PA001", "name": " 张三 "})
    assert r.status_code == 200 and "签到成功" in r.content.decode()
    row = Attendance.objects.get()
    assert (row.activity, row.person, row.method) == (a, aw.people["zhang"], CheckInMethod.PHONE)
    r = client.post(url, {"number": "PA001", "name": "张三"})
    assert r.status_code == 200 and "您已签到过" in r.content.decode()
    assert Attendance.objects.count() == 1


def test_anyone_in_the_system_may_attend(client, aw):
    a = aw.activity()  # town A's activity, a person of town B
    r = client.post(f"/a/{a.short_code}/", {"number": "PB001", "name": "张六"})
    assert "签到成功" in r.content.decode()
    assert Attendance.objects.get().person == aw.people["zhao"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "PA001", "name": "李四"}, "姓名与人员编号不符"),
        ({"number": "PA001", "name": ""}, "errorlist"),
        ({"number": "NOBODY", "name": "张三"}, "人员编号不存在"),
        ({"number": "", "name": "张三"}, "请填写手机号码后 4 位,或填写人员编号"),
    ],
)
def test_refused_check_ins_create_nothing(client, aw, data, message):
    a = aw.activity()
    before = snapshot()
    r = client.post(f"/a/{a.short_code}/", data)
    assert r.status_code == 200 and message in r.content.decode()
    assert "签到成功" not in r.content.decode()
    assert snapshot() == before


def test_headcount_activity_has_no_phone_check_in(client, aw):
    a = aw.activity(headcount=20)
    before = snapshot()
    r = client.post(f"/a/{a.short_code}/", {"number": "PA001", "name": "张三"})
    assert "该活动按参加人数登记,没有签到名单" in r.content.decode()
    assert snapshot() == before


def test_rate_limit_per_client_ip(client, aw, settings):
    settings.MINQING_CHECKIN_RATE_LIMIT = 2
    settings.MINQING_CHECKIN_RATE_WINDOW = 3600
    a = aw.activity()
    url = f"/a/{a.short_code}/"
    assert "人员编号不存在" in client.post(url, {"number": "X1", "name": "张三"}).content.decode()
    assert "签到成功" in client.post(url, {"number": "PA001", "name": "张三"}).content.decode()
    r = client.post(url, {"number": "PA002", "name": "李四"})
    assert r.status_code == 429 and "提交过于频繁,请稍后再试" in r.content.decode()
    assert Attendance.objects.count() == 1
    assert RateLimitHit.objects.filter(key__startswith="activity_checkin:").count() == 2
    # another address is not affected
    r = client.post(url, {"number": "PA002", "name": "李四"}, REMOTE_ADDR="10.1.1.1")
    assert "签到成功" in r.content.decode()
    assert Attendance.objects.count() == 2


def test_page_is_phone_first_and_needs_no_login(client, aw):
    a = aw.activity()
    html = client.get(f"/a/{a.short_code}/").content.decode()
    assert 'name="viewport"' in html and 'class="public"' in html
    assert "退出" not in html and 'name="number"' in html and 'name="name"' in html
