"""A published bulletin is an event for the applications above its unit."""

from collections.abc import Iterator
from typing import Any

import pytest

from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.services import bulletin_publish
from minqing.reports.tests.test_bulletin_world import AS_OF, at, isolated_metrics, make_bulletin_world
from minqing.webhooks.models import Delivery, EventType
from minqing.webhooks.services import subscription_create
from minqing.webhooks.tests.conftest import make_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics(monkeypatch: Any) -> Iterator[None]:
    yield from isolated_metrics(monkeypatch)


def test_bulletin_published_reaches_the_apps_above_its_unit() -> None:
    bw = make_bulletin_world()
    above = make_app(bw.u["county"], "above")
    below = make_app(bw.u["town_a"], "below")
    problems_only = make_app(bw.u["county"], "problems-only")
    for app in (above, below):
        subscription_create(
            actor=SYSTEM,
            application=app,
            url="https://example.org/h",
            event_types=[EventType.BULLETIN_PUBLISHED],
        )
    subscription_create(
        actor=SYSTEM,
        application=problems_only,
        url="https://example.org/p",
        event_types=[EventType.PROBLEM_REGISTERED],
    )
    office = bw.users["county_office"]
    b = bulletin_publish(actor=office, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign, at=at(21, 12))
    d = Delivery.objects.get()
    assert d.subscription.application == above
    data = d.event.data["bulletin"]
    assert d.event.type == EventType.BULLETIN_PUBLISHED
    assert (data["id"], data["number"], data["unit"], data["as_of"]) == (
        b.pk,
        1,
        bw.u["county"].code,
        "2019-12-20",
    )
