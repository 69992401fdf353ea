"""``minqing rollup-problems [--rebuild]``: fold the changed problems into the figures' rollup."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from minqing.ledger.rollup import rollup_refresh


class Command(BaseCommand):
    help = "把新增和变动的问题计入问题统计汇总(--rebuild 全部重算)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="清空后全部重算")

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        r = rollup_refresh(rebuild=options["rebuild"])
        self.stdout.write(
            _(
                "问题统计汇总已更新:计入变动 {changes} 条,重算 {buckets} 组,"
                "写入汇总 {rows} 行,用时 {seconds} 秒。"
            ).format(
                changes=r.changes,
                buckets=r.buckets,
                rows=r.rows_written,
                seconds=f"{time.perf_counter() - t0:.1f}",
            )
        )
