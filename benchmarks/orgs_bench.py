"""Benchmark of the organisation network: seed load time and RSS, subtree counts on two engines.

    python -m benchmarks.run            # or: make bench
    python -m benchmarks.orgs_bench --skip-pg

(a) loads the seed tier (``minqing demo``) into a fresh SQLite file in a subprocess and records
wall time and the child's peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss``); targets
< 120 s and < 2 GB. (b) loads the same seed into PostgreSQL (``BENCH_PG_URL``, default
postgres://postgres@127.0.0.1:5432/minqing_bench, recreated), then on both engines times
households-under-a-county, units-under-the-root and friends (median and p95 of repeated runs,
target < 100 ms) against a baseline measured in the same run (COUNT(*) of all households),
and records the query plan showing the prefix index is used. Results go to
benchmarks/results/orgs.md and orgs.json.
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.common import (
    MINQING,
    PG_DEFAULT,
    env_for,
    header,
    machine,
    measured_demo,
    ok,
    recreate_pg,
    run,
    vacuum_pg,
    write_results,
)

LOAD_TARGET_S = 120
RSS_TARGET_MB = 2048
QUERY_TARGET_MS = 100


def timed_load(env, scale):
    """Migrate (untimed), then time ``minqing demo`` in a child with its own peak RSS."""
    run([*MINQING, "migrate", "--noinput", "-v0"], env)
    res = measured_demo(env, scale)
    own = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # cross-check: max over all children
    res["max_child_rss_mb_incl_migrate"] = round(own / 1024, 1)
    return res


def queries(env):
    return json.loads(run([sys.executable, "-m", "benchmarks.orgs_queries"], env).stdout)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="seed")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file (printed)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="minqing-bench-"))
    result = {
        "command": " ".join(["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])]),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "scale": args.scale,
        "targets": {"load_s": LOAD_TARGET_S, "rss_mb": RSS_TARGET_MB, "query_ms": QUERY_TARGET_MS},
        "load": {},
        "queries": {},
    }
    try:
        sqlite_env = env_for(f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
        print(f"[sqlite] loading {args.scale} into {tmp / 'bench.sqlite3'} ...", flush=True)
        result["load"]["sqlite"] = timed_load(sqlite_env, args.scale)
        print(
            f"[sqlite] {result['load']['sqlite']['seconds']} s, {result['load']['sqlite']['peak_rss_mb']} MB"
        )
        result["queries"]["sqlite"] = queries(sqlite_env)
        if not args.skip_pg:
            recreate_pg(args.pg_url)
            pg_env = env_for(args.pg_url, tmp)
            print("[postgresql] loading ...", flush=True)
            result["load"]["postgresql"] = timed_load(pg_env, args.scale)
            print(f"[postgresql] {result['load']['postgresql']['seconds']} s", flush=True)
            vacuum_pg(args.pg_url)
            result["queries"]["postgresql"] = queries(pg_env)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    write_results("orgs", result, render)
    return result


def render(r):
    out = [
        *header("Organisation network: load and subtree counts", r),
        f"## Load (`minqing demo --scale {r['scale']}` into a fresh database)",
        "",
        "| engine | wall time | target | peak RSS | target |",
        "|---|---|---|---|---|",
    ]
    for eng, ld in r["load"].items():
        out.append(
            f"| {eng} | {ld['seconds']} s | {ok(ld['seconds'] < LOAD_TARGET_S)} < {LOAD_TARGET_S} s "
            f"| {ld['peak_rss_mb']} MB | {ok(ld['peak_rss_mb'] < RSS_TARGET_MB)} < {RSS_TARGET_MB} MB |"
        )
    out += ["", "The SQLite load is the target; PostgreSQL's is shown for reference.", ""]
    first = next(iter(r["load"].values()), None)
    if first:
        out += ["Demo output (SQLite):", "", "```", first["output"].rstrip(), "```", ""]
    out += [
        "## Subtree counts",
        "",
        f"Median and p95 of repeated runs after warm-up; ratio = median / the baseline's median "
        f"(a full COUNT(*) of households, same engine, same run). Target < {QUERY_TARGET_MS} ms (p95).",
        "SQLite answers an unfiltered COUNT(*) from page headers without reading rows, so its",
        "baseline is tiny; the second baseline reads every row.",
        "",
        "| engine | query | result | median ms | p95 ms | ratio to baseline | prefix index used | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for eng, q in r["queries"].items():
        for key, c in q["cases"].items():
            idx = "" if "uses_prefix_index" not in c else ok(c["uses_prefix_index"])
            val = "" if c["value"] is None else f"{c['value']:,}"
            target = "" if key.startswith("baseline") else ok(c["p95_ms"] < QUERY_TARGET_MS)
            if key == "units_under_root" and not c.get("uses_prefix_index"):
                idx = "— (all rows match)"
            out.append(
                f"| {eng} {q['server']} | {c['label']} | {val} | {c['median_ms']} | {c['p95_ms']} "
                f"| {c['ratio_to_baseline']} | {idx} | {target} |"
            )
    out += ["", "## Query plans", ""]
    for eng, q in r["queries"].items():
        for key, c in q["cases"].items():
            if "plan" in c:
                out += [f"**{eng}: {key}**", "", "```sql", c["sql"], "```", "```", *c["plan"], "```", ""]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
