"""``minqing rotate_field_keys``: re-encrypt every encrypted column with the first key.

Put the new key first in ``MINQING_FIELD_KEYS`` (keep the old ones after it), run this, then drop
the old keys. Batches of rows, one transaction each, a progress bar per table; rows already under
the first key are left alone, so it is safe to stop and rerun. ``--generate-key`` prints a new key.
"""

import sys
from argparse import ArgumentParser
from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from minqing.core import field_rows


class Command(BaseCommand):
    help = "用第一个密钥重新加密全部加密字段(密钥轮换,可重复运行) / Re-encrypt with the first key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="每批行数")
        parser.add_argument(
            "--generate-key", action="store_true", help="只打印一个新密钥(用于 MINQING_FIELD_KEYS)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["generate_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        show = opts["verbosity"] > 0
        for table in field_rows.encrypted_tables():
            total = field_rows.count_rows(connection, table)
            with tqdm(
                total=total, desc=table.table, unit="行", disable=not show, leave=False, file=sys.stderr
            ) as bar:
                changed = field_rows.rewrite_table(
                    connection, table, field_rows.to_first_key, batch=opts["batch_size"], progress=bar.update
                )
            if show:
                self.stdout.write(
                    _("{table}:共 {total} 行,重新加密 {changed} 行").format(
                        table=table.table, total=total, changed=changed
                    )
                )
