"""A repeated ``update_id`` is applied once, also when the repeats race (PostgreSQL: real
concurrent transactions; SQLite serialises writers, so the race is PostgreSQL's to show)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from minqing.ledger.enums import Action
from minqing.ledger.models import ProblemEvent
from minqing.open311.models import ExternalUpdate
from minqing.open311.tests.helpers import make_app, taxonomy
from minqing.orgs.tests.factories import small_tree

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
]

RACERS = 8


def test_racing_repeats_of_one_update_id_apply_once() -> None:
    tree = small_tree()
    category = taxonomy()["noise"]
    key = make_app(tree["county"])
    county = tree["county"].code
    created = Client().post(
        "/open311/v2/requests.json",
        {"api_key": key, "jurisdiction_id": county, "service_code": category.pk, "address_string": "某小区"},
    )
    number = created.json()[0]["service_request_id"]
    update = {
        "api_key": key,
        "jurisdiction_id": county,
        "service_request_id": number,
        "update_id": "race-1",
        "status": "OPEN",
        "updated_datetime": "2026-12-06T10:00:00+08:00",
        "description": "已联系施工方",
    }
    statuses: list[int] = []
    start = threading.Barrier(RACERS)

    def racer() -> None:
        try:
            start.wait()
            statuses.append(Client().post("/open311/v2/servicerequestupdates.json", update).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * (RACERS - 1)
    assert ExternalUpdate.objects.filter(update_id="race-1").count() == 1
    assert ProblemEvent.objects.filter(problem__number=number, action=Action.NOTE).count() == 1
