"""Queued Open311 requests (``Prefer: respond-async`` or ``MINQING_OPEN311_QUEUE``): answered
with a token before they are recorded, recorded once by the intake job whatever runs it how often,
and the catalogue a POST checks read from the worker's short cache, which a change made in the
process empties at once."""

from typing import Any

import pytest

from minqing.ledger.models import Feedback, Problem
from minqing.open311 import services
from minqing.open311.models import ServiceOffer, ServiceRequest
from minqing.open311.tests.helpers import as_list, assert_errors, attributes_of_every_type, make_app, taxonomy
from minqing.open311.tests.test_open311 import client, good_request
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def world() -> dict[str, Any]:
    tree = small_tree()
    cats = taxonomy()
    attributes_of_every_type(cats["pothole"])
    return {"tree": tree, "cats": cats, "key": make_app(tree["county"])}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_prefer_respond_async_answers_a_token_recorded_once_by_the_job(
    world: dict[str, Any], fmt: str, jobs_held: None
) -> None:
    answer = client(world).post("requests", fmt, good_request(world), headers=ASYNC)
    assert answer.status == 200
    [item] = as_list(answer)
    assert "service_request_id" not in item and item["token"]
    assert ServiceRequest.objects.get().queued and not Problem.objects.exists()
    assert services.drain() == {"recorded": 1, "failed": 0}
    assert services.drain() == {"recorded": 0, "failed": 0}  # nothing twice
    assert services.request_record_queued(ServiceRequest.objects.get().pk) is None
    assert Problem.objects.count() == 1 and Feedback.objects.count() == 1
    [done] = as_list(client(world).get(f"tokens/{item['token']}", fmt))
    assert done["service_request_id"] == Problem.objects.get().number


def test_a_request_answered_at_once_is_never_taken_by_the_job(world: dict[str, Any], jobs_held: None) -> None:
    answer = client(world).post("requests", "json", good_request(world))
    [item] = as_list(answer)
    assert item["service_request_id"] == Problem.objects.get().number
    assert not ServiceRequest.objects.get().queued
    assert services.drain() == {"recorded": 0, "failed": 0}
    assert Problem.objects.count() == 1


def test_the_input_is_still_checked_before_the_answer(world: dict[str, Any], jobs_held: None) -> None:
    bad = good_request(world, service_code="999999")
    assert_errors(client(world).post("requests", "json", bad, headers=ASYNC), 400, "json")
    assert not ServiceRequest.objects.exists()


def test_a_catalogue_change_in_the_process_is_seen_at_once(world: dict[str, Any], jobs_held: None) -> None:
    """The county offers only the pothole service from now: the other service, accepted a
    moment ago (and so in the worker's cache), is refused on the next POST."""
    noise = {
        k: v
        for k, v in good_request(world, service_code=str(world["cats"]["noise"].pk)).items()
        if not k.startswith("attribute[")
    }
    first = client(world).post("requests", "json", noise, headers=ASYNC)
    assert first.status == 200, first.raw
    ServiceOffer.objects.create(unit=world["tree"]["county"], category=world["cats"]["pothole"])
    assert_errors(client(world).post("requests", "json", noise, headers=ASYNC), 400, "json")
