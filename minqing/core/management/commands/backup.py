"""``minqing backup DIR``: an online backup of the database (docs/backup.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minqing.core.backup.errors import BackupError
from minqing.core.backup.run import take_backup


class Command(BaseCommand):
    help = "在线备份数据库(SQLite 或 PostgreSQL 基础备份)/ Back up the database online (docs/backup.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="备份写入的新目录 / a new folder for the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            m = take_backup(Path(options["folder"]), lambda line: self.stderr.write(line))
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败 / backup failed: {exc}") from exc
        self.stdout.write(
            f"OK {m.engine} {m.created_at}: {m.counts.get('ledger_problem', 0)} problems, "
            f"{m.audit.rows} audit rows, {len(m.files)} files -> {options['folder']}"
        )
