"""Retention: old rows are archived to a verified gzip JSON-lines file and only then deleted;
never deleted without the archive; a retention under 180 days stops the start-up."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from minqing.core import audit_archive
from minqing.core.audit_archive import ArchiveError, archive_old_rows, check_retention, read_archive
from minqing.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 12, 1, 12))


def row(days_ago: int, detail: str) -> AuditEvent:
    return AuditEvent.objects.create(
        at=NOW - dt.timedelta(days=days_ago), action=AuditEvent.Action.LOGIN, actor_name="a", detail=detail
    )


def test_old_rows_are_archived_verified_then_deleted(tmp_path: Path) -> None:
    old = [row(400, "very old"), row(181, "old")]
    kept = row(179, "recent")
    result = archive_old_rows(now=NOW, directory=tmp_path)
    assert result.rows == 2 and result.path is not None
    assert [r["detail"] for r in read_archive(result.path)] == ["very old", "old"]
    manifest = json.loads(next(tmp_path.glob("*.manifest.json")).read_text())
    assert manifest["rows"] == 2 and manifest["sha256"] == result.sha256
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    said = AuditEvent.objects.get(action=AuditEvent.Action.ARCHIVE)
    assert str(result.path) in said.detail and result.sha256 in said.detail
    out = call_command_output("--verify", str(result.path))
    assert out.startswith("OK ")


def call_command_output(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command("audit_archive", *args, stdout=out)
    return out.getvalue()


def test_nothing_is_deleted_when_the_archive_does_not_read_back(tmp_path: Path, monkeypatch: Any) -> None:
    old = row(200, "old")

    def corrupt(path: Path, ids: Any, sha256: str) -> None:
        raise ArchiveError("read back differs")

    monkeypatch.setattr(audit_archive, "_check_read_back", corrupt)
    with pytest.raises(ArchiveError):
        archive_old_rows(now=NOW, directory=tmp_path)
    assert AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_command_archives_with_the_settings(tmp_path: Path, settings: Any) -> None:
    settings.MINQING_AUDIT_ARCHIVE_DIR = tmp_path
    AuditEvent.objects.create(at=timezone.now() - dt.timedelta(days=365), action=AuditEvent.Action.LOGIN)
    assert "1 rows ->" in call_command_output()
    assert len(list(tmp_path.glob("*.jsonl.gz"))) == 1


def test_the_daily_job_archives(tmp_path: Path, settings: Any) -> None:
    from minqing.core.tasks import audit_archive_daily

    settings.MINQING_AUDIT_ARCHIVE_DIR = tmp_path
    AuditEvent.objects.create(at=timezone.now() - dt.timedelta(days=365), action=AuditEvent.Action.LOGIN)
    audit_archive_daily.call_local()
    assert len(list(tmp_path.glob("*.jsonl.gz"))) == 1


def test_a_retention_under_180_days_is_refused() -> None:
    check_retention(180)
    with pytest.raises(ImproperlyConfigured, match="180"):
        check_retention(179)


def test_a_short_retention_refuses_to_archive(tmp_path: Path, settings: Any) -> None:
    settings.MINQING_AUDIT_RETENTION_DAYS = 30
    old = row(60, "two months")
    with pytest.raises(ImproperlyConfigured):
        archive_old_rows(now=NOW, directory=tmp_path)
    assert AuditEvent.objects.filter(pk=old.pk).exists()
