"""A campaign's bulletin notes (简报说明): written by the office of its scope, printed after the
text of every bulletin of the campaign (all formats), frozen with a published one."""

import json

import pytest
from django.urls import reverse

from minqing.campaigns.services import NOTES_MAX, campaign_set_bulletin_notes, clean_notes
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.renderers import render
from minqing.reports.bulletins.services import (
    bulletin_generate,
    bulletin_publish,
    notes_paragraph,
    published_doc,
)
from minqing.reports.tests.test_bulletin_world import AS_OF, at, isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db

COUNTY = "150902000000"


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def bw():
    return make_bulletin_world()


def test_notes_paragraph_forms():
    assert notes_paragraph([]) is None
    assert notes_paragraph(["  ", ""]) is None
    assert notes_paragraph(["数据截至当日17时。"]) == "（说明：数据截至当日17时。）"
    assert notes_paragraph(["甲;", "乙。"]) == "（说明：1.甲；2.乙。）"
    assert clean_notes("  甲 \n\n 乙\n") == "甲\n乙"


def test_office_sets_notes_and_every_bulletin_prints_them(bw):
    before = bulletin_generate(actor=SYSTEM, unit=bw.u["town_a"], as_of=AS_OF, campaign=bw.campaign)
    campaign = campaign_set_bulletin_notes(
        actor=bw.users["county_office"], campaign=bw.campaign, notes="现行区划有 121 个村级单位\n"
    )
    assert campaign.bulletin_notes == "现行区划有 121 个村级单位"
    assert AuditEvent.objects.filter(action="update", object_type="campaigns.campaign").count() == 1
    doc = bulletin_generate(actor=SYSTEM, unit=bw.u["town_a"], as_of=AS_OF, campaign=campaign)
    assert doc.paragraphs[-1] == "（说明：现行区划有 121 个村级单位。）"
    assert doc.paragraphs[:-1] == before.paragraphs  # the text is the same, the notes follow it
    assert "（说明：现行区划有 121 个村级单位。）" in render(doc, "txt").decode()
    assert json.loads(render(doc, "json"))["text"][-1] == doc.paragraphs[-1]
    # the same text again writes nothing more
    campaign_set_bulletin_notes(
        actor=bw.users["county_office"], campaign=campaign, notes="现行区划有 121 个村级单位"
    )
    assert AuditEvent.objects.filter(action="update", object_type="campaigns.campaign").count() == 1


def test_published_bulletin_keeps_the_notes_it_was_published_with(bw):
    campaign = campaign_set_bulletin_notes(actor=SYSTEM, campaign=bw.campaign, notes="甲")
    office = bw.users["county_office"]
    b = bulletin_publish(actor=office, unit=bw.u["county"], as_of=AS_OF, campaign=campaign, at=at(21, 12))
    campaign_set_bulletin_notes(actor=SYSTEM, campaign=bw.campaign, notes="乙")
    assert published_doc(b).paragraphs[-1] == "（说明：甲。）"
    bw.campaign.refresh_from_db()
    now = bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert now.paragraphs[-1] == "（说明：乙。）"


@pytest.mark.parametrize("user", ["a_office", "viewer", "a_staff"])
def test_only_the_office_of_the_scope_sets_notes(bw, user):
    with pytest.raises(PermissionDeniedError):
        campaign_set_bulletin_notes(actor=bw.users[user], campaign=bw.campaign, notes="甲")
    bw.campaign.refresh_from_db()
    assert bw.campaign.bulletin_notes == ""


def test_notes_too_long_are_refused_whole(bw):
    with pytest.raises(DomainError) as err:
        campaign_set_bulletin_notes(actor=SYSTEM, campaign=bw.campaign, notes="长" * (NOTES_MAX + 1))
    assert err.value.code is ErrorCode.BULLETIN_NOTES_TOO_LONG
    assert str(NOTES_MAX) in err.value.message
    bw.campaign.refresh_from_db()
    assert bw.campaign.bulletin_notes == ""


def test_notes_form_on_the_bulletin_page(client, bw):
    client.force_login(bw.users["county_office"])
    page = client.get(reverse("reports:index"), {"unit": COUNTY, "as_of": "2019-12-20"})
    assert 'id="notes-form"' in page.content.decode()
    data = {"unit": COUNTY, "as_of": "2019-12-20", "campaign": bw.campaign.pk, "bulletin_notes": "口径说明"}
    r = client.post(reverse("reports:notes"), data)
    assert r.status_code == 302 and r["Location"].startswith(reverse("reports:index"))
    page = client.get(r["Location"])
    assert "（说明：口径说明。）" in page.content.decode()
    r = client.post(reverse("reports:notes"), {**data, "bulletin_notes": "长" * (NOTES_MAX + 1)}, follow=True)
    assert "简报说明共" in r.content.decode()
    bw.campaign.refresh_from_db()
    assert bw.campaign.bulletin_notes == "口径说明"


def test_notes_form_denied(client, bw):
    data = {"unit": COUNTY, "as_of": "2019-12-20", "campaign": bw.campaign.pk, "bulletin_notes": "甲"}
    client.force_login(bw.users["viewer"])
    page = client.get(reverse("reports:index"), {"unit": COUNTY, "as_of": "2019-12-20"})
    assert 'id="notes-form"' not in page.content.decode()
    assert client.post(reverse("reports:notes"), data).status_code == 403
    client.force_login(bw.users["a_office"])
    assert client.post(reverse("reports:notes"), data).status_code in (403, 404)
    assert client.get(reverse("reports:notes")).status_code == 405
    bw.campaign.refresh_from_db()
    assert bw.campaign.bulletin_notes == ""
