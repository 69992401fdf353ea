"""The dashboard page: who may see which unit, the tables without JavaScript, the data for the
charts, drill-down links and the CSV of the child units."""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.ledger.models import Problem, ProblemEvent
from minqing.orgs.actors import SYSTEM
from minqing.reports.tests.dashboard_world import DashWorld, make_world

URL = reverse("reports:dashboard")
YEAR: dict[str, str] = {"start": "2019-01-01", "end": "2019-12-31"}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def w(db) -> DashWorld:
    return make_world()


def login(client: Client, w: DashWorld, name: str) -> Client:
    client.force_login(w.users[name])
    return client


def state() -> tuple[int, int, int]:
    """What a request, allowed or denied, must leave as it was (the page only reads)."""
    audit = AuditEvent.objects.exclude(action__in=[AuditEvent.Action.ACCESS_DENIED, AuditEvent.Action.EXPORT])
    return Problem.objects.count(), ProblemEvent.objects.count(), audit.count()


def payload(html: str) -> dict:
    m = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "no json_script payload"
    return json.loads(m.group(1))


def test_anonymous_is_sent_to_login(client: Client, w: DashWorld) -> None:
    r = client.get(URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_county_office_sees_its_county_with_every_table(client: Client, w: DashWorld) -> None:
    login(client, w, "county_office")
    before = state()
    r = client.get(URL, {"unit": w.u["county"].code, **YEAR})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="problems">4<' in html
    assert 'data-figure="on-the-spot-rate">50%<' in html
    assert 'data-figure="overdue">1<' in html
    assert 'data-figure="person-times">33<' in html
    for table in ("problems-by-state", "problems-by-source", "problems-by-channel", "activities-by-type"):
        assert f'id="{table}"' in html
    assert '<tr data-key="letter"><td>来信</td><td class="num">1</td></tr>' in html
    assert '<tr data-key="none"><td>未注明渠道</td><td class="num">1</td></tr>' in html
    assert '<tr data-key="public"><td>群众反映</td><td class="num">3</td></tr>' in html
    assert '<tr data-key="assigned"><td>已交办</td><td class="num">2</td></tr>' in html
    assert 'id="activities-series"' in html and 'data-bucket="2019-03"' in html
    assert "危房改造" in html and "40%" in html
    # drill-down: the child units link to their own dashboard for the same period
    town_a = w.u["town_a"]
    assert f'href="{URL}?unit={town_a.code}&amp;start=2019-01-01&amp;end=2019-12-31"' in html
    assert "卓资山镇" not in html  # a unit of another county is no child of this one
    data = payload(html)
    assert data["state"]["values"][data["state"]["keys"].index("assigned")] == 2
    assert data["types"]["labels"][0] == "读书班"
    assert data["series"]["personTimes"][2] == 32
    assert data["children"]["labels"] == ["新体育场街道", "白海子镇"]
    assert data["children"]["urls"][0].startswith(f"{URL}?unit={town_a.code}")
    assert data["map"]["files"] == ["/static/reports/geo/ulanqab_counties.geojson"]
    areas = {a["code"]: a for a in data["map"]["areas"]}
    assert areas["150902"]["current"] and areas["150902"]["values"]["problems"] == 4
    assert areas["150921"]["values"] is None and areas["150921"]["url"] == ""
    assert data["programmes"][0]["shares"] == [40.0]
    assert "<script>" not in html.split('id="dashboard-data"')[1]  # no inline script after the data
    assert state() == before


def test_drill_down_from_the_prefecture_map(client: Client, w: DashWorld) -> None:
    login(client, w, "city_office")
    data = payload(client.get(URL, YEAR).content.decode())  # default: the user's first unit
    areas = {a["code"]: a for a in data["map"]["areas"]}
    assert areas["150902"]["url"] and areas["150921"]["url"]
    r = client.get(areas["150921"]["url"])
    assert r.status_code == 200
    assert 'id="dashboard-unit">卓资县<' in r.content.decode()


def test_the_default_unit_is_the_users_first_and_the_period_this_year(client: Client, w: DashWorld) -> None:
    login(client, w, "a_staff")
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="dashboard-unit">新体育场街道<' in html
    assert f'<option value="{w.u["town_a"].code}" selected>' in html
    picker = re.search(r'<select id="f-unit".*?</select>', html, re.S)
    assert picker is not None and w.u["county"].code not in picker.group(0)


@pytest.mark.parametrize("unit", ["county", "town_b", "town_z"])
def test_units_out_of_the_subtree_read_as_missing(client: Client, w: DashWorld, unit: str) -> None:
    login(client, w, "a_staff")
    before = state()
    r = client.get(URL, {"unit": w.u[unit].code, **YEAR})
    assert r.status_code == 200 and r.context["unit"] == w.u["town_a"]  # an inline error, the period kept
    errors = [str(m) for m in r.context["messages"]]
    assert len(errors) == 1 and r.context["period"].start.year == 2019
    assert w.u[unit].name not in errors[0]  # the error never names a unit out of scope
    assert state() == before


def test_other_county_and_unknown_units_are_inline_errors(client: Client, w: DashWorld) -> None:
    login(client, w, "z_office")
    for code in (w.u["county"].code, "NO-SUCH-UNIT"):
        r = client.get(URL, {"unit": code})
        assert r.status_code == 200 and r.context["unit"] not in (w.u["county"], None), code
        assert [m.level_tag for m in r.context["messages"]] == ["error"], code
    assert client.get(URL, {"unit": w.u["town_z"].code}).status_code == 200


def test_a_user_without_a_role_sees_nothing(client: Client, w: DashWorld) -> None:
    login(client, w, "norole")
    before = state()
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"unit": w.u["county"].code}).status_code == 404
    assert state() == before


