"""Public pages: the online form (validated, idempotent, rate-limited), tracking, the published list."""

import pytest
from django.urls import reverse

from minqing.core.models import RateLimitHit
from minqing.ledger.enums import Action, Channel, ResolutionKind, State
from minqing.ledger.models import Feedback, FeedbackIdentity, Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.moderation import problem_moderate
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import REPORTER_NAME, REPORTER_PHONE, assigned_problem
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import make_units

pytestmark = pytest.mark.django_db

SUBMIT = "/public/submit/"


def _form(where, **extra):
    return {"title": "小区路灯不亮", "content": "3 号楼前的路灯坏了一个月", "unit_code": where.code, **extra}


def test_urls():
    assert reverse("public:submit") == SUBMIT
    assert reverse("public:track_form") == "/public/track/"
    assert reverse("public:track", args=["ABC"]) == "/public/track/ABC/"
    assert reverse("public:problems") == "/public/problems/"


def test_submit_online_returns_a_tracking_code(client, lw):
    r = client.get(SUBMIT)
    assert r.status_code == 200 and 'name="token"' in r.content.decode()
    r = client.post(SUBMIT, _form(lw.u["village_a"], name="周九", phone="13600001234"))
    fb = Feedback.objects.get()
    assert r.status_code == 200 and fb.tracking_code in r.content.decode()
    assert fb.problem is not None
    assert fb.channel == Channel.ONLINE and fb.created_by is None and fb.unit == lw.u["village_a"]
    assert fb.problem.state == State.REGISTERED and fb.problem.channel == Channel.ONLINE
    ident = FeedbackIdentity.objects.get(feedback=fb)
    assert (ident.name, ident.phone) == ("周九", "13600001234")


def test_submit_anonymous_keeps_no_identity(client, lw):
    client.post(SUBMIT, _form(lw.u["village_a"], name="周九", phone="13600001234", anonymous="on"))
    fb = Feedback.objects.get()
    assert fb.anonymous and not FeedbackIdentity.objects.exists()


def test_submit_unit_by_search_and_select(client, lw):
    r = client.get(SUBMIT + "?q=红旗")
    html = r.content.decode()
    assert lw.u["village_b"].code in html
    assert lw.u["grid_b"].code not in html  # grids are not offered to the public
    data = _form(lw.u["village_b"], unit=lw.u["village_b"].code)
    data["unit_code"] = ""
    assert client.post(SUBMIT + "?q=红旗", data).status_code == 200
    assert Feedback.objects.get().unit == lw.u["village_b"]


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"content": ""},
        {"unit_code": ""},
        {"unit_code": "NOPE"},
        {"unit_code": "G-A-01"},  # a grid: not a territorial unit
        {"phone": "call me maybe"},
        {"title": "长" * 101},
    ],
)
def test_submit_validation_in_chinese_creates_nothing(client, lw, bad):
    r = client.post(SUBMIT, {**_form(lw.u["village_a"]), **bad})
    assert r.status_code == 200 and r.context["form"].errors
    assert 'class="errorlist"' in r.content.decode()
    assert not Feedback.objects.exists() and not Problem.objects.exists()


def test_validation_error_in_english_when_chosen(client, lw):
    client.cookies["django_language"] = "en"
    r = client.post(SUBMIT, {**_form(lw.u["village_a"]), "unit_code": ""})
    assert r.status_code == 200 and r.context["form"].errors["unit_code"]


def test_idempotency_key_header(client, lw):
    codes = set()
    for _ in range(3):
        r = client.post(SUBMIT, _form(lw.u["village_a"]), HTTP_IDEMPOTENCY_KEY="abc-123")
        assert r.status_code == 200
        codes.add(r.context["code"])
    assert Feedback.objects.count() == 1 and codes == {Feedback.objects.get().tracking_code}
    # another client's same key is a different submission
    r = client.post(SUBMIT, _form(lw.u["village_a"]), HTTP_IDEMPOTENCY_KEY="abc-123", REMOTE_ADDR="10.0.0.9")
    assert Feedback.objects.count() == 2


def test_form_token_makes_a_double_submit_one(client, lw):
    token = client.get(SUBMIT).context["form"].initial["token"]
    r1 = client.post(SUBMIT, _form(lw.u["village_a"], token=token))
    r2 = client.post(SUBMIT, _form(lw.u["village_a"], token=token))
    assert r1.context["code"] == r2.context["code"]
    assert Feedback.objects.count() == 1 and Problem.objects.count() == 1
    assert RateLimitHit.objects.count() == 1  # the replay is not counted


def test_rate_limit_per_client_ip(client, lw, settings):
    settings.MINQING_PUBLIC_RATE_LIMIT = 2
    settings.MINQING_PUBLIC_RATE_WINDOW = 3600
    for _ in range(2):
        assert client.post(SUBMIT, _form(lw.u["village_a"])).status_code == 200
    r = client.post(SUBMIT, _form(lw.u["village_a"]))
    assert r.status_code == 429
    assert "提交过于频繁,请稍后再试" in r.content.decode()
    assert Feedback.objects.count() == 2
    # another address is not affected
    assert client.post(SUBMIT, _form(lw.u["village_a"]), REMOTE_ADDR="10.1.1.1").status_code == 200
    assert Feedback.objects.count() == 3


def test_rate_limit_window_slides_and_zero_disables(client, lw, settings):
    settings.MINQING_PUBLIC_RATE_LIMIT = 1
    settings.MINQING_PUBLIC_RATE_WINDOW = 3600
    assert client.post(SUBMIT, _form(lw.u["village_a"])).status_code == 200
    assert client.post(SUBMIT, _form(lw.u["village_a"])).status_code == 429
    RateLimitHit.objects.update(at="2000-01-01T00:00:00Z")  # the hit has left the window
    assert client.post(SUBMIT, _form(lw.u["village_a"])).status_code == 200
    assert RateLimitHit.objects.count() == 1  # the old hit was purged
    settings.MINQING_PUBLIC_RATE_LIMIT = 0
    for _ in range(3):
        assert client.post(SUBMIT, _form(lw.u["village_a"])).status_code == 200
    assert Feedback.objects.count() == 5


