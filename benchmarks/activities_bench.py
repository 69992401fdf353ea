"""Benchmark of study and outreach: the counting selector and "households not visited" at the
city tier (100,000 activities, 2,000,000 attendance rows), and the 签到 importer. SQLite and
PostgreSQL.

    python -m benchmarks.activities_bench [--skip-pg]

A fresh database per engine loaded with ``minqing demo --scale city`` (timed), then:
``activity_counts`` (sessions, person-times, distinct people per type) for the root
(内蒙古自治区), the city (乌兰察布市) and one county (察哈尔右翼前旗) over the 2019 campaign's
period, with and without the campaign filter; ``households_not_visited`` for the county over the
same period (count and first page), as the city office; and an import of 4,000 activities then
100,000 attendance rows from CSV files. Target p95 < 500 ms for the counts, < 1 s for the
households. Results: benchmarks/results/activities.md and activities.json.

``activity_counts`` reads the rollups; each of its cases is also run as ``direct_counts`` (the
same counts from the tables alone) in the same process, checked equal, and reported as a ratio.
The rollups' full rebuild is timed, and the counts are timed again with the worst tail they allow
(just under ``TAIL_ROWS`` attendance rows not yet folded in).
"""

import argparse
import csv
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    PG_DEFAULT,
    header,
    machine,
    measured_demo,
    ok,
    run,
    vacuum_pg,
    write_results,
)
from benchmarks.ledger_bench import fresh as _fresh
from benchmarks.ledger_bench import stats

COUNTY = "150926000000"  # 察哈尔右翼前旗 (Ulanqab)
CITY = "150900000000"
COUNT_TARGET_MS, HOUSEHOLD_TARGET_MS = 500, 1000
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
BASE_REPEAT = 5  # the direct (table-only) baseline: slower, fewer runs


def timeit(fn, repeat=REPEAT):
    for _ in range(2):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return stats(samples)


def explain(qs):
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            c.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" | ".join(str(x) for x in row) for row in c.fetchall())


def queries():
    import sqlite3

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    from minqing.activities.counting import activity_counts, direct_counts
    from minqing.activities.coverage_rules import Period, households_not_visited
    from minqing.activities.models import Activity, ActivityRollup, Attendance
    from minqing.activities.services.rollups import rollups_refresh
    from minqing.campaigns.models import Campaign
    from minqing.core.paths import prefix_q
    from minqing.orgs.models import Unit

    tz = timezone.get_current_timezone()
    start = datetime.datetime(2019, 6, 1, tzinfo=tz)
    end = datetime.datetime(2019, 12, 1, tzinfo=tz)
    camp = Campaign.objects.get(name="“不忘初心、牢记使命”主题教育")
    units = {
        "root": Unit.objects.filter(depth=1).order_by("path").first(),
        "city": Unit.objects.get(code=CITY),
        "county": Unit.objects.get(code=COUNTY),
    }
    out: dict = {
        "server": connection.vendor + (f" {sqlite3.sqlite_version}" if connection.vendor == "sqlite" else ""),
        "activities": Activity.objects.count(),
        "attendance": Attendance.objects.count(),
        "cases": {},
        "plans": {},
    }
    t0 = time.perf_counter()
    rebuilt = rollups_refresh(rebuild=True)
    out["rollup_rebuild"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "rows": ActivityRollup.objects.count(),
        "activities": rebuilt.activities,
        "attendance": rebuilt.attendance,
    }
    for key, unit in units.items():
        for with_campaign in (False, True):

            def q(unit=unit, with_campaign=with_campaign, fn=activity_counts):
                return fn(None, unit, start, end, campaign=camp if with_campaign else None)

            res = q()
            value = totals(res)
            assert per_type(res) == per_type(q(fn=direct_counts)), "rollups differ from the tables"
            base = timeit(lambda q=q: q(fn=direct_counts), repeat=BASE_REPEAT)
            label = f"activity_counts {unit.name}, 2019 period" + (
                ", campaign filter" if with_campaign else ""
            )
            name = f"counts_{key}" + ("_campaign" if with_campaign else "")
            case = {"label": label, "value": value, "target_ms": COUNT_TARGET_MS, **timeit(q)}
            case["baseline_median_ms"] = base["median_ms"]
            case["ratio"] = round(case["median_ms"] / base["median_ms"], 3)
            out["cases"][name] = case
        acts = Activity.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
        rows = Attendance.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
        out["plans"][f"{key}_activities"] = explain(
            acts.values("type_id").annotate(
                n=Count("id"), hc=Sum("headcount"), h=Count("id", filter=Q(headcount__isnull=False))
            )
        )
        out["plans"][f"{key}_attendance"] = explain(
            rows.values("type_id").annotate(n=Count("id"), p=Count("person_id", distinct=True))
        )
    office = get_user_model().objects.get(username="wlcb_office")
    period = Period(datetime.date(2019, 6, 1), datetime.date(2019, 11, 30))
    county = units["county"]

    def hv():
        total, page = households_not_visited(office, county, period=period)
        list(page.object_list)
        return total

    out["cases"]["households_not_visited"] = {
        "label": f"households_not_visited {county.name}, 2019 period (count + first page)",
        "value": {"households": hv()},
        "target_ms": HOUSEHOLD_TARGET_MS,
        **timeit(hv),
    }
    return out


