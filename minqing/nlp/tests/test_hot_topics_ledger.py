"""Hot topics of the ledger: the selector's scope and period, the page and the dashboard block."""

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from minqing.ledger.enums import Channel
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.tests.conftest import LedgerWorld
from minqing.nlp.topics.selectors import ledger_messages, unit_hot_topics
from minqing.orgs.actors import SYSTEM

LAMP = [
    "泉山社区东门路灯坏了三个月没人修",
    "投诉泉山社区东门路灯坏了三个月",
    "泉山社区东门的路灯坏了三个月了",
]
WATER = ["红旗村自来水管道破裂漏水严重", "红旗村自来水管道破裂漏水一周", "反映红旗村自来水管道破裂漏水"]


@pytest.fixture(autouse=True)
def _no_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def submit(w: LedgerWorld, unit: str, title: str, channel: str = Channel.ONLINE, days_ago: int = 1) -> Any:
    return feedback_submit(
        actor=SYSTEM,
        channel=channel,
        title=title,
        content=title + ",希望尽快解决",
        unit=w.u[unit],
        received_at=timezone.now() - dt.timedelta(days=days_ago),
        reporter=Reporter(name="张三", phone="13900002222"),
    )


@pytest.fixture
def world(lw: LedgerWorld) -> LedgerWorld:
    for t in LAMP:
        submit(lw, "village_a", t)
    for t in WATER:
        submit(lw, "village_b", t)
    submit(lw, "village_a", "学校食堂饭菜质量差")
    submit(lw, "village_a", "泉山社区东门路灯坏了三个月没人修了", days_ago=400)  # before the period
    return lw


def period() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now - dt.timedelta(days=30), now + dt.timedelta(minutes=1)


def test_topics_of_a_subtree_in_a_period(world: LedgerWorld) -> None:
    start, end = period()
    office = world.users["county_office"]
    topics = unit_hot_topics(office, world.u["county"], start, end)
    assert sorted(t.size for t in topics) == [3, 3]
    assert {t.place for t in topics} == {world.u["village_a"].name, world.u["village_b"].name}
    (town_a,) = unit_hot_topics(office, world.u["town_a"], start, end)
    assert town_a.size == 3 and "路灯" in town_a.label
    assert all(m.time >= start for m in town_a.messages)


def test_the_actor_sees_only_its_scope(world: LedgerWorld) -> None:
    start, end = period()
    # town B's office asking about the whole county still sees only town B's problems
    seen = ledger_messages(world.users["b_office"], world.u["county"], start, end)
    assert seen and all("红旗村" in m.title for m in seen)
    (topic,) = unit_hot_topics(world.users["b_office"], world.u["county"], start, end)
    assert "自来水" in topic.label


def test_page_for_leaders_and_office_only(world: LedgerWorld, client: Any) -> None:
    url = reverse("reports:hot_topics") + f"?unit={world.u['county'].code}"
    client.force_login(world.users["county_leader"])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-rank="') == 2
    assert "路灯" in body and "自来水" in body
    client.force_login(world.users["a_staff"])
    assert client.get(reverse("reports:hot_topics") + f"?unit={world.u['town_a'].code}").status_code == 403


def test_dashboard_block_and_menu_link(world: LedgerWorld, client: Any) -> None:
    client.force_login(world.users["county_office"])
    body = client.get(reverse("reports:dashboard") + f"?unit={world.u['county'].code}").content.decode()
    assert 'id="section-hot-topics"' in body
    assert reverse("reports:hot_topics") in body
    client.force_login(world.users["a_staff"])
    body = client.get(reverse("reports:dashboard") + f"?unit={world.u['town_a'].code}").content.decode()
    assert 'id="section-hot-topics"' not in body
    assert reverse("reports:hot_topics") not in body


def test_dashboard_block_shows_what_the_page_computed(world: LedgerWorld, client: Any) -> None:
    """The block reads the page's cached topics for the same unit and period (it once read a key
    the page never wrote, and said "open the page" forever)."""
    client.force_login(world.users["county_office"])
    today = timezone.localdate()
    dates = f"?unit={world.u['county'].code}&start={today - dt.timedelta(days=30)}&end={today}"
    before = client.get(reverse("reports:dashboard") + dates).content.decode()
    assert 'id="hot-topics-later"' in before
    assert client.get(reverse("reports:hot_topics") + dates).status_code == 200
    after = client.get(reverse("reports:dashboard") + dates).content.decode()
    assert 'id="hot-topics-later"' not in after
    assert "路灯" in after and "自来水" in after
