"""Reads on the replica (``minqing.core.replica``): which reads go there, the fall-back to the
primary on lag or when the replica is down, the pin after a user's own write; and, with a real
streaming replica of a server of the test's own, that a dashboard-style read sees the replica's
(stale) data while replay is paused and the primary's once the lag passes the limit."""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from minqing.core import replica
from minqing.ledger.models import Problem
from minqing.ops import pg

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
router = replica.ReplicaRouter()


@pytest.fixture
def with_replica(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float | None]:
    """A replica in the settings whose lag the test sets (``lags[0]``); counts the lag reads."""
    settings.DATABASES = {**settings.DATABASES, "replica": {"ENGINE": "django.db.backends.postgresql"}}
    settings.MINQING_REPLICA_MAX_LAG_SECONDS = 10
    settings.MINQING_REPLICA_LAG_CHECK_SECONDS = 0
    lags: list[float | None] = [0.5]
    reads: list[int] = []

    def fake() -> float | None:
        reads.append(1)
        return lags[0]

    monkeypatch.setattr(replica, "read_lag", fake)
    monkeypatch.setattr(replica, "_reading", replica.LagReading())
    return lags


def routed(request: HttpRequest, model: Any = Problem) -> str | None:
    seen: list[str | None] = []

    @replica.replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(model))
        return HttpResponse("ok")

    view(request)
    return seen[0]


def test_without_a_replica_everything_reads_the_primary(rf: RequestFactory) -> None:
    assert routed(rf.get("/")) is None
    assert router.db_for_write(Problem) == "default"


def test_opted_in_reads_go_to_a_fresh_replica(rf: RequestFactory, with_replica: list[float | None]) -> None:
    assert routed(rf.get("/")) == "replica"
    assert router.db_for_read(Problem) is None  # outside an opted-in view
    assert routed(rf.get("/"), User) is None  # users and sessions: always the primary
    assert router.db_for_write(Problem) == "default"
    assert router.allow_migrate("replica", "ledger") is False
    assert router.allow_migrate("default", "ledger") is True


def test_lag_over_the_limit_or_no_replica_falls_back(
    rf: RequestFactory, with_replica: list[float | None]
) -> None:
    with_replica[0] = 11.0
    assert routed(rf.get("/")) is None
    with_replica[0] = None  # unreachable
    assert routed(rf.get("/")) is None
    with_replica[0] = 9.9
    assert routed(rf.get("/")) == "replica"


def test_lag_is_read_at_most_every_interval(
    rf: RequestFactory, with_replica: list[float | None], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MINQING_REPLICA_LAG_CHECK_SECONDS = 3600
    calls: list[int] = []

    def counted() -> float:
        calls.append(1)
        return 0.0

    monkeypatch.setattr(replica, "read_lag", counted)
    for _ in range(5):
        assert routed(rf.get("/")) == "replica"
    assert len(calls) == 1


def test_a_users_own_write_pins_their_reads_to_the_primary(
    rf: RequestFactory, with_replica: list[float | None]
) -> None:
    middleware = replica.PinAfterWriteMiddleware(lambda r: HttpResponse("done"))
    response = middleware(rf.post("/ledger/X/act/resolve/"))
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 30
    pinned = rf.get("/")
    pinned.COOKIES[replica.PIN_COOKIE] = cookie.value
    assert routed(pinned) is None
    assert routed(rf.get("/")) == "replica"
    assert routed(rf.post("/")) is None  # a write request itself never reads the replica
    assert middleware(rf.get("/")).cookies.get(replica.PIN_COOKIE) is None


def test_a_streamed_export_reads_the_replica_while_it_streams(
    rf: RequestFactory, with_replica: list[float | None]
) -> None:
    seen: list[str | None] = []

    def rows() -> Iterator[bytes]:
        for _ in range(3):
            seen.append(router.db_for_read(Problem))
            yield b"row\n"

    @replica.replica_reads
    def view(request: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(rows())

    body = b"".join(view(rf.get("/")).streaming_content)  # type: ignore[arg-type]
    assert body == b"row\n" * 3 and seen == ["replica"] * 3
    assert router.db_for_read(Problem) is None


READ_SCRIPT = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from minqing.core import replica
from minqing.ledger.models import Problem
from minqing.orgs.models import Unit
from django.http import HttpResponse
from django.test import RequestFactory

@replica.replica_reads
def view(request):
    return HttpResponse(f"{Unit.objects.count()} {replica.lag()}")

print(view(RequestFactory().get("/")).content.decode())
"""


def test_a_real_replica_serves_reads_until_it_lags(tmp_path: Path) -> None:
    why = pg.missing_programs()
    if why:
        pytest.skip(f"PostgreSQL server programs not installed: {why}")
    folder = Path(tempfile.mkdtemp(prefix="minqing-pg-", dir="/tmp"))
    servers: list[pg.Server] = []
    try:
        servers.append(pg.primary(folder))
        primary = servers[0]
        with primary.connect(autocommit=True) as c:
            c.execute("CREATE TABLE orgs_unit (id bigserial PRIMARY KEY, code text)")
            c.execute("INSERT INTO orgs_unit (code) VALUES ('a'), ('b')")
        servers.append(pg.replica(primary))
        standby = servers[1]
        with primary.connect(autocommit=True) as c:  # one transaction replayed: the lag is measurable
            c.execute("INSERT INTO orgs_unit (code) VALUES ('b2')")
        pg.wait_caught_up(primary, standby)
        env = {
            **os.environ,
            "DATABASE_URL": primary.url(),
            "DATABASE_REPLICA_URL": standby.url(),
            "MINQING_REPLICA_MAX_LAG_SECONDS": "5",
            "MINQING_VAR_DIR": str(tmp_path / "var"),
        }

        def read() -> tuple[int, float]:
            out = subprocess.run(
                [sys.executable, "-c", READ_SCRIPT],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            return int(out[0]), float(out[1])

        assert read() == (3, 0.0)  # caught up
        with standby.connect(autocommit=True) as c:
            c.execute("SELECT pg_wal_replay_pause()")
        with primary.connect(autocommit=True) as c:
            c.execute("INSERT INTO orgs_unit (code) VALUES ('c')")
        count, lag = read()
        assert count == 3 and 0 < lag < 5  # the replica answered, behind by less than the limit
        time.sleep(5)
        count, lag = read()
        assert lag > 5 and count == 4  # too far behind: the primary answered
        with standby.connect(autocommit=True) as c:
            c.execute("SELECT pg_wal_replay_resume()")
        pg.wait_caught_up(primary, standby)
        assert read() == (4, 0.0)
    finally:
        pg.remove(folder, servers)
