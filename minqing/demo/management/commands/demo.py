"""``minqing demo [--scale seed|city|region] [--seed N] [--if-empty]``: load the demo data."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from minqing.demo.runner import run_demo
from minqing.demo.tiers import TIERS


class Command(BaseCommand):
    help = "加载演示数据(可重复运行,不会重复写入) / Load the demo data (safe to re-run)."
    # loading the demo is how an install says it is a demo (minqing.demo.guard): the check that
    # refuses the demo's published password outside a demo must not refuse loading it
    requires_system_checks = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(TIERS),
            default="seed",
            help="seed(默认)、city、region;mini 只含乌兰浩特市,供测试使用",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子;相同种子生成完全相同的数据")
        parser.add_argument("--if-empty", action="store_true", help="仅当数据库中没有任何单位时才加载")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **opts: Any) -> None:
        run_demo(
            tier=TIERS[opts["scale"]],
            seed=opts["seed"],
            out=self.stdout,
            progress=False if opts["no_progress"] else None,
            if_empty=opts["if_empty"],
        )