def totals(res):
    return {
        "sessions": sum(c.sessions for c in res),
        "person_times": sum(c.person_times for c in res),
        "people_sum_over_types": sum(c.people for c in res),
    }


def per_type(res):
    return {c.type.code: (c.sessions, c.person_times, c.people) for c in res}


def with_tail():
    """Counts for the root with just under TAIL_ROWS attendance rows not folded in."""
    from django.utils import timezone

    from minqing.activities.counting import activity_counts, direct_counts
    from minqing.activities.models import Activity, Attendance
    from minqing.activities.services.bulk import AttendanceRow, attendance_bulk_create
    from minqing.activities.services.rollups import TAIL_ROWS, pending_rows
    from minqing.orgs.models import Person, Unit

    tz = timezone.get_current_timezone()
    start = datetime.datetime(2019, 6, 1, tzinfo=tz)
    end = datetime.datetime(2019, 12, 1, tzinfo=tz)
    root = Unit.objects.filter(depth=1).order_by("path").first()
    acts = list(
        Activity.objects.filter(start__gte=start, start__lt=end, headcount__isnull=True).values_list(
            "id", flat=True
        )[:200]
    )
    people = list(Person.objects.values_list("id", flat=True)[:5000])
    have = set(Attendance.objects.filter(activity_id__in=acts).values_list("activity_id", "person_id"))
    n = TAIL_ROWS - 1 - pending_rows()
    rows: list = []
    for a in acts:
        for p in people:
            if len(rows) >= n:
                break
            if (a, p) not in have:
                rows.append(AttendanceRow(a, p, timezone.now()))
    attendance_bulk_create(rows)
    pending = pending_rows()

    def q(fn=activity_counts):
        return fn(None, root, start, end)

    assert per_type(q()) == per_type(q(fn=direct_counts)), "rollups + tail differ from the tables"
    base = timeit(lambda: q(fn=direct_counts), repeat=BASE_REPEAT)
    case = {
        "label": f"activity_counts {root.name}, 2019 period, {pending:,} rows not yet folded in",
        "value": totals(q()),
        "target_ms": COUNT_TARGET_MS,
        **timeit(q),
    }
    assert pending_rows() == pending  # still not folded in: the tail was read every time
    case["baseline_median_ms"] = base["median_ms"]
    case["ratio"] = round(case["median_ms"] / base["median_ms"], 3)
    return case


def imports(tmp):
    """4,000 activities, then 100,000 attendance rows (25 people each), through the importers."""

    from minqing.activities.importers.activities import import_activities
    from minqing.activities.importers.attendance import import_attendance
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.models import Person, Unit

    county = Unit.objects.get(code=COUNTY)
    people = list(
        Person.objects.filter(path__startswith=county.path[:6]).values_list("number", flat=True)[:2000]
    )
    units = list(Unit.objects.filter(path__startswith=county.path).values_list("code", flat=True)[:200])
    act_file, att_file = Path(tmp) / "activities.csv", Path(tmp) / "attendance.csv"
    with act_file.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["活动编号", "专题名称", "活动类型", "组织单位代码", "开始时间", "结束时间", "标题", "参加人数"]
        )
        for i in range(4000):
            day = datetime.date(2019, 6, 1) + datetime.timedelta(days=i % 180)
            w.writerow(
                [
                    f"BI{i:06d}",
                    "",
                    "支部学习会",
                    units[i % len(units)],
                    f"{day} 09:00",
                    f"{day} 11:00",
                    f"学习 {i}",
                    "",
                ]
            )
    with att_file.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["活动编号", "人员编号", "签到时间"])
        for i in range(4000):
            day = datetime.date(2019, 6, 1) + datetime.timedelta(days=i % 180)
            for j in range(25):
                w.writerow([f"BI{i:06d}", people[(i * 7 + j) % len(people)], f"{day} 08:{j + 30:02d}"])
    out = {}
    for key, fn, path in (
        ("activities", import_activities, act_file),
        ("attendance", import_attendance, att_file),
    ):
        t0 = time.perf_counter()
        res = fn(path, actor=SYSTEM)
        out[key] = {"rows": res.created, "seconds": round(time.perf_counter() - t0, 2)}
        t0 = time.perf_counter()
        res = fn(path, actor=SYSTEM)
        out[key]["reimport_unchanged"] = res.unchanged
        out[key]["reimport_seconds"] = round(time.perf_counter() - t0, 2)
    return out


