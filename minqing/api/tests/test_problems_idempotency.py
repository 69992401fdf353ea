"""Idempotency under a real race (issue 12, Done-when): 20 concurrent POST /api/v1/problems with
one Idempotency-Key create exactly one problem and one feedback, and all 20 answers carry the
same number; with ``Prefer: respond-async`` all 20 answers are 202 with one token, and one problem
is registered from it.

The race is real: the production server (gunicorn, 2 worker processes of 16 threads each, every
thread its own database connection) serves the test's database, and 20 client threads released
together by a barrier post over loopback HTTP. On SQLite the server reads a file copy of the test
database (an in-memory test database cannot be shared by processes, and pytest-django's live
server would hand every thread one shared connection, which does not race); on PostgreSQL it
reads the test database itself (the test commits: ``transaction=True``).
"""

import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from minqing.api.models import QueuedRegistration
from minqing.ledger.models import Feedback, Problem
from minqing.ops.ports import free_port, wait_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
CALLS = 20


def _database_url(tmp_path: Path) -> str:
    """Where the server finds the test database: a file copy of SQLite's, PostgreSQL's own."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        copy = tmp_path / "race.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """A gunicorn server on the test database; yields its port and the database URL."""
    url = _database_url(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MINQING_API_RATE_LIMIT": "10000",
        # a queued registration's job runs in the server at once (no job worker, no var/huey file)
        "MINQING_HUEY_IMMEDIATE": "1",
    }
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--worker-class", "gthread", "--threads", "16", "--log-level", "warning",
    ]  # fmt: skip
    log = (tmp_path / "server.log").open("w+b")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_port(port, 60, alive=lambda: process.poll() is None):
            log.seek(0)
            pytest.fail(f"the server did not start: {log.read().decode(errors='replace')[-2000:]}")
        yield port, url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.seek(0)
        errors = log.read().decode(errors="replace")
        log.close()
        assert "Traceback" not in errors, errors[-3000:]


def _post(
    port: int,
    secret: str,
    key: str,
    body: bytes,
    barrier: threading.Barrier,
    extra: dict[str, str] | None = None,
) -> tuple[int, Any, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.connect()  # connected before the barrier: the requests leave together
        barrier.wait()
        headers = {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            **(extra or {}),
        }
        conn.request("POST", "/api/v1/problems/", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read()), response.getheader("Idempotent-Replayed") or ""
    finally:
        conn.close()


def _race(
    port: int, secret: str, key: str, body: bytes, extra: dict[str, str] | None = None
) -> list[tuple[int, Any, str]]:
    """``CALLS`` threads post ``body`` with Idempotency-Key ``key`` at once; their answers."""
    barrier = threading.Barrier(CALLS)
    results: list[tuple[int, Any, str]] = []
    lock = threading.Lock()

    def one() -> None:
        answer = _post(port, secret, key, body, barrier, extra)
        with lock:
            results.append(answer)

    threads = [threading.Thread(target=one) for _ in range(CALLS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _counts(url: str) -> tuple[int, int]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            problems = db.execute("SELECT COUNT(*) FROM ledger_problem").fetchone()[0]
            feedback = db.execute("SELECT COUNT(*) FROM ledger_feedback").fetchone()[0]
        return int(problems), int(feedback)
    return Problem.objects.count(), Feedback.objects.count()


def _queued(url: str) -> list[tuple[str, str]]:
    """The queued registrations: (token, state)."""
    sql = "SELECT token, state FROM api_queuedregistration"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return [(str(t), str(s)) for t, s in db.execute(sql).fetchall()]
    return list(QueuedRegistration.objects.values_list("token", "state"))


def test_twenty_racing_posts_with_one_key_create_one_problem(
    app_client: Any, tree: Any, tmp_path: Path
) -> None:
    api = app_client(unit="county")
    secret = api.headers["Authorization"].split()[1]
    body = json.dumps(
        {
            "title": "路灯不亮",
            "content": "村口路灯坏了三个月",
            "unit_code": tree["village_a"].code,
            "channel": "call",
            "reporter": {"name": "王大妈", "phone": "13900001111"},
        }
    ).encode()
    # the server starts after the application exists: its database copy holds the key
    with serving(tmp_path) as (port, url):
        results = _race(port, secret, "call-0001", body)
        assert len(results) == CALLS
        statuses = sorted(status for status, _, _ in results)
        assert statuses == [201] * CALLS, [r for r in results if r[0] != 201][:3]
        assert len({answer["number"] for _, answer, _ in results}) == 1
        assert len({answer["tracking_code"] for _, answer, _ in results}) == 1
        assert sum(1 for _, _, replayed in results if replayed == "true") == CALLS - 1
        assert _counts(url) == (1, 1)
        # another key is another call
        other = _post(port, secret, "call-0002", body, threading.Barrier(1))
        assert other[0] == 201 and other[1]["number"] != results[0][1]["number"]
        assert _counts(url) == (2, 2)


def test_twenty_racing_queued_posts_with_one_key_queue_and_register_one(
    app_client: Any, tree: Any, tmp_path: Path
) -> None:
    """The same race with ``Prefer: respond-async``: the queued row is the claim; all 20 answers
    are 202 with one token, and one problem is registered from it."""
    api = app_client(unit="county")
    secret = api.headers["Authorization"].split()[1]
    call = {"title": "水管爆裂", "content": "楼道水管爆裂", "channel": "call"}
    body = json.dumps({**call, "unit_code": tree["village_a"].code}).encode()
    prefer = {"Prefer": "respond-async"}
    with serving(tmp_path) as (port, url):
        results = _race(port, secret, "call-q-0001", body, prefer)
        assert len(results) == CALLS
        assert sorted(status for status, _, _ in results) == [202] * CALLS, results[:3]
        assert len({answer["token"] for _, answer, _ in results}) == 1
        assert sum(1 for _, _, replayed in results if replayed == "true") == CALLS - 1
        token = results[0][1]["token"]
        deadline = time.monotonic() + 30  # the job registers it just after its answer
        while _queued(url) != [(token, "registered")] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _queued(url) == [(token, "registered")]
        assert _counts(url) == (1, 1)
