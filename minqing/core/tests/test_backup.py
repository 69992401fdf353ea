"""``minqing backup`` and ``minqing restore`` under load, on both engines (issue 17, part 4).

A separate process writes public submissions and prints each tracking code once its transaction
has committed (``backup_load``); the backup is taken while it writes; the restore goes into a
fresh database. Everything acknowledged before the backup is there exactly once, and the restore
verifies the audit trail against the backup's fingerprint (a changed audit row fails it).
PostgreSQL: a cluster of the test's own (initdb, WAL archiving on), a base backup, then a restore
that replays the archive to the end and one that stops at a point in time.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from minqing.core.backup.manifest import file_sha256
from minqing.ops import pg

ROOT = Path(__file__).resolve().parents[3]


def minqing(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "minqing.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"minqing {' '.join(args)}: {result.stdout}\n{result.stderr}")
    return result


class Load:
    """The writer process; ``acked`` grows as its lines arrive: (code, time acknowledged)."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.stop_file = folder / "stop-load"
        self.acked: list[tuple[str, float]] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "minqing.core.tests.backup_load", str(self.stop_file)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("ack "):
                _, code, at = line.split()
                self.acked.append((code, float(at)))

    def wait_for(self, n: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < n:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the writer stopped: {self.proc.stderr.read() if self.proc.stderr else ''}"
                )
            assert time.monotonic() < deadline, f"only {len(self.acked)} submissions in {timeout} s"
            time.sleep(0.05)

    def codes(self) -> set[str]:
        return {code for code, _ in list(self.acked)}

    def finish(self) -> None:
        self.stop_file.touch()
        self.proc.wait(timeout=60)
        self.reader.join(timeout=10)
        assert self.proc.returncode == 0, self.proc.stderr.read() if self.proc.stderr else ""


def stored(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for (code,) in rows:
        out[code] = out.get(code, 0) + 1
    return out


# --- SQLite -----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "MINQING_VAR_DIR": str(tmp_path / "var"),
    }
    minqing(env, "migrate", "--noinput", "-v0")
    return env


def test_sqlite_backup_under_load_restores_everything_acknowledged(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    load = Load(sqlite_env, tmp_path)
    try:
        load.wait_for(30)
        before = load.codes()
        done = minqing(sqlite_env, "backup", str(tmp_path / "backup"))
        during = len(load.acked) - len(before)
        load.wait_for(len(load.acked) + 10)  # it kept writing through and after the backup
    finally:
        load.finish()
    assert done.stdout.startswith("OK sqlite")
    assert during > 0, "the backup did not run under load"

    restored_env = {**sqlite_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}
    result = minqing(restored_env, "restore", str(tmp_path / "backup"))
    assert "audit trail verified" in result.stdout
    db = sqlite3.connect(tmp_path / "restored.sqlite3")
    codes = stored(db.execute("SELECT tracking_code FROM ledger_feedback").fetchall())
    assert before <= set(codes), f"{len(before - set(codes))} acknowledged submissions missing"
    assert all(n == 1 for n in codes.values())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["ledger_feedback"] == len(codes) >= len(before)
    assert manifest["audit"]["rows"] == db.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] > 0

    # a restore over a database that exists needs --force
    again = minqing(restored_env, "restore", str(tmp_path / "backup"), check=False)
    assert again.returncode != 0 and "--force" in again.stderr


