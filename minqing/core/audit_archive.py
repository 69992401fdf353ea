"""Retention of the audit trail: rows older than ``MINQING_AUDIT_RETENTION_DAYS`` (at least 180)
are written to a gzip JSON-lines file with a manifest (sha256, row count, period), the file is
read back and checked, and only then exactly those rows are deleted, in one transaction which on
PostgreSQL is the only one the append-only trigger lets delete (``SET LOCAL
minqing.audit_archive = 'on'``). One ARCHIVE row says what went where. Run daily by huey
(``minqing.core.tasks``) and by ``minqing audit_archive``. Never deletes without a verified file.
"""

import gzip
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.utils import timezone

from minqing.core.audit import audit
from minqing.core.backup.manifest import file_sha256
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM

MIN_RETENTION_DAYS = 180
CHUNK = 2000
FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "detail",
    "ip",
    "user_agent",
)


class ArchiveError(Exception):
    """The archive could not be written or did not read back as written: nothing was deleted."""


def check_retention(days: int) -> None:
    """At start-up (``CoreConfig.ready``): a retention under 180 days stops the site."""
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"MINQING_AUDIT_RETENTION_DAYS={days}:审计记录至少保存 {MIN_RETENTION_DAYS} 天 "
            f"(audit records must be kept at least {MIN_RETENTION_DAYS} days)"
        )


@dataclass(frozen=True)
class ArchiveResult:
    rows: int
    path: Path | None
    sha256: str
    cutoff: datetime


def archive_dir() -> Path:
    return Path(settings.MINQING_AUDIT_ARCHIVE_DIR)


def _line(row: dict[str, Any]) -> bytes:
    row = {**row, "at": row["at"].isoformat()}
    return json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\n"


def read_archive(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of an archive file, one dict each (``at`` as ISO text)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def verify_archive(path: Path) -> dict[str, Any]:
    """The manifest of ``path`` after checking the file's sha256 and row count against it;
    ``ArchiveError`` if either differs."""
    manifest_path = path.with_name(path.name.removesuffix(".jsonl.gz") + ".manifest.json")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    if file_sha256(path) != manifest["sha256"]:
        raise ArchiveError(f"{path.name}: sha256 differs from the manifest")
    count = sum(1 for _row in read_archive(path))
    if count != manifest["rows"]:
        raise ArchiveError(f"{path.name}: {count} rows, the manifest says {manifest['rows']}")
    return manifest


def _write_file(path: Path, rows: Iterator[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    with gzip.open(path, "wb") as f:
        for row in rows:
            f.write(_line(row))
            ids.append(row["id"])
    return ids


def _check_read_back(path: Path, ids: Sequence[int], sha256: str) -> None:
    """The read back before anything is deleted, in one streamed pass: the file hashes to
    ``sha256`` (the manifest's) and holds exactly ``ids``, in order."""
    if file_sha256(path) != sha256:
        raise ArchiveError(f"{path.name}: changed after it was written")
    for n, (row, wrote) in enumerate(zip_longest(read_archive(path), ids), start=1):
        read = None if row is None else row["id"]
        if read != wrote:
            raise ArchiveError(f"{path.name}: row {n} reads back as id {read}, wrote id {wrote}")


def _delete(ids: Sequence[int]) -> int:
    """Exactly these rows, past the model's refusal (``AuditEventQuerySet``) on purpose."""
    deleted = 0
    for start in range(0, len(ids), CHUNK):
        plain: models.QuerySet[AuditEvent] = models.QuerySet(model=AuditEvent)
        deleted += plain.filter(pk__in=ids[start : start + CHUNK])._raw_delete(connection.alias)
    return deleted


def archive_old_rows(*, now: datetime | None = None, directory: Path | None = None) -> ArchiveResult:
    """Archive and delete the rows older than the retention; see the module's docstring."""
    days = int(settings.MINQING_AUDIT_RETENTION_DAYS)
    check_retention(days)
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    directory = directory or archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL minqing.audit_archive = 'on'")
        old = AuditEvent.objects.filter(at__lt=cutoff).order_by("id")
        if not old.exists():
            audit(
                actor=SYSTEM, action=AuditEvent.Action.ARCHIVE, detail=f"0 rows before {cutoff.isoformat()}"
            )
            return ArchiveResult(0, None, "", cutoff)
        stem = f"audit-{cutoff:%Y%m%dT%H%M%S}-{now:%Y%m%dT%H%M%S%f}"
        path = directory / f"{stem}.jsonl.gz"
        partial = path.with_name(path.name + ".part")
        ids = _write_file(partial, old.values(*FIELDS).iterator(chunk_size=CHUNK))
        sha256 = file_sha256(partial)
        _check_read_back(partial, ids, sha256)
        os.replace(partial, path)
        period = old.aggregate(first=Min("at"), last=Max("at"))
        manifest = {
            "file": path.name,
            "sha256": sha256,
            "rows": len(ids),
            "first_at": period["first"].isoformat(),
            "last_at": period["last"].isoformat(),
            "cutoff": cutoff.isoformat(),
            "retention_days": days,
            "created_at": now.isoformat(),
            "fields": list(FIELDS),
        }
        (directory / f"{stem}.manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        deleted = _delete(ids)
        if deleted != len(ids):
            raise ArchiveError(f"deleted {deleted} rows, archived {len(ids)}: rolled back")
        audit(
            actor=SYSTEM,
            action=AuditEvent.Action.ARCHIVE,
            object_type="core.auditevent",
            detail=f"{len(ids)} rows before {cutoff.isoformat()} -> {path} sha256={sha256}"[:500],
        )
    return ArchiveResult(len(ids), path, sha256, cutoff)
