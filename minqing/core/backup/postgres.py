"""PostgreSQL: a base backup with ``pg_basebackup`` (tar, compressed, with the WAL it needs to be
consistent), and a restore into a new data directory that replays the server's WAL archive up to
the end or to a chosen time (point-in-time recovery).

The WAL archive is the server's own setting (``archive_mode = on`` and an ``archive_command``
that copies each segment to a safe place; docs/backup.md): a base backup plus the archived
segments after it restore to any moment after the backup.
"""

import datetime as dt
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.utils import timezone

from minqing.core.backup import fingerprint, pgtools
from minqing.core.backup.errors import BackupError
from minqing.core.backup.manifest import Manifest, file_sha256

BASE = "base"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> "Server":
        return cls(
            host=str(db.get("HOST") or "127.0.0.1"),
            port=int(db.get("PORT") or 5432),
            user=str(db.get("USER") or "postgres"),
            password=str(db.get("PASSWORD") or ""),
            database=str(db["NAME"]),
        )

    def connect(self, **kw: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.database,
            **kw,
        )

    def env(self) -> dict[str, str]:
        return {"PGPASSWORD": self.password} if self.password else {}


def backup(server: Server, folder: Path, keys: str, progress: Progress) -> Manifest:
    base = folder / BASE
    if base.exists():
        raise BackupError(f"目标目录已有备份 / the folder already holds a backup: {folder}")
    # the audit trail as committed before the base backup starts: the backup holds all of it
    with server.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.cursor() as cur:
            audit, counts = fingerprint.take(cur), fingerprint.counts(cur)
            cur.execute("SHOW server_version")
            version = str(cur.fetchone()[0])  # type: ignore[index]
    progress(f"基础备份 / base backup of {server.host}:{server.port} -> {base}")
    label = f"minqing {timezone.now():%Y-%m-%d %H:%M:%S}"
    pgtools.run(
        [
            pgtools.program("pg_basebackup"),
            "-h",
            server.host,
            "-p",
            str(server.port),
            "-U",
            server.user,
            "-D",
            str(base),
            "-Ft",
            "-z",
            "-X",
            "stream",
            "-c",
            "fast",
            "-l",
            label,
            "--no-password",
        ],
        "pg_basebackup",
        env=server.env(),
    )
    files = {f"{BASE}/{p.name}": file_sha256(p) for p in sorted(base.iterdir()) if p.is_file()}
    manifest = Manifest(
        engine="postgresql",
        created_at=timezone.now().isoformat(),
        audit=audit,
        counts=counts,
        files=files,
        database=server.database,
        keys=keys,
        extra={"user": server.user, "server_version": version, "label": label},
    )
    manifest.write(folder)
    return manifest


@dataclass(frozen=True)
class Target:
    """Where and how to restore: a new data directory, optionally started on ``port``."""

    pgdata: Path
    port: int | None = None
    wal_archive: Path | None = None
    until: dt.datetime | None = None  # point in time; None: all the archived WAL


def _extract(archive: Path, into: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar")


def _configure(t: Target) -> None:
    lines = [
        "# minqing restore",
        "archive_mode = 'off'  # a restored copy does not write into the original's archive",
        f"unix_socket_directories = '{t.pgdata}'",
        "listen_addresses = '127.0.0.1'",
    ]
    if t.port is not None:
        lines.append(f"port = {t.port}")
    if t.wal_archive is not None:
        lines.append(f'restore_command = \'cp "{t.wal_archive}/%f" "%p"\'')
        lines.append("recovery_target_action = 'promote'")
        if t.until is not None:
            lines.append(f"recovery_target_time = '{t.until.isoformat()}'")
        (t.pgdata / "recovery.signal").touch()
    conf = t.pgdata / "postgresql.conf"
    if not conf.exists():  # Debian keeps it in /etc/postgresql: a minimal one
        conf.write_text("# written by minqing restore\n", encoding="utf-8")
    hba = t.pgdata / "pg_hba.conf"
    if not hba.exists():  # the socket is inside the 0700 data directory: only its owner reaches it
        hba.write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8")
    with (t.pgdata / "postgresql.auto.conf").open("a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(lines) + "\n")


def restore(folder: Path, manifest: Manifest, t: Target, progress: Progress) -> None:
    """Unpack the base backup into the new ``t.pgdata`` and set up recovery (not started)."""
    if t.pgdata.exists() and any(t.pgdata.iterdir()):
        raise BackupError(f"数据目录必须是新的空目录 / the data directory must be new and empty: {t.pgdata}")
    if t.until is not None and t.wal_archive is None:
        raise BackupError("按时间点恢复需要 WAL 归档目录 / a point in time needs --wal-archive")
    t.pgdata.mkdir(parents=True, exist_ok=True)
    t.pgdata.chmod(0o700)
    progress(f"解包基础备份 / unpacking the base backup into {t.pgdata}")
    _extract(folder / BASE / "base.tar.gz", t.pgdata)
    wal = folder / BASE / "pg_wal.tar.gz"
    if wal.exists():
        _extract(wal, t.pgdata / "pg_wal")
    _configure(t)
    pgtools.give_to_server_user(t.pgdata)


def start(t: Target, log: Path, timeout_s: float = 600) -> None:
    """Start the restored server and wait until its recovery has ended (it accepts writes)."""
    if t.port is None:
        raise BackupError("启动需要 --port / starting needs --port")
    log.touch()
    pgtools.give_to_server_user(log)
    pgtools.run(
        pgtools.as_server_user(
            [
                pgtools.program("pg_ctl"),
                "-D",
                str(t.pgdata),
                "-l",
                str(log),
                "-w",
                "-t",
                str(int(timeout_s)),
                "start",
            ]
        ),
        "pg_ctl start",
    )
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(host=str(t.pgdata), port=t.port, user="postgres", dbname="postgres") as conn:
                (in_recovery,) = conn.execute("SELECT pg_is_in_recovery()").fetchone()  # type: ignore[misc]
            if not in_recovery:
                return
        except psycopg.OperationalError:
            pass
        if time.monotonic() > deadline:
            raise BackupError(
                f"恢复未在 {timeout_s:.0f} 秒内完成 / recovery did not end in {timeout_s:.0f} s; see {log}"
            )
        time.sleep(0.5)


def verify(t: Target, manifest: Manifest) -> list[str]:
    """Check the restored server's audit trail against the backup's fingerprint."""
    user = str(manifest.extra.get("user") or "postgres")
    conn = psycopg.connect(host=str(t.pgdata), port=t.port, user=user, dbname=manifest.database)
    with conn, conn.cursor() as cur:
        return fingerprint.check(cur, manifest.audit)


def stop(t: Target) -> None:
    pgtools.run(
        pgtools.as_server_user([pgtools.program("pg_ctl"), "-D", str(t.pgdata), "-m", "fast", "-w", "stop"]),
        "pg_ctl stop",
    )
