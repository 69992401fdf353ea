"""Reads never write: the dashboard and a bulletin are read inside a read-only transaction.

The world: the dashboard tests' world (``dashboard_world.make_world``) with its rollups
refreshed, a campaign over the prefecture, and then one more 读书班 with a roster and one more
problem of the campaign, not folded into the rollups (the tail): the reads must count that tail
from the tables, and must not refresh the rollups to do it.

How "read-only" is checked:

- on PostgreSQL (``DATABASE_URL`` set) the reads run inside ``transaction.atomic()`` after
  ``SET TRANSACTION READ ONLY``, so the server itself refuses any write (an INSERT, an UPDATE,
  a SELECT ... FOR UPDATE) with an error, as a read-only replica would. The block ends rolled
  back: the setting, made in the test's savepoint, would otherwise stay on for the rest of the
  test's transaction (the refresh below writes);
- on either database every query of the block is captured (``CaptureQueriesContext``) and none
  may write or lock (INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP, ALTER, TRUNCATE, LOCK, FOR
  UPDATE / SHARE), wrapped in a savepoint or not.

What runs in the block: the dashboard page (past year, this year's running period, and its CSV)
and the bulletin page through the test client as a signed-in office user, and the bulletin's
generation rendered as txt and json (``bulletin_generate`` and the renderers, what the download
view and the command print). The download view itself is not used: it appends an audit row on
purpose (who exported which bulletin), a write of the view, not of the reading. Signing in
(``force_login`` saves the session and ``last_login``) happens before the block; during the
requests the session is only read (Django saves it only when modified, and these pages neither
modify it nor add a message), so the pages are checked whole, middleware included.

Then the rollups are refreshed and the same figures read again: they must be equal. The test
runs twice: with the tail read beside the rollups, and with ``TAIL_ROWS = 0`` so that every
count takes the tables-only path.
"""

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minqing.activities import counting
from minqing.activities.models import ActivityType
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.activities.services.rollups import pending_rows, rollups_refresh
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.ledger.enums import Source
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.reports.bulletins.renderers import render
from minqing.reports.bulletins.services import bulletin_generate
from minqing.reports.dashboard.selectors import dashboard
from minqing.reports.tests.dashboard_world import YEAR_2019, DashWorld, at, make_world

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2019, 12, 31)
WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE|LOCK)\b|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def read_only() -> Iterator[list[str]]:
    """A read-only transaction (enforced by PostgreSQL, captured on both); yields the SQL run in
    it once the block ends."""
    sql: list[str] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        with CaptureQueriesContext(connection) as captured:
            yield sql
        sql.extend(q["sql"] for q in captured.captured_queries)
        transaction.set_rollback(True)  # undo the read-only setting with the savepoint


def world() -> tuple[DashWorld, Campaign]:
    w = make_world()
    office = w.users["city_office"]
    campaign = campaign_create(
        actor=office,
        name="主题教育",
        scope=w.u["prefecture"],
        start_date=dt.date(2019, 1, 1),
        kind=CampaignKind.THEMED,
    )
    rollups_refresh()
    # the tail: on a day and in a month the rollups already hold, the same two people as 读书班一期
    reading = ActivityType.objects.get(code="reading_class")
    act = activity_create(
        actor=office,
        type=reading,
        organiser=w.u["town_a"],
        title="读书班二期",
        start=at(3, 10),
        campaign=campaign,
    )
    for person in w.people.values():
        attendance_check_in(actor=office, activity=act, person=person, at=at(3, 10))
    problem_register(
        actor=office,
        facts=ProblemFacts(
            title="路面积水",
            description="雨后积水",
            unit=w.u["village_a"],
            source=Source.PUBLIC,
            campaign=campaign,
            registered_at=at(9, 1),
        ),
    )
    return w, campaign


def dashboard_csv(w: DashWorld, client: Client) -> str:
    """The dashboard's csv: outside the read-only block, since an export writes its audit row."""
    csv = client.get(
        reverse("reports:dashboard"),
        {"unit": w.u["prefecture"].code, "start": "2019-01-01", "end": "2019-12-31", "format": "csv"},
    )
    assert csv.status_code == 200
    return str(csv.content.decode("utf-8-sig"))


def figures(w: DashWorld, campaign: Campaign, client: Client) -> dict[str, Any]:
    """Everything the pages and the bulletin show, as plain values (no CSRF tokens)."""
    unit = w.u["prefecture"]
    pages = {
        "dashboard": client.get(
            reverse("reports:dashboard"), {"unit": unit.code, "start": "2019-01-01", "end": "2019-12-31"}
        ),
        "dashboard_now": client.get(reverse("reports:dashboard"), {"unit": unit.code}),
        "bulletin_page": client.get(
            reverse("reports:index"), {"unit": unit.code, "as_of": AS_OF.isoformat(), "campaign": campaign.pk}
        ),
    }
    assert {k: r.status_code for k, r in pages.items()} == dict.fromkeys(pages, 200)
    d = dashboard(w.users["city_office"], unit, YEAR_2019)
    doc = bulletin_generate(unit=unit, as_of=AS_OF, campaign=campaign, actor=w.users["city_office"])
    return {
        "types": {t.type.code: (t.sessions, t.person_times, t.people) for t in d.types},
        "series": [(s.label, s.sessions, s.person_times) for s in d.series],
        "children": {r.unit.code: r.values() for r in d.children},
        "problems": (d.problems.by_state, d.problems.by_source, d.problems.by_channel, d.problems.overdue),
        "txt": render(doc, "txt"),
        "json": json.loads(render(doc, "json")),
    }


@pytest.mark.parametrize("tail_rows", [counting.TAIL_ROWS, 0])
def test_the_dashboard_and_a_bulletin_read_in_a_read_only_transaction(
    client: Client, monkeypatch: pytest.MonkeyPatch, tail_rows: int
) -> None:
    w, campaign = world()
    monkeypatch.setattr(counting, "TAIL_ROWS", tail_rows)
    waiting = pending_rows()
    assert waiting == 3  # one activity, two attendance rows
    client.force_login(w.users["city_office"])

    with read_only() as sql:
        got = figures(w, campaign, client)
    got_csv = dashboard_csv(w, client)
    writes = [q for q in sql if WRITE.search(q)]
    assert sql and writes == []
    assert pending_rows() == waiting  # nothing refreshed the rollups (the csv neither)

    # the tail is counted: 读书班 一期, 二期 (town_a), 白海子镇's and 卓资's; the same two people
    assert got["types"]["reading_class"] == (4, 15, 2)
    assert got["json"]["study.reading_class.sessions"] == 1  # of the campaign: the tail's only
    assert got["json"]["study.reading_class.people"] == 2
    assert got["json"]["problems.public.count"] == 1

    rollups_refresh()
    assert pending_rows() == 0
    assert figures(w, campaign, client) == got
    assert dashboard_csv(w, client) == got_csv
