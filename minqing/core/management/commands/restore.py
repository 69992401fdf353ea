"""``minqing restore DIR``: restore a backup and verify its audit trail (docs/backup.md)."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minqing.core.backup.errors import BackupError
from minqing.core.backup.run import restore_backup


def _when(value: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"时间格式应为 ISO 8601 / --until takes an ISO 8601 time: {value}") from exc
    if when.tzinfo is None:
        raise CommandError(f"请带时区,如 +08:00 / give a time zone, e.g. +08:00: {value}")
    return when


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # the checks open the database this command replaces
    help = (
        "恢复备份并核对审计记录。SQLite:恢复为当前数据库文件(先停止服务);PostgreSQL:恢复到新的"
        "数据目录,可按时间点重放 WAL 归档 / Restore a backup and verify its audit trail (docs/backup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="备份目录 / the backup folder")
        parser.add_argument(
            "--force", action="store_true", help="SQLite:覆盖现有数据库 / replace the database"
        )
        parser.add_argument("--pgdata", help="PostgreSQL:新的数据目录 / a new data directory")
        parser.add_argument("--port", type=int, help="PostgreSQL:恢复后的端口 / the restored server's port")
        parser.add_argument("--wal-archive", help="PostgreSQL:WAL 归档目录 / the WAL archive folder")
        parser.add_argument("--until", help="PostgreSQL:恢复到此时间点 / recover up to this time (ISO 8601)")
        parser.add_argument("--start", action="store_true", help="PostgreSQL:启动并核对 / start and verify")
        parser.add_argument(
            "--stop", action="store_true", help="PostgreSQL:核对后停止 / stop after verifying"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        until = _when(options["until"]) if options.get("until") else None
        try:
            manifest, problems = restore_backup(
                Path(options["folder"]),
                lambda line: self.stderr.write(line),
                force=options["force"],
                pgdata=Path(options["pgdata"]) if options.get("pgdata") else None,
                port=options.get("port"),
                wal_archive=Path(options["wal_archive"]) if options.get("wal_archive") else None,
                until=until,
                start=options["start"],
                stop_after=options["stop"],
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败 / restore failed: {exc}") from exc
        if problems:
            raise CommandError(
                "恢复后审计记录核对不符 / the audit trail does not verify: " + "; ".join(problems)
            )
        verified = manifest.engine == "sqlite" or options["start"]
        status = (
            "审计记录已核对 / audit trail verified"
            if verified
            else "未启动,尚未核对 / not started, not verified"
        )
        self.stdout.write(f"OK {manifest.engine} backup of {manifest.created_at} restored; {status}")
