"""SQLite: an online copy through SQLite's backup API, one consistent snapshot taken while the
server keeps writing (in WAL mode the copy's read transaction blocks no writer), then checked and
fingerprinted from the copy itself. Restore copies into a new file beside the target, checks it,
and renames it into place: a failed restore leaves the target as it was."""

import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.utils import timezone

from minqing.core.backup import fingerprint
from minqing.core.backup.errors import BackupError
from minqing.core.backup.manifest import Manifest, file_sha256

DB_FILE = "minqing.sqlite3"
JOBS_FILE = "huey.sqlite3"
Progress = Callable[[str], None]


def _copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"找不到数据库文件 / database file not found: {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    with closing(src), closing(sqlite3.connect(target)) as dst:
        src.backup(dst)  # one step: one snapshot, consistent under concurrent writers


def _integrity(path: Path) -> None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        (result,) = db.execute("PRAGMA integrity_check").fetchone()
    if result != "ok":
        raise BackupError(f"数据库文件未通过完整性检查 / integrity check failed: {path}: {result}")


def backup(source: Path, folder: Path, keys: str, jobs: Path | None, progress: Progress) -> Manifest:
    target = folder / DB_FILE
    if target.exists():
        raise BackupError(f"目标目录已有备份 / the folder already holds a backup: {folder}")
    progress(f"复制 / copying {source}")
    _copy(source, target)
    _integrity(target)
    files = {DB_FILE: file_sha256(target)}
    if jobs is not None and jobs.is_file():  # the job queue (deadline checks, notifications, webhooks)
        progress(f"复制任务队列 / copying the job queue {jobs}")
        _copy(jobs, folder / JOBS_FILE)
        files[JOBS_FILE] = file_sha256(folder / JOBS_FILE)
    with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as db:
        cursor = db.cursor()
        manifest = Manifest(
            engine="sqlite",
            created_at=timezone.now().isoformat(),
            audit=fingerprint.take(cursor),
            counts=fingerprint.counts(cursor),
            files=files,
            keys=keys,
        )
    manifest.write(folder)
    return manifest


def restore(folder: Path, manifest: Manifest, target: Path, jobs: Path | None, force: bool) -> list[str]:
    """Copy the backup to ``target`` (and the job queue to ``jobs``); return what fails to verify."""
    if target.exists() and target.stat().st_size > 0 and not force:
        raise BackupError(
            f"目标数据库已存在,请先停止服务并加 --force 覆盖 / {target} exists: stop the server and "
            "add --force to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(target.name + ".restoring")
    fresh.unlink(missing_ok=True)
    shutil.copyfile(folder / DB_FILE, fresh)
    try:
        _integrity(fresh)
        with closing(sqlite3.connect(fresh)) as db:
            problems = fingerprint.check(db.cursor(), manifest.audit)
    except BackupError:
        fresh.unlink(missing_ok=True)
        raise
    if problems:
        fresh.unlink(missing_ok=True)
        return problems
    _put(fresh, target)
    if jobs is not None and JOBS_FILE in manifest.files:
        fresh_jobs = jobs.with_name(jobs.name + ".restoring")
        shutil.copyfile(folder / JOBS_FILE, fresh_jobs)
        _put(fresh_jobs, jobs)
    return []


def _put(fresh: Path, target: Path) -> None:
    """Rename ``fresh`` over ``target``, removing the old database's log first (it must not be
    replayed onto the new one)."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, target)
