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
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MINQING = [sys.executable, "-m", "minqing.cli"]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/minqing_bench"
LOAD_TARGET_S = 120
RSS_TARGET_MB = 2048
QUERY_TARGET_MS = 100


def run(cmd, env, capture=True):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, capture_output=capture)


def env_for(url, var_dir):
    env = dict(
        os.environ, DATABASE_URL=url, MINQING_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings"
    )
    env["PYTHONPATH"] = str(ROOT)
    return env


def timed_load(env, scale):
    """Migrate (untimed), then time ``minqing demo`` in a child; peak RSS via a wrapper process."""
    run([*MINQING, "migrate", "--noinput", "-v0"], env)
    # benchmarks.measure runs the demo as its only child, so RUSAGE_CHILDREN is the demo's alone.
    cmd = [sys.executable, "-m", "benchmarks.measure", *MINQING, "demo", "--scale", scale, "--no-progress"]
    res = json.loads(run(cmd, env).stdout)
    if res["rc"] != 0:
        raise SystemExit(f"demo failed:\n{res['err']}")
    own = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # cross-check: max over all children
    return {
        "seconds": round(res["seconds"], 1),
        "peak_rss_mb": round(res["maxrss_kb"] / 1024, 1),
        "max_child_rss_mb_incl_migrate": round(own / 1024, 1),
        "output": res["out"],
    }


def queries(env):
    return json.loads(run([sys.executable, "-m", "benchmarks.orgs_queries"], env).stdout)


def recreate_pg(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def vacuum_pg(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import django

    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


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

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "orgs.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / "orgs.md").write_text(render(result))
    print((RESULTS / "orgs.md").read_text())
    return result


def ok(flag):
    return "✅" if flag else "❌"


def render(r):
    m = r["machine"]
    out = [
        "# Organisation network: load and subtree counts",
        "",
        f"Command: `{r['command']}`  ",
        f"Date: {r['date']}  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['platform']}; "
        f"Python {m['python']}, Django {m['django']}",
        "",
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
