"""The bulletin pages: generate, download, publish, the published list and its checks, the
templates; every endpoint allowed, denied and out of the user's subtree (denials change nothing)."""

import json

import pytest
from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.services import bulletin_publish
from minqing.reports.models import Bulletin, BulletinTemplate
from minqing.reports.tests.test_bulletin_world import AS_OF, at, isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db

COUNTY, TOWN_A, TOWN_B = "150902000000", "150902001000", "150902101000"


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def bw():
    return make_bulletin_world()


def login(client, bw, name):
    client.force_login(bw.users[name])
    return client


def q(unit=COUNTY, as_of="2019-12-20", **kw):
    return {"unit": unit, "as_of": as_of, **kw}


def snapshot():
    return (
        Bulletin.objects.count(),
        list(Bulletin.objects.values_list("checked_at", flat=True)),
        list(BulletinTemplate.objects.values_list("kind", "title", "body")),
        AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    )


# --- the bulletin page and downloads ---------------------------------------------------------


def test_bulletin_page_shows_sentences_figures_and_buttons(client, bw):
    r = login(client, bw, "county_office").get(reverse("reports:index"), q())
    assert r.status_code == 200
    doc = r.context["doc"]
    assert doc.paragraphs[0] == "截至2019年12月20日，集宁区共举办活动2次，占计划的50%。"
    html = r.content.decode()
    assert "截至2019年12月20日，集宁区共举办活动2次" in html
    assert 'data-metric="test.share"' in html and "50%" in html
    for fmt in ("txt", "json", "docx", "pdf", "xlsx"):
        assert reverse("reports:download", args=[fmt]) in html
    assert 'id="publish-form"' in html
    assert r.context["query"].campaign == bw.campaign  # the default campaign
    assert [u.code for u in r.context["units"]] == [COUNTY, TOWN_A, TOWN_B]  # the picker: the scope only


def test_bulletin_page_defaults_and_scope(client, bw):
    r = login(client, bw, "a_staff").get(reverse("reports:index"), {"as_of": "2019-12-20"})
    assert r.context["doc"].unit_code == TOWN_A  # the user's own unit by default
    assert r.context["doc"].figure("test.sessions").value == 1
    assert 'id="publish-form"' not in r.content.decode()  # staff, not office
    assert [u.code for u in r.context["units"]] == [TOWN_A]
    # out of the subtree: like a missing unit, nothing computed
    r = client.get(reverse("reports:index"), q(TOWN_B))
    assert r.context["doc"] is None and "不在您的管辖范围内" in r.content.decode()
    r = client.get(reverse("reports:index"), q(COUNTY))
    assert r.context["doc"] is None


def test_bulletin_page_errors(client, bw):
    login(client, bw, "county_office")
    r = client.get(reverse("reports:index"), q(as_of="2019-02-30"))
    assert r.context["doc"] is None and "2019-02-30" in r.content.decode()
    r = client.get(reverse("reports:index"), q(as_of="2019-06-01"))
    assert "没有覆盖单位“集宁区”的正在开展的专题" in r.content.decode()
    r = login(client, bw, "norole").get(reverse("reports:index"))
    assert r.status_code == 200 and r.context["doc"] is None and "没有可访问的单位" in r.content.decode()


def test_anonymous_is_sent_to_login(client, bw):
    for url in (
        reverse("reports:index"),
        reverse("reports:download", args=["txt"]),
        reverse("reports:published"),
        reverse("reports:templates"),
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("txt", "text/plain", "集宁区第二批主题教育简报".encode()),
        ("json", "application/json", b"{"),
        ("docx", "wordprocessingml", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "spreadsheetml", b"PK"),
    ],
)
def test_downloads(client, bw, fmt, content_type, magic):
    r = login(client, bw, "viewer").get(reverse("reports:download", args=[fmt]), q())
    assert r.status_code == 200
    assert content_type in r["Content-Type"]
    assert r.content.startswith(magic)
    assert "attachment" in r["Content-Disposition"] and f".{fmt}" in r["Content-Disposition"]
    if fmt == "json":
        assert json.loads(r.content)["test.sessions"] == 2


