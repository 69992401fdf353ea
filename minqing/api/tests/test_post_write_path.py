"""How a POST with an Idempotency-Key is written (issue 12, docs/api.md "How a POST is written"):
the key claimed with one INSERT, the writes and their audit rows (one INSERT) committed in one
transaction, the registration's suggestions and similar problems read after the commit, outside
any transaction, and the complete answer kept with one UPDATE; a replay is the first answer byte
for byte. The database is in autocommit as in production (``transaction=True``)."""

import datetime as dt
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minqing.api import middleware
from minqing.api.models import IdempotentAnswer
from minqing.api.routers import problems as endpoint
from minqing.api.tests.test_problems import BASE, call
from minqing.core.models import AuditEvent
from minqing.ledger.models import Problem
from minqing.orgs.enums import Role

pytestmark = pytest.mark.django_db(transaction=True)

# the statements of one registration with a key on the test tree (the benchmark prints the list
# on the demo data: benchmarks/results/api_post_throughput.md); before issue 12's lean path: 29
MAX_STATEMENTS = 23


@pytest.fixture
def hotline(app_client: Any) -> Any:
    return app_client(unit="county", roles=(Role.INTAKE,))


@pytest.fixture
def reading(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each reading (suggestions, similar problems) ran inside a transaction."""
    seen: list[bool] = []
    real_s, real_d = endpoint.suggestions_out, endpoint.duplicates_out

    def suggestions(*a: Any, **kw: Any) -> Any:
        seen.append(connection.in_atomic_block)
        return real_s(*a, **kw)

    def duplicates(*a: Any, **kw: Any) -> Any:
        seen.append(connection.in_atomic_block)
        return real_d(*a, **kw)

    monkeypatch.setattr(endpoint, "suggestions_out", suggestions)
    monkeypatch.setattr(endpoint, "duplicates_out", duplicates)
    return seen


def _post(api: Any, key: str | None, body: dict[str, Any]) -> Any:
    return api.post(BASE, body, headers={"Idempotency-Key": key} if key else {})


def test_the_reading_comes_after_the_commit_and_the_replay_is_the_first_answer(
    hotline: Any, tree: Any, reading: list[bool]
) -> None:
    earlier = _post(hotline, None, call(tree["village_a"].code))  # a similar problem to find
    assert earlier.status_code == 201
    first = _post(hotline, "k-1", call(tree["village_a"].code))
    assert first.status_code == 201
    assert reading == [False, False, False, False]  # without a key, and with one: never in a transaction
    answer = first.json()
    assert (
        answer["duplicates"]["items"]
        and answer["duplicates"]["items"][0]["number"] == earlier.json()["number"]
    )
    assert answer["suggestions"] == earlier.json()["suggestions"]  # the same reading as without a key
    replay = _post(hotline, "k-1", call(tree["village_a"].code))
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.status_code == 201 and replay.content == first.content
    assert Problem.objects.count() == 2


def test_one_registration_with_a_key_is_few_statements(hotline: Any, tree: Any, settings: Any) -> None:
    settings.MINQING_API_RATE_LIMIT = 0  # as the benchmark: the limit's own statements left out
    _post(hotline, "warm", call(tree["village_a"].code, title="热身"))
    marks: list[tuple[str, bool]] = []

    def mark(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        marks.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(mark):
        assert _post(hotline, "k-2", call(tree["village_a"].code)).status_code == 201
    tables = Counter(
        (table, inside)
        for sql, inside in marks
        for table in ("core_auditevent", "api_idempotentanswer")
        if f'"{table}"' in sql.split("(")[0] or f'FROM "{table}"' in sql
    )
    # the audit rows: one INSERT, in the transaction; the key: its claim and the answer as committed
    # in it, the completed answer after
    assert tables == Counter({("core_auditevent", True): 1, ("api_idempotentanswer", True): 2,
                              ("api_idempotentanswer", False): 1})  # fmt: skip
    assert len(queries.captured_queries) <= MAX_STATEMENTS, "\n".join(q["sql"][:120] for q in queries)


def test_a_reading_that_fails_after_the_commit_keeps_the_answer_with_its_number(
    hotline: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*a: Any, **kw: Any) -> Any:
        raise RuntimeError("index broken")

    monkeypatch.setattr(endpoint, "duplicates_out", broken)
    hotline.client = Client(raise_request_exception=False)
    assert _post(hotline, "k-3", call(tree["village_a"].code)).status_code == 500
    monkeypatch.undo()
    retry = _post(hotline, "k-3", call(tree["village_a"].code))
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    problem = Problem.objects.get()
    assert retry.json()["number"] == problem.number and retry.json()["duplicates"] == {
        "ready": False,
        "items": [],
    }
    assert AuditEvent.objects.filter(object_type="ledger.problem", object_id=str(problem.pk)).count() == 1


def test_a_refused_call_keeps_no_answer_and_writes_nothing(hotline: Any, tree: Any) -> None:
    refused = _post(hotline, "k-4", call("nowhere"))
    assert refused.status_code == 404
    assert not IdempotentAnswer.objects.exists() and not Problem.objects.exists()
    assert _post(hotline, "k-4", call(tree["village_a"].code)).status_code == 201  # runs again


def test_a_twin_waits_for_the_answer_to_be_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    row = IdempotentAnswer.objects.create(
        caller="c", key="k", method="POST", path=BASE, fingerprint="f", status=201,
        content_type="application/json", body=b'{"number": "1", "reading": null}', complete=False,
    )  # fmt: skip

    def complete() -> None:
        time.sleep(0.3)
        IdempotentAnswer.objects.filter(pk=row.pk).update(
            status=201, content_type="application/json", body=b'{"number": "1"}', complete=True
        )

    worker = threading.Thread(target=complete)
    worker.start()
    kept = middleware._kept_answer("c", "k", "f")
    worker.join()
    assert kept is not None and kept.status_code == 201 and kept.content == b'{"number": "1"}'
    assert kept["Idempotent-Replayed"] == "true"
    assert middleware._kept_answer("c", "k", "other").status_code == 422  # type: ignore[union-attr]


def test_a_twin_gives_up_on_a_claim_never_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claimed row without an answer (as an earlier release kept it until the completion)."""
    IdempotentAnswer.objects.create(
        caller="c", key="k", method="POST", path=BASE, fingerprint="f", status=0, content_type="", body=b""
    )
    monkeypatch.setattr(middleware, "WAIT_SECONDS", 0.1)
    kept = middleware._kept_answer("c", "k", "f")
    assert kept is not None and kept.status_code == 409 and kept["Retry-After"] == "1"
    assert b"IDEMPOTENCY_IN_PROGRESS" in kept.content


def test_a_process_killed_while_completing_leaves_the_answer_as_committed(
    hotline: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed between the commit and the completed answer (kill -9: nothing after the
    commit runs): a retry with the same key gets the answer as committed, with the registration's
    number and tracking code, instead of waiting for an answer that will never come."""
    real_keep = middleware._keep

    def killed(caller: str, key: str, response: Any, *, complete: bool = True) -> None:
        if complete:
            raise SystemExit  # the process ends before the completed answer is kept
        real_keep(caller, key, response, complete=complete)

    monkeypatch.setattr(middleware, "_keep", killed)
    with pytest.raises(SystemExit):
        _post(hotline, "k-5", call(tree["village_a"].code))
    monkeypatch.undo()
    problem = Problem.objects.get()  # committed
    row = IdempotentAnswer.objects.get(key="k-5")
    assert row.status == 201 and not row.complete
    monkeypatch.setattr(middleware, "COMPLETE_WAIT_SECONDS", 0.2)  # the completion is overdue
    started = time.monotonic()
    retry = _post(hotline, "k-5", call(tree["village_a"].code))
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["number"] == problem.number
    assert retry.json()["tracking_code"] and retry.json()["duplicates"] == {"ready": False, "items": []}
    assert time.monotonic() - started < 5
    assert Problem.objects.count() == 1


def test_a_twin_replays_a_stale_answer_as_committed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Claimed longer ago than ``WAIT_SECONDS`` and still not complete: no wait at all."""
    row = IdempotentAnswer.objects.create(
        caller="c", key="k", method="POST", path=BASE, fingerprint="f", status=201,
        content_type="application/json", body=b'{"number": "1"}', complete=False,
    )  # fmt: skip
    IdempotentAnswer.objects.filter(pk=row.pk).update(created_at=row.created_at - dt.timedelta(minutes=5))
    started = time.monotonic()
    kept = middleware._kept_answer("c", "k", "f")
    assert kept is not None and kept.status_code == 201 and kept.content == b'{"number": "1"}'
    assert time.monotonic() - started < middleware.COMPLETE_WAIT_SECONDS / 2