# --- tracking ------------------------------------------------------------------------------


def test_track_shows_state_and_public_notes_only(client, lw):
    fb = lw.submit(unit_key="town_a")
    p = fb.problem
    office, staff = lw.users["county_office"], lw.users["a_staff"]
    p = problem_transition(actor=office, problem=p, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    p = problem_transition(actor=staff, problem=p, action=Action.NOTE, note="内部:联系人张主任 13500000000")
    p = problem_transition(actor=staff, problem=p, action=Action.NOTE, note="已安排维修", public=True)
    r = client.get(reverse("public:track_form") + f"?code={fb.tracking_code.lower()}")
    assert r.status_code == 302 and r["Location"] == reverse("public:track", args=[fb.tracking_code])
    r = client.get(r["Location"])
    html = r.content.decode()
    assert r.status_code == 200
    assert "已交办" in html and "已安排维修" in html and "登记" in html
    for secret in (
        "张主任",
        "13500000000",
        REPORTER_NAME,
        REPORTER_PHONE,
        "a_staff",
        "county_office",
        "白海子",
    ):
        assert secret not in html, secret


def test_track_unknown_code(client, lw):
    r = client.get(reverse("public:track", args=["NOSUCHCODE"]))
    assert r.status_code == 404 and "查询码不存在" in r.content.decode()
    assert client.get(reverse("public:track_form")).status_code == 200


def test_track_follows_a_merge(client, lw):
    fb = lw.submit()
    target = lw.submit().problem
    problem_transition(actor=lw.users["county_office"], problem=fb.problem, action=Action.MERGE, into=target)
    r = client.get(reverse("public:track", args=[fb.tracking_code]))
    assert r.status_code == 200 and r.context["tracking"].state_label == "已登记"


# --- the published list ----------------------------------------------------------------------
# (a resident's report is on it once checked: ``approved`` publishes it as the office would)


def approved(lw, problem):
    return problem_moderate(actor=lw.users["county_office"], problem=problem, decision="approve")


def test_public_list_without_personal_data(client, lw):
    pa = assigned_problem(lw, "town_a", "town_a")
    pa = problem_transition(actor=lw.users["a_staff"], problem=pa, action=Action.ACCEPT)
    problem_transition(
        actor=lw.users["a_staff"],
        problem=pa,
        action=Action.RESOLVE,
        resolution_kind=ResolutionKind.ON_THE_SPOT,
    )
    pb = lw.submit(unit_key="village_b").problem
    dup = lw.submit(unit_key="village_b").problem
    for p in (pa, pb, dup):
        approved(lw, p)
    problem_transition(actor=lw.users["county_office"], problem=dup, action=Action.MERGE, into=pb)
    r = client.get(reverse("public:problems"))
    html = r.content.decode()
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 2  # the duplicate is left out
    assert "立行立改" in html and "新体育场街道" in html and "红旗村" in html
    for secret in (REPORTER_NAME, REPORTER_PHONE, "a_staff", "county_office", "李书记", pa.number):
        assert secret not in html, secret
    for fb in Feedback.objects.all():
        assert fb.tracking_code not in html


def test_public_list_filters(client, lw):
    pa = approved(lw, lw.submit(unit_key="village_a").problem)
    pb = approved(lw, lw.submit(unit_key="village_b").problem)
    problem_transition(
        actor=lw.users["county_office"], problem=pb, action=Action.ASSIGN, responsible_unit=lw.u["town_b"]
    )

    def count(query: str) -> int:
        return client.get(reverse("public:problems") + query).context["page_obj"].paginator.count

    assert count("") == 2
    assert count(f"?unit={lw.u['town_a'].code}") == 1
    assert count(f"?unit={lw.u['county'].code}") == 2
    assert count("?state=assigned") == 1
    assert count("?state=merged") == 2  # not a public filter: ignored
    assert count("?source=public") == 2 and count("?source=research") == 0
    r = client.get(reverse("public:problems") + "?unit=NOPE")
    assert r.context["unit_error"] and r.context["page_obj"].paginator.count == 0
    assert [
        p.pk for p in client.get(reverse("public:problems") + "?state=registered").context["page_obj"]
    ] == [pa.pk]


def test_public_list_query_count(client, lw, django_assert_max_num_queries):
    for _ in range(5):
        approved(lw, lw.submit().problem)
    with django_assert_max_num_queries(3):
        client.get(reverse("public:problems"))


def test_public_list_tells_namesakes_apart_by_their_parents(client, lw):
    """Two 泉山社区 under two townships: each listed with its parents, as on the form and the
    tracking page."""
    make_units(
        [UnitRow("150902101202", "泉山社区", UnitKind.VILLAGE, "150902101000", "community", "150902101202")]
    )
    approved(lw, lw.submit(unit_key="village_a").problem)
    fb = feedback_submit(
        actor=SYSTEM,
        channel=Channel.ONLINE,
        title="路灯不亮",
        content="村口路灯坏了三个月",
        unit=Unit.objects.get(code="150902101202"),
        reporter=Reporter(),
    )
    approved(lw, fb.problem)
    html = client.get(reverse("public:problems")).content.decode()
    assert '<span class="place">泉山社区 · 新体育场街道 · 集宁区</span>' in html
    assert '<span class="place">泉山社区 · 白海子镇 · 集宁区</span>' in html
