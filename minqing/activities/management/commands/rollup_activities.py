"""``minqing rollup-activities [--rebuild]``: fold new activities and attendance into the rollups."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from minqing.activities.services.rollups import rollups_refresh


class Command(BaseCommand):
    help = "把新增的活动和签到计入活动统计汇总(--rebuild 全部重算)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="清空后全部重算")

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        r = rollups_refresh(rebuild=options["rebuild"])
        self.stdout.write(
            _(
                "活动统计汇总已更新:计入活动 {activities} 个、签到 {attendance} 条,"
                "写入汇总 {rows} 行,用时 {seconds} 秒。"
            ).format(
                activities=r.activities,
                attendance=r.attendance,
                rows=r.rows_written,
                seconds=f"{time.perf_counter() - t0:.1f}",
            )
        )
