"""``minqing audit_archive`` (``minqing audit-archive``): archive the audit rows past the
retention, or ``--verify FILE`` an archive against its manifest (docs/audit.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minqing.core.audit_archive import ArchiveError, archive_old_rows, verify_archive


class Command(BaseCommand):
    help = (
        "把超过保存期限的审计记录写入归档文件(gzip JSON 行 + 清单),核对后再删除 / "
        "Archive the audit rows past the retention (gzip JSON lines + manifest), verify, then delete."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verify", metavar="FILE", help="核对一个归档文件 / verify one archive file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options.get("verify"):
                manifest = verify_archive(Path(options["verify"]))
                self.stdout.write(
                    f"OK {manifest['file']}: {manifest['rows']} rows, sha256 {manifest['sha256']}"
                )
                return
            result = archive_old_rows()
        except (ArchiveError, OSError, KeyError, ValueError) as exc:
            raise CommandError(f"审计归档失败 / audit archive failed: {exc}") from exc
        if result.path is None:
            self.stdout.write(f"0 rows before {result.cutoff.isoformat()}")
        else:
            self.stdout.write(f"{result.rows} rows -> {result.path} (sha256 {result.sha256})")
