"""A writer for the backup tests, run in its own process against the database in DATABASE_URL:
public submissions, each acknowledged (``ack CODE`` on stdout) only after its transaction with its
audit rows has committed, as the public form does, until the file named on the command line
exists. ``python -m minqing.core.tests.backup_load STOPFILE``."""

import os
import sys
import time
from pathlib import Path


def main(stop: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from minqing.core.audit_writes import written_before_commit
    from minqing.ledger.enums import Channel
    from minqing.ledger.services.intake import Reporter, feedback_submit
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.models import Unit
    from minqing.orgs.services.units import UnitRow, units_upsert

    if not Unit.objects.filter(code="150900000000").exists():
        units_upsert(
            actor=SYSTEM, rows=[UnitRow(code="150900000000", name="乌兰察布市", kind=UnitKind.PREFECTURE)]
        )
    unit = Unit.objects.get(code="150900000000")
    n = 0
    while not stop.exists():
        n += 1
        with transaction.atomic(), written_before_commit():
            fb = feedback_submit(
                actor=SYSTEM,
                channel=Channel.ONLINE,
                title=f"备份测试第 {n} 条反映",
                content="小区路灯不亮,请尽快修复",
                unit=unit,
                reporter=Reporter(name="张三", phone="13900001111"),
            )
        print(f"ack {fb.tracking_code} {time.time():.6f}", flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