def test_download_denied_and_out_of_subtree(client, bw):
    login(client, bw, "a_staff")
    assert client.get(reverse("reports:download", args=["txt"]), q(TOWN_B)).status_code == 404
    assert client.get(reverse("reports:download", args=["txt"]), q(COUNTY)).status_code == 404
    assert client.get(reverse("reports:download", args=["exe"]), q(TOWN_A)).status_code == 404
    r = client.get(reverse("reports:download", args=["txt"]), q(TOWN_A, as_of="bad"))
    assert r.status_code == 400 and "YYYY-MM-DD" in r.content.decode()
    assert client.get(reverse("reports:download", args=["txt"]), q(TOWN_A)).status_code == 200
    login(client, bw, "norole")
    assert client.get(reverse("reports:download", args=["txt"]), q(TOWN_A)).status_code == 404


# --- publish ----------------------------------------------------------------------------------


def test_publish_allowed(client, bw):
    login(client, bw, "county_office")
    r = client.post(reverse("reports:publish"), {**q(), "campaign": bw.campaign.pk})
    b = Bulletin.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:published_detail", args=[b.pk])
    assert b.unit.code == COUNTY and b.published_by == bw.users["county_office"] and b.number == 1
    assert client.get(reverse("reports:publish")).status_code == 405


def test_publish_denied_changes_nothing(client, bw):
    before = snapshot()
    # staff of town_a: in scope but not the office
    assert login(client, bw, "a_staff").post(reverse("reports:publish"), q(TOWN_A)).status_code == 403
    # viewer of the county: not the office
    assert login(client, bw, "viewer").post(reverse("reports:publish"), q(COUNTY)).status_code == 403
    # the office of town_a, for town_b or the county: out of its subtree
    login(client, bw, "a_office")
    assert client.post(reverse("reports:publish"), q(TOWN_B)).status_code == 404
    assert client.post(reverse("reports:publish"), q(COUNTY)).status_code == 404
    assert snapshot() == before
    # but its own unit is fine
    assert client.post(reverse("reports:publish"), q(TOWN_A)).status_code == 302
    assert Bulletin.objects.get().unit.code == TOWN_A


def test_publish_future_date_is_refused(client, bw):
    before = snapshot()
    login(client, bw, "county_office")
    r = client.post(
        reverse("reports:publish"), {**q(as_of="2099-12-20"), "campaign": bw.campaign.pk}, follow=True
    )
    assert "晚于今天" in r.content.decode()
    assert snapshot() == before


# --- published list, detail, downloads, checks -------------------------------------------------


@pytest.fixture
def published(bw):
    return {
        "county": bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign),
        "town_b": bulletin_publish(actor=SYSTEM, unit=bw.u["town_b"], as_of=AS_OF, campaign=bw.campaign),
    }


def test_published_list_is_scoped(client, bw, published):
    r = login(client, bw, "county_office").get(reverse("reports:published"))
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 2
    r = login(client, bw, "b_staff").get(reverse("reports:published"))
    assert [b.pk for b in r.context["page_obj"]] == [published["town_b"].pk]
    r = login(client, bw, "a_staff").get(reverse("reports:published"))
    assert r.context["page_obj"].paginator.count == 0
    r = login(client, bw, "county_office").get(reverse("reports:published"), {"unit": TOWN_B})
    assert [b.pk for b in r.context["page_obj"]] == [published["town_b"].pk]


def test_published_export_is_scoped(client, bw, published):
    r = login(client, bw, "b_staff").get(reverse("reports:published_export"))
    body = r.content.decode("utf-8-sig")
    assert r.status_code == 200 and "白海子镇" in body and "集宁区第二批" not in body


