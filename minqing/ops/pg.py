"""PostgreSQL servers of our own on loopback ports, made with initdb (a primary, optionally with
WAL archiving) or with pg_basebackup from one (a streaming replica): for the backup and replica
tests and for ``make prod-check``. Run as the ``postgres`` system user when we are root."""

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from minqing.core.backup import pgtools
from minqing.core.backup.errors import BackupError
from minqing.ops.ports import free_port


def missing_programs() -> str:
    """Why no server of our own can run here ('' when one can)."""
    try:
        for name in ("initdb", "pg_ctl", "pg_basebackup"):
            pgtools.program(name)
    except BackupError as exc:
        return str(exc)
    return ""


@dataclass
class Server:
    """One server: its data directory, port and log, under ``folder``."""

    folder: Path
    name: str
    port: int

    @property
    def pgdata(self) -> Path:
        return self.folder / self.name

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.log"

    def url(self, database: str = "minqing") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "minqing", **kw: object) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, **kw)  # type: ignore[arg-type]

    def conf(self, text: str) -> None:
        with (self.pgdata / "postgresql.auto.conf").open("a", encoding="utf-8") as fh:
            fh.write(text)

    def start(self) -> None:
        self.log.touch()
        pgtools.give_to_server_user(self.log)
        pgtools.run(
            pgtools.as_server_user(
                [
                    pgtools.program("pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "120",
                    "start",
                ]
            ),
            f"pg_ctl start {self.name}",
        )

    def stop(self, mode: str = "fast") -> None:
        if (self.pgdata / "postmaster.pid").exists():
            subprocess.run(
                pgtools.as_server_user(
                    [pgtools.program("pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )

    def restart(self, mode: str = "immediate") -> None:
        self.stop(mode)
        self.start()


def _base_conf(s: Server) -> str:
    return (
        f"\nport = {s.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{s.folder}'\n"
        "wal_level = replica\nmax_wal_senders = 8\nhot_standby = on\n"
    )


def primary(folder: Path, name: str = "primary", archive: Path | None = None) -> Server:
    """A new primary with a ``minqing`` database, started; WAL archived into ``archive`` if given."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    s = Server(folder, name, free_port())
    if archive is not None:
        archive.mkdir(parents=True, exist_ok=True)
    pgtools.give_to_server_user(folder)
    initdb = [pgtools.program("initdb"), "-D", str(s.pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    pgtools.run(pgtools.as_server_user(initdb), "initdb")
    conf = _base_conf(s)
    if archive is not None:
        conf += f'archive_mode = on\narchive_command = \'cp "%p" "{archive}/%f"\'\n'
    s.conf(conf)
    s.start()
    with s.connect("postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE minqing")
    return s


def replica(source: Server, name: str = "replica") -> Server:
    """A streaming replica of ``source`` (pg_basebackup -R), started."""
    s = Server(source.folder, name, free_port())
    base = [
        pgtools.program("pg_basebackup"), "-h", "127.0.0.1", "-p", str(source.port), "-U", "postgres",
        "-D", str(s.pgdata), "-R", "-X", "stream", "-c", "fast",
    ]  # fmt: skip
    pgtools.run(pgtools.as_server_user(base), "pg_basebackup (replica)")
    s.conf(f"\nport = {s.port}\narchive_mode = off\n")
    s.start()
    return s


def wait_caught_up(source: Server, standby: Server, timeout: float = 60) -> None:
    """Until the standby has replayed everything the source had written when called."""
    with source.connect("postgres", autocommit=True) as c:
        (lsn,) = c.execute("SELECT pg_current_wal_lsn()").fetchone()  # type: ignore[misc]
    deadline = time.monotonic() + timeout
    with standby.connect("postgres", autocommit=True) as c:
        while True:
            (done,) = c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()  # type: ignore[misc]
            if done:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{standby.name} did not catch up with {source.name} in {timeout} s")
            time.sleep(0.1)


def remove(folder: Path, servers: list[Server]) -> None:
    for s in servers:
        s.stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)
