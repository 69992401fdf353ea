"""``minqing privacy [--format json]``: where personal data lives (``minqing.core.privacy``)."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from minqing.core.privacy import Report, report


class Command(BaseCommand):
    help = "个人信息分布报告:字段、是否加密、显示方式、可读角色、保存期限、行数 / Where personal data lives."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")

    def handle(self, *args: Any, **opts: Any) -> None:
        r = report()
        if opts["format"] == "json":
            self.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._text(r)

    def _text(self, r: Report) -> None:
        w = self.stdout.write
        w(_("个人信息分布"))
        w("=" * 40)
        model = ""
        for f in r.fields:
            if f.model != model:
                model = f.model
                w("")
                w(f"{f.table}({f.model}):{f.kind}")
                w("  " + _("行数:{n}").format(n=f"{f.rows:,}"))
                w("  " + _("显示:{shown}").format(shown=f.shown))
                w("  " + _("可读:{readers}").format(readers=f.readers or "—"))
                w("  " + _("保存期限:{retention}").format(retention=f.retention))
            state = _("加密") if f.encrypted else _("明文")
            w(f"  - {f.table}.{f.column}  [{state}]")
        w("")
        w(_("VAR_DIR 下的文件"))
        w("=" * 40)
        for file in r.files:
            w(f"{file.path}  {file.bytes:,} B  {file.what}")
        w("")
        w(_("加密密钥:{count} 个,来自 {source}").format(count=r.key_count, source=r.key_source))
