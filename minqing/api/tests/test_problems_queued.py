"""Queued registration (``Prefer: respond-async``): answered 202 with a token before the
registration, registered by the job through the same services, idempotent per key, the reporter
kept encrypted until then and erased after, the status visible only to its sender."""

from typing import Any

import pytest
from django.db import connection

from minqing.api import queued
from minqing.api.models import QueuedRegistration
from minqing.api.tests.test_problems import BASE, NAME, PHONE, assert_error, call
from minqing.core.models import AuditEvent
from minqing.ledger.models import Feedback, FeedbackIdentity, Problem
from minqing.orgs.enums import Role

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def hotline(app_client: Any) -> Any:
    return app_client(unit="county", roles=(Role.INTAKE,))


def test_accepted_then_registered_by_the_job(hotline: Any, tree: Any, jobs_held: None) -> None:
    response = hotline.post(BASE, call(tree["village_a"].code), headers={**ASYNC, "Idempotency-Key": "c-1"})
    assert response.status_code == 202, response.content
    answer = response.json()
    assert answer["state"] == "queued" and answer["number"] is None
    assert response["Preference-Applied"] == "respond-async"
    assert response["Location"] == answer["status_url"] == f"{BASE}queued/{answer['token']}"
    assert not Problem.objects.exists()
    # the reporter is in the row, but not as plain text
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter FROM api_queuedregistration")
        (stored,) = cursor.fetchone()
    assert stored and PHONE not in stored and NAME not in stored
    assert hotline.get(answer["status_url"]).json()["state"] == "queued"

    assert queued.drain() == {"registered": 1, "failed": 0}
    status = hotline.get(answer["status_url"]).json()
    problem = Problem.objects.get()
    assert status["state"] == "registered" and status["number"] == problem.number
    feedback = Feedback.objects.get()
    assert status["tracking_code"] == feedback.tracking_code and feedback.channel == "call"
    # received when it was accepted (the answer's time), not when the job registered it
    assert feedback.received_at == QueuedRegistration.objects.get().received_at
    identity = FeedbackIdentity.objects.get(feedback=feedback)
    assert (identity.name, identity.phone) == (NAME, PHONE)
    assert QueuedRegistration.objects.get().reporter == ""  # erased once registered
    assert AuditEvent.objects.filter(object_id=str(problem.pk)).exists()
    assert queued.drain() == {"registered": 0, "failed": 0}  # nothing twice


def test_a_retry_with_the_same_key_queues_nothing(hotline: Any, tree: Any, jobs_held: None) -> None:
    body = call(tree["village_a"].code)
    first = hotline.post(BASE, body, headers={**ASYNC, "Idempotency-Key": "c-2"})
    again = hotline.post(BASE, body, headers={**ASYNC, "Idempotency-Key": "c-2"})
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["token"] == first.json()["token"]
    other = hotline.post(BASE, {**body, "title": "另一件事"}, headers={**ASYNC, "Idempotency-Key": "c-2"})
    assert_error(other, 422, "IDEMPOTENCY_MISMATCH", "Idempotency-Key")
    assert QueuedRegistration.objects.count() == 1
    queued.drain()
    assert Problem.objects.count() == 1
    replay = hotline.post(BASE, body, headers={**ASYNC, "Idempotency-Key": "c-2"})
    assert replay.json()["state"] == "registered"


def test_the_shape_is_checked_before_the_answer(hotline: Any, tree: Any, jobs_held: None) -> None:
    missing = {k: v for k, v in call(tree["village_a"].code).items() if k != "channel"}
    assert_error(hotline.post(BASE, missing, headers=ASYNC), 422, "VALIDATION", "channel")
    letter = call(tree["village_a"].code, channel="letter")
    assert_error(hotline.post(BASE, letter, headers=ASYNC), 422, "VALIDATION", "letter_date")
    assert not QueuedRegistration.objects.exists()


def test_a_reference_out_of_reach_fails_on_the_status(tree: Any, jobs_held: None, app_client: Any) -> None:
    town_hotline = app_client(unit="town_a", roles=(Role.INTAKE,))
    outside = town_hotline.post(BASE, call(tree["village_b"].code), headers=ASYNC)
    assert outside.status_code == 202
    assert queued.drain() == {"registered": 0, "failed": 1}
    status = town_hotline.get(outside.json()["status_url"]).json()
    assert status["state"] == "failed" and status["number"] is None
    assert status["error"]["code"] == "NOT_FOUND" and status["error"]["field"] == "unit_code"
    assert status["error"]["message_zh"] and status["error"]["message_en"]
    assert not Problem.objects.exists()
    assert QueuedRegistration.objects.get().reporter == ""
    # another application does not see it
    stranger = app_client(unit="county", roles=(Role.INTAKE,))
    assert_error(stranger.get(outside.json()["status_url"]), 404, "NOT_FOUND")


def test_without_a_worker_held_the_job_registers_at_once(
    hotline: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With huey immediate (tests, ``MINQING_HUEY_IMMEDIATE``) the drain runs on the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = hotline.post(BASE, call(tree["village_a"].code), headers=ASYNC)
    assert response.status_code == 202
    status = hotline.get(response.json()["status_url"]).json()
    assert status["state"] == "registered" and Problem.objects.get().number == status["number"]


def test_the_role_and_scope_are_checked_before_the_answer(app_client: Any, tree: Any) -> None:
    leader = app_client(unit="county", roles=(Role.LEADER,))
    assert_error(leader.post(BASE, call(tree["village_a"].code), headers=ASYNC), 403, "PERMISSION_DENIED")
    assert not QueuedRegistration.objects.exists()
    read_only = app_client(unit="county", roles=(Role.INTAKE,), scopes=("read",))
    assert_error(read_only.post(BASE, call(tree["village_a"].code), headers=ASYNC), 403, "SCOPE_MISSING")
    read_only = app_client(unit="county", roles=(Role.INTAKE,), scopes=("read",))
    assert_error(read_only.post(BASE, call(tree["village_a"].code), headers=ASYNC), 403, "SCOPE_MISSING")
