"""``minqing run-deadlines [--date YYYY-MM-DD] [--json]``: the deadline job, for cron."""

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from minqing.ledger.jobs import run_deadlines


class Command(BaseCommand):
    help = "标记逾期问题、上报上级单位、到期预警并发送通知(可由 cron 定时运行)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="按该日期检查(YYYY-MM-DD,默认今天)")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as e:
                raise CommandError(_("日期格式不正确:{value}").format(value=options["date"])) from e
        report = run_deadlines(today=today)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "期限检查完成({date}):标记逾期 {overdue} 件,上报上级 {escalated} 件,"
                "到期预警 {warnings} 件,发送通知 {notifications} 条。"
            ).format(
                date=report.today.isoformat(),
                overdue=report.overdue_marked,
                escalated=report.escalated,
                warnings=report.warnings,
                notifications=report.notifications,
            )
        )