def test_published_detail_and_downloads(client, bw, published):
    b = published["county"]
    login(client, bw, "viewer")
    r = client.get(reverse("reports:published_detail", args=[b.pk]))
    assert r.status_code == 200 and "集宁区共举办活动2次" in r.content.decode()
    r = client.get(reverse("reports:published_download", args=[b.pk, "json"]))
    assert json.loads(r.content)["test.sessions"] == 2 and json.loads(r.content)["number"] == 1
    assert client.get(reverse("reports:published_download", args=[b.pk, "docx"])).content.startswith(b"PK")
    assert client.get(reverse("reports:published_download", args=[b.pk, "exe"])).status_code == 404
    # out of the subtree: 404, as for a missing one
    login(client, bw, "a_staff")
    assert client.get(reverse("reports:published_detail", args=[b.pk])).status_code == 404
    assert client.get(reverse("reports:published_download", args=[b.pk, "txt"])).status_code == 404
    assert client.get(reverse("reports:published_detail", args=[99999])).status_code == 404


def test_check_shows_the_warning_when_a_back_dated_record_changes_a_figure(client, bw, published):
    b = published["county"]
    login(client, bw, "viewer")
    r = client.post(reverse("reports:published_check", args=[b.pk]), {"next": "list"}, follow=True)
    assert "数据与发布时一致" in r.content.decode() and "check-warning" not in r.content.decode()
    bw.activity("town_a", at(31, 12))  # after the as-of date: nothing changes
    bw.activity("town_a", at(1, 12))  # back-dated: the published figures are now stale
    r = client.post(reverse("reports:published_check", args=[b.pk]), follow=True)
    html = r.content.decode()
    assert 'id="check-warning"' in html and "test.sessions" in html
    b.refresh_from_db()
    assert {c["id"] for c in b.changes} == {"test.sessions", "test.share", "test.funds", "test.households"}
    r = client.get(reverse("reports:published"))
    assert "check-warning" in r.content.decode()
    r = client.get(reverse("reports:published"), {"changed": "yes"})
    assert [x.pk for x in r.context["page_obj"]] == [b.pk]
    # the frozen text is untouched
    assert "活动2次" in b.text


def test_check_denied_out_of_subtree_changes_nothing(client, bw, published):
    before = snapshot()
    login(client, bw, "a_staff")
    assert client.post(reverse("reports:published_check", args=[published["county"].pk])).status_code == 404
    assert client.get(reverse("reports:published_check", args=[published["county"].pk])).status_code == 405
    assert snapshot() == before


def test_check_all_checks_only_what_the_user_sees(client, bw, published):
    login(client, bw, "b_staff")
    r = client.post(reverse("reports:published_check_all"), follow=True)
    assert "已核对 1 期简报" in r.content.decode()
    checked = dict(Bulletin.objects.values_list("unit__code", "checked_at"))
    assert checked[TOWN_B] is not None and checked[COUNTY] is None


# --- templates --------------------------------------------------------------------------------


# page tests of the templates: test_bulletin_templates.py


def test_admin_refuses_templates_to_every_administrator(client, bw):
    """Templates are the office's (its page); the admin site refuses them to every duty (三员分立)
    and to a superuser without one."""
    from minqing.orgs.enums import Duty
    from minqing.orgs.tests.factories import UserFactory, duty_user

    t = BulletinTemplate.objects.get(kind="themed")
    url = reverse("admin:reports_bulletintemplate_change", args=[t.pk])
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert (
        client.post(url, {"kind": "themed", "title": "{unit}", "body": "{test.sessions}"}).status_code == 302
    )
    for duty in Duty:
        client.force_login(duty_user(f"admin_{duty}", duty))
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"kind": "themed", "title": "{unit}", "body": "{test.sessions}"}).status_code
            == 403
        )
    t.refresh_from_db()
    assert t.body != "{test.sessions}"


def test_menu_links(client, bw):
    html = login(client, bw, "viewer").get(reverse("reports:templates")).content.decode()
    for name in ("reports:index", "reports:published", "reports:templates", "reports:dashboard"):
        assert f'href="{reverse(name)}"' in html
