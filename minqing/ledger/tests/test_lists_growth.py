"""The public list and the staff queue cost the same however long the ledger grows (issue 17,
part 5): keyset pages through plain links, counts that stop at ``COUNT_CAP + 1`` rows."""

import datetime
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.ledger import selectors
from minqing.ledger.enums import OPEN_STATES, Moderation, State
from minqing.ledger.keyset import COUNT_CAP, Key
from minqing.ledger.models import Problem
from minqing.ledger.selectors import EXACT_MAX
from minqing.ledger.tests.pages import login

pytestmark = pytest.mark.django_db

PUBLIC = "/public/problems/"
QUEUE = "/ledger/"
TIES = 3  # problems registered at the same instant


def many(lw, n: int, **fields) -> list[int]:
    """``n`` public problems like one reported on the form, registered in groups of ``TIES`` at the
    same instant; their ids newest first (the lists' order: registered_at, then id)."""
    first = lw.submit(unit_key="village_a").problem
    Problem.objects.filter(pk=first.pk).update(is_public=True, moderation=Moderation.APPROVED, **fields)
    row: dict[str, Any] = {
        k: v for k, v in Problem.objects.filter(pk=first.pk).values().get().items() if k != "id"
    }
    start = row["registered_at"]
    Problem.objects.bulk_create(
        Problem(
            **{
                **row,
                "number": f"T{first.pk}-{i}",
                "registered_at": start - datetime.timedelta(minutes=1 + i // TIES),
            }
        )
        for i in range(n - 1)
    )
    return list(Problem.objects.order_by("-registered_at", "-id").values_list("id", flat=True))


def _link(page_html: str, rel: str) -> str | None:
    m = re.search(rf'<a href="([^"]*)" rel="{rel}">', page_html)
    return html.unescape(m.group(1)) if m else None


def _follow(client, path: str, query: str, rel: str) -> list[list[int]]:
    pages = []
    url: str | None = path + query
    while url is not None:
        r = client.get(url)
        assert r.status_code == 200
        pages.append([p.pk for p in r.context["page_obj"]])
        link = _link(r.content.decode(), rel)
        url = path + link if link is not None else None
    return pages


def test_public_pages_walk_every_row_once_with_ties(client, lw, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 7)  # pages end inside groups of ties
    ids = many(lw, 40)
    forward = _follow(client, PUBLIC, "", "next")
    assert [len(p) for p in forward] == [7, 7, 7, 7, 7, 5]
    assert [pk for page in forward for pk in page] == ids  # each once, in order
    # back from the last page by the previous-page links: the same pages
    last_query = "?after=" + Key.of(Problem.objects.get(pk=forward[-2][-1])).encode()
    backward = _follow(client, PUBLIC, last_query, "prev")
    assert backward == forward[::-1]


def test_public_pages_keep_the_filters(client, lw, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    ids = many(lw, 12, state=State.ASSIGNED)
    lw.submit(unit_key="village_a")  # not public, not shown
    query = f"?state={State.ASSIGNED}&unit={lw.u['town_a'].code}"
    pages = _follow(client, PUBLIC, query, "next")
    assert [pk for page in pages for pk in page] == ids
    assert pages[0] and f"state={State.ASSIGNED}" in (
        _link(client.get(PUBLIC + query).content.decode(), "next") or ""
    )
    assert _follow(client, PUBLIC, f"?state={State.CLOSED}", "next") == [[]]


def test_queue_pages_walk_every_row_once_with_ties(client, lw, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    ids = many(lw, 22)
    login(client, lw.users["county_office"])
    for query in ("?tab=unit", "?tab=unit&state=registered"):
        forward = _follow(client, QUEUE, query, "next")
        assert [pk for page in forward for pk in page] == ids, query
        next_link = _link(client.get(QUEUE + query).content.decode(), "next") or ""
        assert ("state=registered" in next_link) == ("state=" in query) and "tab=unit" in next_link
        last = "?" + query.lstrip("?") + "&after=" + Key.of(Problem.objects.get(pk=forward[-2][-1])).encode()
        assert _follow(client, QUEUE, last, "prev") == forward[::-1]


def test_a_broken_cursor_shows_the_first_page(client, lw) -> None:
    ids = many(lw, 3)
    for query in ("?after=abc", "?before=1.x", "?after=99999999999999999999999.1", "?page=7"):
        r = client.get(PUBLIC + query)
        assert r.status_code == 200 and [p.pk for p in r.context["page_obj"]] == ids, query


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _bounded(sqls: list[str]) -> None:
    """Every COUNT of problems counts a subquery of at most ``COUNT_CAP + 1`` or ``EXACT_MAX + 1``
    rows (the queue groups by state at most that many). (The menu's count of the user's own
    unread notifications is not a list's.)"""
    for sql in (s for s in sqls if "ledger_problem" in s):
        limits = len(re.findall(rf"LIMIT ({COUNT_CAP + 1}|{EXACT_MAX + 1})\b", sql))
        assert sql.count("COUNT(") == limits, sql


def test_views_take_as_many_queries_however_many_rows(client, lw, django_assert_max_num_queries) -> None:
    many(lw, 3)
    login(client, lw.users["county_office"])
    small = {url: _queries(client, url) for url in (PUBLIC, QUEUE)}
    many(lw, 300)
    for url, before in small.items():
        after = _queries(client, url)
        assert len(after) == len(before), url
        _bounded(after)
        with django_assert_max_num_queries(len(before)):
            client.get(url)
    # the public list reads problems twice: the capped count and the page
    assert sum("ledger_problem" in sql for sql in small[PUBLIC]) == 2


def test_counts_stop_at_the_cap(client, lw) -> None:
    many(lw, COUNT_CAP + 5)
    page = selectors.public_problem_list()
    assert page.paginator.total.capped and page.paginator.count == COUNT_CAP + 1
    body = client.get(PUBLIC).content.decode()
    assert "共 1000+ 个问题" in body, re.findall(r"<p class=.count.>[^<]*<", body)
    Problem.objects.filter(pk__in=Problem.objects.order_by("id").values("id")[:3]).update(
        state=State.RESOLVED
    )
    assert "共 3 个问题" in client.get(PUBLIC + f"?state={State.RESOLVED}").content.decode()  # exact below
    # a queue tab of at most EXACT_MAX rows: its counts by state are exact
    login(client, lw.users["county_office"])
    r = client.get(QUEUE)
    assert "共 1005 个问题" in r.content.decode()
    assert r.context["page_obj"].state_counts == {State.REGISTERED: COUNT_CAP + 2, State.RESOLVED: 3}


def test_queue_counts_stop_at_the_cap_in_a_big_tab(client, lw) -> None:
    many(lw, EXACT_MAX + 5)
    Problem.objects.filter(pk__in=Problem.objects.order_by("id").values("id")[:3]).update(
        state=State.RESOLVED
    )
    login(client, lw.users["county_office"])
    for query in ("", f"?state={State.REGISTERED}", f"?unit={lw.u['town_a'].code}"):
        sqls = _queries(client, QUEUE + query)
        _bounded(sqls)
    r = client.get(QUEUE)
    body = r.content.decode()
    assert "共 1000+ 个问题" in body and "1000+</span>" in body and ">3</span>" in body
    assert r.context["page_obj"].state_counts == {State.REGISTERED: COUNT_CAP + 1, State.RESOLVED: 3}
    assert "共 1000+ 个问题" in client.get(QUEUE + f"?state={State.REGISTERED}").content.decode()


def test_the_overdue_tab_counts_open_states_only(client, lw) -> None:
    """The overdue tab holds open problems only: its capped counts by state ask for no other state
    (a closed state's subquery finds no row, so it read the whole table: 2.1 s at the region tier)."""
    many(lw, EXACT_MAX + 5, overdue=True)
    login(client, lw.users["county_office"])
    sqls = [s for s in _queries(client, QUEUE + "?tab=overdue") if "ledger_problem" in s]
    _bounded(sqls)
    capped = [s for s in sqls if s.count("COUNT(") > 1]
    assert len(capped) == 1, sqls
    assert capped[0].count("COUNT(") == len(OPEN_STATES)
    assert f"'{State.CLOSED}'" not in capped[0]
    r = client.get(QUEUE + "?tab=overdue")
    assert r.context["page_obj"].state_counts == {State.REGISTERED: COUNT_CAP + 1}


def test_a_work_block_counts_its_own_states_only(client, lw) -> None:
    """The home page's overdue block opened as a queue (``?work=overdue``): its capped counts by
    state ask for the open states only, like the overdue tab."""
    many(lw, EXACT_MAX + 5, overdue=True)
    login(client, lw.users["county_office"])
    sqls = [s for s in _queries(client, QUEUE + "?work=overdue") if "ledger_problem" in s]
    _bounded(sqls)
    capped = [s for s in sqls if s.count("COUNT(") > 1]
    assert len(capped) == 1, sqls
    assert capped[0].count("COUNT(") == len(OPEN_STATES)
    assert f"'{State.CLOSED}'" not in capped[0]
