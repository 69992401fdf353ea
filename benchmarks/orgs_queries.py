"""Subtree counts on whatever DATABASE_URL points at; prints one JSON object.

Run by ``benchmarks.orgs_bench`` once per engine, after the seed tier is loaded.
"""

import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from minqing.core.paths import prefix_q  # noqa: E402
from minqing.orgs.counts import subtree_counts  # noqa: E402
from minqing.orgs.models import Household, Unit  # noqa: E402
from minqing.orgs.services.units import resolve_unit  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))
WARMUP = 3


def timed(fn):
    for _ in range(WARMUP):
        fn()
    samples = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 3),
        "min_ms": round(samples[0], 3),
        "runs": REPEAT,
    }


def plan_of(fn):
    """The engine's plan for the SQL the ORM really sends."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [r[-1] for r in cur.fetchall()]
        else:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            lines = [r[0] for r in cur.fetchall()]
    return sql, lines


def main():
    county = resolve_unit(os.environ.get("BENCH_COUNTY", "150926"))
    prefecture = resolve_unit("150900")
    root = resolve_unit("150000")
    cases = {
        "households_under_county": (
            f"户 under {county.name}",
            lambda: Household.objects.filter(prefix_q(county.path)).count(),
            "path",
        ),
        "units_under_root": (
            f"单位 under {root.name} (every unit matches)",
            lambda: Unit.objects.filter(prefix_q(root.path)).count(),
            "path",
        ),
        "units_under_county": (
            f"单位 under {county.name}",
            lambda: Unit.objects.filter(prefix_q(county.path)).count(),
            "path",
        ),
        "households_under_prefecture": (
            f"户 under {prefecture.name}",
            lambda: Household.objects.filter(prefix_q(prefecture.path)).count(),
            "path",
        ),
        "baseline_households_count_all": (
            "COUNT(*) of all households (baseline)",
            lambda: Household.objects.count(),
            "",
        ),
        "baseline_households_full_scan": (
            "households with members >= 1: every row read (second baseline)",
            lambda: Household.objects.filter(members__gte=1).count(),
            "",
        ),
        "tree_command_prefecture": (
            f"subtree_counts({prefecture.name}): 4 grouped queries",
            lambda: subtree_counts(prefecture),
            "",
        ),
    }
    out = {"vendor": connection.vendor, "server": server_version(), "cases": {}}
    for key, (label, fn, index) in cases.items():
        r = timed(fn)
        r["label"] = label
        r["value"] = fn() if key != "tree_command_prefecture" else None
        if index:
            sql, plan = plan_of(fn)
            r["sql"] = sql
            r["plan"] = plan
            r["uses_prefix_index"] = uses_path_index(plan)
        out["cases"][key] = r
    base = out["cases"]["baseline_households_count_all"]["median_ms"]
    for r in out["cases"].values():
        r["ratio_to_baseline"] = round(r["median_ms"] / base, 3) if base else None
    json.dump(out, sys.stdout, ensure_ascii=False)


def uses_path_index(plan):
    """A range search on an index of ``path`` (SQLite) / an index scan with a path condition (PostgreSQL)."""
    text = "\n".join(plan)
    if connection.vendor == "sqlite":
        return "INDEX" in text and "(path>? AND path<?)" in text
    return "Index" in text and "Index Cond: ((path ~>=~" in text


def server_version():
    with connection.cursor() as cur:
        cur.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return cur.fetchone()[0]


if __name__ == "__main__":
    main()
