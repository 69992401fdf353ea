"""A bulletin seen in English (issue 15, item 6): the page's figure labels, counting words and
definitions, the workbook's sheet names and every cell the code writes are English; the only
Chinese left is data (the bulletin's own text, written in Chinese by its template, and the names
of the unit, the campaign and the activity types, which are records)."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from minqing.campaigns.models import CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import grant, small_tree
from minqing.reports.bulletins.renderers import render
from minqing.reports.bulletins.services import bulletin_generate

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
# a word the records are matched on, quoted as data in the English definitions (a position
# "contains 书记"): the match is on the Chinese records, so the definition must name it
MATCHED_WORDS = ("书记",)


def chinese(text: str) -> bool:
    for word in MATCHED_WORDS:
        text = text.replace(f"“{word}”", "").replace(f'"{word}"', "").replace(f"&quot;{word}&quot;", "")
    return bool(CJK.search(text))


NAME = "“三严三实”专题教育"


@pytest.fixture
def world():
    u = small_tree()
    campaign = campaign_create(
        actor=SYSTEM,
        name=NAME,
        scope=u["prefecture"],
        start_date=dt.date(2015, 5, 11),
        kind=CampaignKind.SPECIAL,
    )
    return u, campaign


def _data(doc) -> set[str]:
    """The cells that are data, allowed to stay Chinese: the document's text and the records' names."""
    from minqing.activities.models import ActivityType

    names = set(ActivityType.objects.values_list("name", flat=True))
    return {doc.title, doc.unit_name, f"{doc.unit_name}({doc.unit_code})", doc.campaign_name, *names}


def test_the_workbook_in_english_has_english_sheets_and_cells(world):
    u, campaign = world
    doc = bulletin_generate(actor=SYSTEM, unit=u["prefecture"], as_of=dt.date(2015, 6, 30), campaign=campaign)
    with override("en"):
        wb = load_workbook(io.BytesIO(render(doc, "xlsx")))
    assert not [s for s in wb.sheetnames if CJK.search(s)], wb.sheetnames
    allowed = _data(doc)
    cells = [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and chinese(c.value) and c.value not in allowed
    ]
    assert not cells, cells[:10]


def test_the_bulletin_page_in_english_shows_english_figures(client, world, django_user_model):
    u, _campaign = world
    user = django_user_model.objects.create_user("office", password="x")
    grant(user, Role.OFFICE, u["prefecture"])
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(reverse("reports:index"), {"unit": "150900000000", "as_of": "2015-06-30"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "June 30, 2015" in html  # the page's date in English
    table = html[html.index('id="figures"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", table)
    left = [c for c in cells if chinese(c)]
    assert not left, left[:10]
    # outside the bulletin's own text (lang="zh-CN") and the data names, no Chinese either
    body = html[html.index("<main") :]
    body = re.sub(r'<article class="bulletin".*?</article>', "", body, flags=re.S)
    body = re.sub(r"<textarea.*?</textarea>", "", body, flags=re.S)
    from minqing.orgs.models import Unit

    for name in sorted([*Unit.objects.values_list("name", flat=True), NAME], key=len, reverse=True):
        body = body.replace(name, "")  # data: the unit picker's names, the campaign's
    text = re.sub(r"<[^>]+>", " ", body)
    assert not chinese(text), re.findall(r"[^<>]*[\u3400-\u9fff][^<>]*", body)[:10]
