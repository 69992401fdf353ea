"""A large 问题 file for import benchmarks: ``python -m benchmarks.problem_file OUT.csv N``.

Run with the database of the mini tier (or larger): rows name its territorial units, its people
(认领人员编号) and every 状态, spread over 2024-2025, all valid for ``minqing import problems``.
"""

import csv
import datetime as dt
import random
import sys
from pathlib import Path


def generate(path: Path, n: int, *, seed: int = 17, prefix: str = "IMP") -> None:
    import django

    django.setup()
    from django.utils import timezone

    from minqing.core.importing.values import format_datetime
    from minqing.ledger.problem_format import HEADERS, words
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.models import Person, Unit

    rnd = random.Random(seed)
    kinds = [UnitKind.VILLAGE, UnitKind.TOWNSHIP, UnitKind.COUNTY]
    units = list(Unit.objects.filter(kind__in=kinds).values_list("code", flat=True).order_by("code"))
    people = list(Person.objects.values_list("number", flat=True).order_by("number")[:500])
    if not units:
        raise SystemExit("no territorial units: load the demo (minqing demo --scale mini) first")
    source, channel, state = words("source"), words("channel"), words("state")
    kind, sat = words("resolution_kind"), words("satisfaction")
    states = ["registered", "assigned", "accepted", "rectifying", "resolved", "closed", "closed", "returned"]
    start = timezone.make_aware(dt.datetime(2024, 1, 1, 8, 0))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        for i in range(n):
            st = states[i % len(states)]
            src = rnd.choice(list(source))
            reg = start + dt.timedelta(minutes=rnd.randrange(0, 700 * 24 * 60))
            resolved = reg + dt.timedelta(days=rnd.randrange(1, 40)) if st in ("resolved", "closed") else None
            needs_resp = st not in ("registered", "returned", "merged")
            w.writerow(
                [
                    f"{prefix}{i:08d}",
                    "",
                    source[src],
                    channel[rnd.choice(list(channel))] if src == "public" else "",
                    f"导入问题{i}:道路破损需要修复",
                    "群众反映村内道路破损,雨天积水,出行不便。",
                    rnd.choice(units),
                    rnd.choice(units) if needs_resp else "",
                    format_datetime(reg),
                    "是" if i % 11 == 0 else "否",
                    rnd.choice(people) if people and i % 13 == 0 else "",
                    "是" if i % 17 == 0 else "否",
                    state[st],
                    format_datetime(resolved),
                    kind[rnd.choice(list(kind))] if resolved else "",
                    "已修复" if resolved else "",
                    sat[rnd.choice(list(sat))] if st == "closed" and i % 2 else "",
                ]
            )


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