def test_sqlite_restore_refuses_a_damaged_backup_and_a_changed_audit_trail(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    load = Load(sqlite_env, tmp_path)
    try:
        load.wait_for(5)
    finally:
        load.finish()
    folder = tmp_path / "backup"
    minqing(sqlite_env, "backup", str(folder))
    target_env = {**sqlite_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}

    copy = folder / "minqing.sqlite3"
    pristine = copy.read_bytes()
    copy.write_bytes(pristine[:-1] + bytes([pristine[-1] ^ 0xFF]))  # one flipped byte
    damaged = minqing(target_env, "restore", str(folder), check=False)
    assert damaged.returncode != 0 and "checksum" in damaged.stderr

    # an audit row changed inside the backup (and the checksums forged to match)
    copy.write_bytes(pristine)
    db = sqlite3.connect(copy)
    db.execute("DROP TRIGGER IF EXISTS core_auditevent_append_only")
    first = "(SELECT min(id) FROM core_auditevent)"
    db.execute(f"UPDATE core_auditevent SET actor_name = 'someone else' WHERE id = {first}")
    db.commit()
    db.close()
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["minqing.sqlite3"] = file_sha256(copy)
    manifest_path.write_text(json.dumps(manifest))
    changed = minqing(target_env, "restore", str(folder), check=False)
    assert changed.returncode != 0 and "audit rows differ" in changed.stderr
    assert not (tmp_path / "restored.sqlite3").exists()  # nothing half-restored


# --- PostgreSQL -------------------------------------------------------------------------------


@dataclass
class Cluster:
    """A primary of the test's own with WAL archiving (``minqing.ops.pg``)."""

    folder: Path
    server: pg.Server
    archive: Path

    def url(self) -> str:
        return self.server.url()

    def switch_wal_and_wait_archived(self) -> None:
        with self.server.connect(autocommit=True) as c:
            (segment,) = c.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()  # type: ignore[misc]
        deadline = time.monotonic() + 60
        while not (self.archive / str(segment)).exists():
            assert time.monotonic() < deadline, f"{segment} was not archived"
            time.sleep(0.2)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    why = pg.missing_programs()
    if why:
        pytest.skip(f"PostgreSQL server programs not installed: {why}")
    folder = Path(tempfile.mkdtemp(prefix="minqing-pg-", dir="/tmp"))  # reachable by the postgres user
    servers: list[pg.Server] = []
    try:
        servers.append(pg.primary(folder, archive=folder / "archive"))
        yield Cluster(folder, servers[0], folder / "archive")
    finally:
        restored = [pg.Server(folder, p.name, 0) for p in folder.glob("restored-*") if p.is_dir()]
        pg.remove(folder, servers + restored)


def restored_codes(pgdata: Path, port: int) -> dict[str, int]:
    with psycopg.connect(host=str(pgdata), port=port, user="postgres", dbname="minqing") as c:
        return stored(c.execute("SELECT tracking_code FROM ledger_feedback").fetchall())


def test_postgresql_base_backup_under_load_and_point_in_time_restore(
    cluster: Cluster, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": cluster.url(), "MINQING_VAR_DIR": str(tmp_path / "var")}
    minqing(env, "migrate", "--noinput", "-v0")
    folder = cluster.folder / "backup"
    load = Load(env, tmp_path)
    try:
        load.wait_for(30)
        before = load.codes()
        minqing(env, "backup", str(folder))
        load.wait_for(len(load.acked) + 20)
        time.sleep(0.5)
        until = time.time()
        time.sleep(0.5)
        split = len(load.acked)
        load.wait_for(split + 20)
    finally:
        load.finish()
    cluster.switch_wal_and_wait_archived()
    everything = load.codes()
    before_until = {code for code, at in load.acked if at < until}
    after_until = {code for code, at in load.acked[split:]}
    assert before < before_until < everything and after_until

    # replay the whole archive: every acknowledged submission, once; the audit trail verifies
    full = cluster.folder / "restored-full"
    full_port = pg.free_port()
    result = minqing(
        env,
        "restore",
        str(folder),
        "--pgdata",
        str(full),
        "--port",
        str(full_port),
        "--wal-archive",
        str(cluster.archive),
        "--start",
    )
    assert "audit trail verified" in result.stdout
    codes = restored_codes(full, full_port)
    assert set(codes) == everything and all(n == 1 for n in codes.values())

    # to a point in time: what was acknowledged before it, nothing after it
    pitr = cluster.folder / "restored-pitr"
    pitr_port = pg.free_port()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(until)) + f".{int(until % 1 * 1e6):06d}+00:00"
    result = minqing(
        env,
        "restore",
        str(folder),
        "--pgdata",
        str(pitr),
        "--port",
        str(pitr_port),
        "--wal-archive",
        str(cluster.archive),
        "--until",
        stamp,
        "--start",
    )
    assert "audit trail verified" in result.stdout
    codes = restored_codes(pitr, pitr_port)
    assert before_until <= set(codes) and not (set(codes) & after_until)
    assert before <= set(codes)
