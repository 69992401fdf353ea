"""The activity's check-in QR code (an SVG made locally) and the printable page for the hall."""

import xml.etree.ElementTree as ET

import pytest

from minqing.activities.tests.activity_pages import ActivityWorld, make_world

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def aw(db) -> ActivityWorld:
    return make_world()


def test_qr_is_a_well_formed_svg_of_the_check_in_link(client, aw):
    a = aw.activity()
    client.force_login(aw.users["a_staff"])
    r = client.get(f"/activities/{a.number}/qr.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(r.content)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    title, path = root.find(f"{SVG}title"), root.find(f"{SVG}path")
    assert title is not None and title.text == f"http://testserver/a/{a.short_code}/"
    assert path is not None and path.get("d")  # the modules are drawn
    assert b"<script" not in r.content and b"http://testserver" in r.content


def test_the_qr_differs_by_activity(client, aw):
    one, two = aw.activity(), aw.activity(title="宣讲会")
    client.force_login(aw.users["a_staff"])
    first = client.get(f"/activities/{one.number}/qr.svg").content
    second = client.get(f"/activities/{two.number}/qr.svg").content
    assert first != second and two.short_code.encode() in second


def test_activity_page_shows_the_qr_the_link_and_the_poster_link(client, aw):
    a = aw.activity()
    client.force_login(aw.users["a_staff"])
    html = client.get(f"/activities/{a.number}/").content.decode()
    assert f'src="/activities/{a.number}/qr.svg"' in html
    assert f"http://testserver/a/{a.short_code}/" in html
    assert f'href="/activities/{a.number}/poster/"' in html


def test_poster_has_title_large_qr_and_short_link(client, aw):
    a = aw.activity(title="学习读书班(第一期)", place="街道三楼会议室")
    client.force_login(aw.users["a_office"])
    r = client.get(f"/activities/{a.number}/poster/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<h1 id="poster-title">学习读书班(第一期)</h1>' in html
    assert f'class="qr-large" id="poster-qr" src="/activities/{a.number}/qr.svg"' in html
    assert f"http://testserver/a/{a.short_code}/" in html and a.short_code in html
    assert 'class="menu"' not in html  # nothing but the poster to print
    assert "activities/poster.js" in html and "style=" not in html


def test_other_units_and_visitors_do_not_get_the_qr(client, aw):
    a = aw.activity()
    for path in (f"/activities/{a.number}/qr.svg", f"/activities/{a.number}/poster/"):
        assert client.get(path).status_code == 302  # to the login page
    client.force_login(aw.users["b_staff"])
    for path in (f"/activities/{a.number}/qr.svg", f"/activities/{a.number}/poster/"):
        assert client.get(path).status_code == 404


def test_headcount_activity_has_no_qr(client, aw):
    a = aw.activity(headcount=30)
    client.force_login(aw.users["a_staff"])
    assert client.get(f"/activities/{a.number}/qr.svg").status_code == 404
    assert client.get(f"/activities/{a.number}/poster/").status_code == 404
    assert "qr.svg" not in client.get(f"/activities/{a.number}/").content.decode()
