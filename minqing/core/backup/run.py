"""What the ``backup`` and ``restore`` commands do, by the configured database engine."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections

from minqing.core.backup import postgres, sqlite
from minqing.core.backup.errors import BackupError
from minqing.core.backup.manifest import Manifest, keys_fingerprint
from minqing.core.crypto import configured_keys

Progress = Callable[[str], None]


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库 / unsupported database: {vendor}")
    return vendor


def _jobs_file() -> Path | None:
    filename = settings.HUEY.get("filename") if isinstance(settings.HUEY, dict) else None
    return Path(filename) if filename else None


def take_backup(folder: Path, progress: Progress) -> Manifest:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data, encrypted or not
    keys = keys_fingerprint(configured_keys())
    db = settings.DATABASES["default"]
    if _engine() == "sqlite":
        return sqlite.backup(Path(db["NAME"]), folder, keys, _jobs_file(), progress)
    return postgres.backup(postgres.Server.from_settings(db), folder, keys, progress)


def restore_backup(
    folder: Path,
    progress: Progress,
    *,
    force: bool = False,
    pgdata: Path | None = None,
    port: int | None = None,
    wal_archive: Path | None = None,
    until: dt.datetime | None = None,
    start: bool = False,
    stop_after: bool = False,
) -> tuple[Manifest, list[str]]:
    """Check the backup's files, restore it, and return the manifest with what fails to verify
    (empty: the restored audit trail is the backup's). SQLite restores over the configured
    database file; PostgreSQL into the new data directory ``pgdata`` (verified when started)."""
    manifest = Manifest.read(folder)
    progress(f"核对备份文件 / checking {len(manifest.files)} files")
    manifest.check_files(folder)
    keys = keys_fingerprint(configured_keys())
    if manifest.keys and manifest.keys != keys:
        progress(
            "警告:当前加密密钥与备份时不同,个人信息将无法解密 / "
            "warning: the field keys differ from the backup's: personal fields will not decrypt"
        )
    if manifest.engine == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"]) if _engine() == "sqlite" else None
        if target is None:
            raise BackupError("SQLite 备份只能恢复到 SQLite / a SQLite backup restores into SQLite only")
        return manifest, sqlite.restore(folder, manifest, target, _jobs_file(), force)
    if pgdata is None:
        raise BackupError("PostgreSQL 恢复需要 --pgdata(新的数据目录)/ a PostgreSQL restore needs --pgdata")
    t = postgres.Target(pgdata=pgdata, port=port, wal_archive=wal_archive, until=until)
    postgres.restore(folder, manifest, t, progress)
    if not start:
        return manifest, []
    progress(f"启动并重放 WAL / starting on port {port} and replaying the WAL")
    postgres.start(t, pgdata.parent / f"{pgdata.name}.log")
    try:
        return manifest, postgres.verify(t, manifest)
    finally:
        if stop_after:
            postgres.stop(t)
