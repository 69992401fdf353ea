"""``minqing bulletin --unit CODE --as-of YYYY-MM-DD [--campaign NAME] [--format FMT] [--output FILE]
[--publish]``.

Prints (txt, json) or writes (docx, pdf, xlsx, or any format with ``--output``) the bulletin of
the unit's subtree as of the date, counted from the records. The campaign defaults to the one
running at that date in the unit's scope. ``--publish`` also freezes it as a published bulletin.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from minqing.core.errors import DomainError
from minqing.orgs.actors import SYSTEM
from minqing.orgs.services.units import resolve_unit
from minqing.reports.bulletins.campaigns import campaign_for
from minqing.reports.bulletins.renderers import FORMATS, filename, render
from minqing.reports.bulletins.selectors import as_of_date
from minqing.reports.bulletins.services import bulletin_generate, bulletin_publish, published_doc

TEXT_FORMATS = ("txt", "json")


class Command(BaseCommand):
    help = (
        "生成单位(含下级)截至某日的简报:数字全部由记录统计得出 / "
        "Print a unit's bulletin as of a date, every figure counted from the records."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="单位代码:12 位区划代码、简写(如 152201)或单位自己的代码"
        )
        parser.add_argument("--as-of", required=True, dest="as_of", help="截止日期 YYYY-MM-DD,如 2019-12-20")
        parser.add_argument(
            "--campaign", default="", help="专题名称;默认为截止日期时覆盖该单位的正在开展的专题"
        )
        parser.add_argument("--format", default="txt", choices=list(FORMATS), help="输出格式(默认 txt)")
        parser.add_argument("--output", default="", help="写入的文件;docx、pdf、xlsx 默认写入当前目录")
        parser.add_argument("--publish", action="store_true", help="同时发布(冻结)这期简报")

    def handle(self, *args: Any, **opts: Any) -> None:
        fmt: str = opts["format"]
        try:
            unit = resolve_unit(opts["unit"])
            as_of = as_of_date(opts["as_of"])
            campaign = campaign_for(unit, as_of, opts["campaign"] or None)
            if opts["publish"]:
                bulletin = bulletin_publish(actor=SYSTEM, unit=unit, as_of=as_of, campaign=campaign)
                doc = published_doc(bulletin)
                self.stderr.write(
                    _("已发布第 {n} 期简报(编号 {pk})").format(n=bulletin.number, pk=bulletin.pk)
                    + f" / published as issue {bulletin.number} (#{bulletin.pk})"
                )
            else:
                doc = bulletin_generate(unit=unit, as_of=as_of, campaign=campaign, actor=SYSTEM)
        except DomainError as err:
            raise CommandError(err.bilingual()) from err
        try:
            data = render(doc, fmt)
        except DomainError as err:
            raise CommandError(err.bilingual()) from err
        output = opts["output"]
        if not output and fmt in TEXT_FORMATS:
            self.stdout.write(data.decode("utf-8"), ending="" if data.endswith(b"\n") else "\n")
            return
        path = Path(output or filename(doc, fmt))
        path.write_bytes(data)
        self.stdout.write(_("已写入 {path}").format(path=path) + f" / written to {path}")
