"""Benchmark of bulletins: the full Ulanqab (2015-06-30) and Ulanhot (2019-12-20) bulletins at the
city tier, on SQLite and PostgreSQL; and at the region tier on PostgreSQL.

    python -m benchmarks.reports_bench [--skip-pg]
    python -m benchmarks.reports_bench --tier region --skip-sqlite [--reuse-pg]

A fresh database per engine loaded with ``minqing demo --scale city`` (the seed campaigns' replay
plus 200,000 problems, 100,000 activities and 2,000,000 attendance rows), then
``bulletin_generate`` (every registered metric, counted from the records, and the sentences) for
each bulletin, median and p95 of ``BENCH_REPEAT`` runs after one warm-up, each on a fresh
``MetricContext`` (nothing cached between runs). The slowest metric groups of one run are listed.
Target: under 1 s. Results: benchmarks/results/reports.md and reports.json.

``--tier region`` loads ``minqing demo --scale region`` instead (all of Inner Mongolia: 150,000
grids, 8,000,000 households, 2,000,000 problems, 1,000,000 activities, 20,000,000 attendance rows,
and the seed campaigns' replay). Target there: under 3 s on PostgreSQL. The load takes over an
hour; ``--reuse-pg`` keeps the database of an earlier run (the demo resumes where it stopped and
adds nothing to a complete load). Results: benchmarks/results/reports_region.md and .json.
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    MINQING,
    PG_DEFAULT,
    env_for,
    header,
    machine,
    measured_demo,
    ok,
    run,
    vacuum_pg,
    write_results,
)
from benchmarks.ledger_bench import BENCH_ENV, stats
from benchmarks.ledger_bench import fresh as _fresh

TARGETS_MS = {"city": 1000, "region": 3000}
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
BULLETINS = (("150900", datetime.date(2015, 6, 30)), ("152201", datetime.date(2019, 12, 20)))


def queries(tier="city"):
    import sqlite3

    from django.db import connection

    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.services.units import resolve_unit
    from minqing.reports.bulletins.services import bulletin_generate
    from minqing.reports.metrics.registry import METRICS, MetricContext, default_campaign, load_all

    load_all()
    out: dict = {
        "server": connection.vendor + (f" {sqlite3.sqlite_version}" if connection.vendor == "sqlite" else ""),
        "cases": {},
    }
    for code, as_of in BULLETINS:
        unit = resolve_unit(code)
        campaign = default_campaign(unit, as_of)
        assert campaign is not None, f"no campaign for {code} at {as_of}"

        def gen(unit=unit, as_of=as_of, campaign=campaign):
            return bulletin_generate(actor=SYSTEM, unit=unit, as_of=as_of, campaign=campaign)

        doc = gen()
        samples = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            gen()
            samples.append(time.perf_counter() - t0)
        groups: dict[str, float] = {}
        ctx = MetricContext(unit=unit, as_of=as_of, campaign=campaign, actor=SYSTEM)
        for m in METRICS.values():
            t0 = time.perf_counter()
            m.func(ctx)
            groups[m.group] = groups.get(m.group, 0.0) + time.perf_counter() - t0
        slowest = sorted(groups.items(), key=lambda kv: -kv[1])[:4]
        out["cases"][code] = {
            "label": f"{unit.name} bulletin as of {as_of} ({campaign.name})",
            "metrics": len(doc.figures),
            "target_ms": TARGETS_MS[tier],
            "slowest_groups_ms": {k: round(v * 1000, 1) for k, v in slowest},
            **stats(samples),
        }
    return out


def child(tier):
    import django

    django.setup()
    print(json.dumps(queries(tier), ensure_ascii=False))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", choices=tuple(TARGETS_MS), default="city")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--reuse-pg", action="store_true", help="keep the PostgreSQL database of an earlier run")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--child", nargs=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(*args.child)
    tmp = Path(tempfile.mkdtemp(prefix="minqing-reports-bench-"))
    engines = {} if args.skip_sqlite else {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}"}
    if not args.skip_pg:
        engines["postgresql"] = args.pg_url
    result = {
        "command": " ".join(
            ["python -m benchmarks.reports_bench", *(argv if argv is not None else sys.argv[1:])]
        ),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "tier": args.tier,
        "repeat": REPEAT,
        "load": {},
        "queries": {},
    }
    try:
        for engine, url in engines.items():
            reuse = engine == "postgresql" and args.reuse_pg
            env = env_for(url, tmp, **BENCH_ENV) if reuse else _fresh(engine, url, tmp)
            if reuse:
                run([*MINQING, "migrate", "--noinput", "-v0"], env)
            print(f"[{engine}] loading the {args.tier} tier ...", flush=True)
            result["load"][engine] = measured_demo(env, args.tier)
            result["load"][engine]["resumed"] = reuse
            print(f"[{engine}] {args.tier} load {result['load'][engine]['seconds']} s", flush=True)
            if engine == "postgresql":
                vacuum_pg(url)
            cmd = [sys.executable, "-m", "benchmarks.reports_bench", "--child", args.tier]
            result["queries"][engine] = json.loads(run(cmd, env).stdout)
            print(json.dumps(result["queries"][engine], ensure_ascii=False), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_results("reports" if args.tier == "city" else f"reports_{args.tier}", result, render)
    return result


def render(r):
    tier = r.get("tier", "city")
    out = header(f"Bulletins: the two seed bulletins at the {tier} tier", r)
    out += [f"## {tier.capitalize()} tier load (`minqing demo --scale {tier}`)", "",
            "| engine | wall time | peak RSS |", "|---|---|---|"]  # fmt: skip
    for eng, ld in r["load"].items():
        resumed = " (resumed an earlier load; this run's part only)" if ld.get("resumed") else ""
        out.append(f"| {eng} | {ld['seconds']} s{resumed} | {ld['peak_rss_mb']} MB |")
    out += [
        "",
        "## `bulletin_generate` (every registered metric and the sentences)",
        "",
        f"Median and p95 of {r['repeat']} runs after one warm-up; nothing cached between runs.",
        "",
        "| engine | bulletin | median ms | p95 ms | slowest metric groups (one run, ms) | target |",
        "|---|---|---|---|---|---|",
    ]
    for q in r["queries"].values():
        for c in q["cases"].values():
            groups = ", ".join(f"{k} {v}" for k, v in c["slowest_groups_ms"].items())
            out.append(
                f"| {q['server']} | {c['label']} | {c['median_ms']} | {c['p95_ms']} | {groups} "
                f"| {ok(c['p95_ms'] < c['target_ms'])} < {c['target_ms']} ms |"
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