def test_a_campaign_out_of_sight_is_ignored(client: Client, w: DashWorld) -> None:
    from minqing.campaigns.services import campaign_create

    other = campaign_create(
        actor=SYSTEM, name="卓资专题", scope=w.u["county_z"], start_date=w.programme.start_date
    )
    login(client, w, "a_staff")
    r = client.get(URL, {"campaign": str(other.pk), **YEAR})
    assert r.status_code == 200
    assert "卓资专题" not in r.content.decode()


def test_a_reversed_period_is_reported(client: Client, w: DashWorld) -> None:
    login(client, w, "county_office")
    r = client.get(URL, {"start": "2019-12-31", "end": "2019-01-01"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "结束日期不能早于开始日期" in html and 'id="dashboard-data"' not in html


def test_the_child_units_csv(client: Client, w: DashWorld) -> None:
    login(client, w, "county_office")
    r = client.get(URL, {"unit": w.u["county"].code, "format": "csv", **YEAR})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["单位代码", "单位名称", "问题数"]
    assert rows[1] == [w.u["county"].code, "集宁区", "4", "2", "1", "1", "3", "33"]
    assert rows[2] == [w.u["town_a"].code, "新体育场街道", "3", "2", "1", "0", "2", "32"]
    assert len(rows) == 4
    login(client, w, "a_staff")
    assert client.get(URL, {"unit": w.u["county"].code, "format": "csv"}).status_code == 404


def test_without_echarts_the_page_says_so_and_loads_no_script(
    client: Client, w: DashWorld, monkeypatch
) -> None:
    from minqing.reports.views import dashboard as view

    monkeypatch.setattr(view, "echarts_available", lambda: False)
    login(client, w, "county_office")
    html = client.get(URL, YEAR).content.decode()
    assert 'id="charts-missing"' in html
    assert "vendor/echarts/echarts.min.js" not in html
    assert payload(html)["echarts"] is False
    assert 'id="problems-by-state"' in html  # the tables remain


def test_a_period_without_records_says_why_its_figures_are_zero(client: Client, w: DashWorld) -> None:
    login(client, w, "county_office")
    r = client.get(URL, {"unit": w.u["county"].code, "start": "2015-01-01", "end": "2015-12-31"})
    html = r.content.decode()
    assert 'id="why-zero"' in html and "所选时段内没有记录" in html
    link = re.search(r'id="why-zero".*?<a href="([^"]+)"', html, re.S)
    assert link, html
    shown = client.get(link.group(1).replace("&amp;", "&"))
    later = shown.content.decode()
    assert 'id="why-zero"' not in later and 'data-figure="problems">0<' not in later
    assert "start=2019-" in link.group(1)  # the first record's month, not 2015
    # a period with records says nothing of the kind
    assert 'id="why-zero"' not in client.get(URL, {"unit": w.u["county"].code, **YEAR}).content.decode()


def test_a_unit_without_any_records_says_so(client: Client, w: DashWorld) -> None:
    from minqing.orgs.models import Unit

    empty = Unit.objects.filter(kind="grid").exclude(path__in=Problem.objects.values("path")).first()
    assert empty is not None
    login(client, w, "county_office")
    html = client.get(URL, {"unit": empty.code, **YEAR}).content.decode()
    assert 'id="why-zero"' in html and "还没有任何问题或活动记录" in html