def child(mode, arg):
    import django

    django.setup()
    if mode == "queries":
        res = queries()
        res["cases"]["counts_root_tail"] = with_tail()
    else:
        res = imports(arg)
    print(json.dumps(res, ensure_ascii=False))


def in_child(env, mode, arg=""):
    cmd = [sys.executable, "-m", "benchmarks.activities_bench", "--child", mode, str(arg)]
    return json.loads(run(cmd, env).stdout)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(*args.child)
    tmp = Path(tempfile.mkdtemp(prefix="minqing-activities-bench-"))
    engines = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}"}
    if not args.skip_pg:
        engines["postgresql"] = args.pg_url
    result = {
        "command": " ".join(
            ["python -m benchmarks.activities_bench", *(argv if argv is not None else sys.argv[1:])]
        ),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "repeat": REPEAT,
        "load": {},
        "queries": {},
        "imports": {},
    }
    try:
        for engine, url in engines.items():
            env = _fresh(engine, url, tmp)
            print(f"[{engine}] loading the city tier ...", flush=True)
            result["load"][engine] = measured_demo(env, "city")
            print(f"[{engine}] city load {result['load'][engine]['seconds']} s", flush=True)
            if engine == "postgresql":
                vacuum_pg(url)
            result["queries"][engine] = in_child(env, "queries")
            print(json.dumps(result["queries"][engine]["cases"], ensure_ascii=False)[:2000], flush=True)
            result["imports"][engine] = in_child(env, "imports", tmp)
            print(f"[{engine}] imports {result['imports'][engine]}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_results("activities", result, render)
    return result


def render(r):
    out = header("Study and outreach: activity counts, households not visited, imports (city tier)", r)
    out += ["## City tier load (`minqing demo --scale city`, fresh database)", "",
            "| engine | wall time | peak RSS |", "|---|---|---|"]  # fmt: skip
    for eng, ld in r["load"].items():
        out.append(f"| {eng} | {ld['seconds']} s | {ld['peak_rss_mb']} MB |")
    out += [
        "",
        "## Reads",
        "",
        f"Median and p95 of {r['repeat']} runs after 2 warm-ups. Period: 2019-06-01 to 2019-11-30 "
        "(the 2019 campaign). `households_not_visited` runs as wlcb_office; the demo has no visits, "
        "so every household of the county is listed (the worst case for NOT EXISTS).",
        "",
        "Each `activity_counts` case is checked equal to `direct_counts` (the same counts from the "
        f"tables alone, median of {BASE_REPEAT} runs) and given as a ratio to it.",
        "",
        "| engine | read | result | median ms | p95 ms | direct ms | ratio | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for eng, q in r["queries"].items():
        out.append(f"| {q['server']} | rows in the database | {q['activities']:,} activities, "
                   f"{q['attendance']:,} attendance | | | | | |")  # fmt: skip
        for c in q["cases"].values():
            val = ", ".join(f"{k} {v:,}" for k, v in c["value"].items())
            out.append(
                f"| {eng} | {c['label']} | {val} | {c['median_ms']} | {c['p95_ms']} "
                f"| {c.get('baseline_median_ms', '')} | {c.get('ratio', '')} "
                f"| {ok(c['p95_ms'] < c['target_ms'])} < {c['target_ms']} ms |"
            )
    out += ["", "## Rollups (`minqing rollup-activities --rebuild`)", ""]
    out += ["| engine | seconds | rollup rows | activities | attendance |", "|---|---|---|---|---|"]
    for eng, q in r["queries"].items():
        rb = q["rollup_rebuild"]
        out.append(
            f"| {eng} | {rb['seconds']} | {rb['rows']:,} | {rb['activities']:,} | {rb['attendance']:,} |"
        )
    out += ["", "## Imports (`import_activities`, then `import_attendance`, CSV; then each file again)", "",
            "| engine | file | rows | seconds | re-import unchanged | re-import seconds |",
            "|---|---|---|---|---|---|"]  # fmt: skip
    for eng, im in r["imports"].items():
        for key, x in im.items():
            out.append(
                f"| {eng} | {key} | {x['rows']:,} | {x['seconds']} | {x['reimport_unchanged']:,} "
                f"| {x['reimport_seconds']} |"
            )
    out += ["", "## Query plans (the two grouped queries of `direct_counts`, no campaign filter)", ""]
    for eng, q in r["queries"].items():
        for key, plan in q["plans"].items():
            out += [f"### {eng}: {key}", "", "```", plan, "```", ""]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
