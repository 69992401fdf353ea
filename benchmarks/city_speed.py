"""Speed at the city tier (issue 17): the two seed bulletins and every dashboard view, server
time, each as a ratio against a baseline commit measured in the same run on the same database.

    python -m benchmarks.city_speed [--baseline REV] [--sqlite-url URL] [--pg-url URL] [--skip-pg]

A database per engine loaded with ``minqing demo --scale city`` (200,000 problems, 100,000
activities, 2,000,000 attendance rows and the seed campaigns' replay); ``--sqlite-url`` /
``--pg-url`` with ``--reuse`` take a database an earlier run (or ``minqing demo --scale city``)
loaded instead of loading one. The migrations of this tree are applied first. By default the
baseline runs on that schema too (an index this tree adds helps the baseline as well: the ratio is
the code's alone); with ``--baseline-schema`` it runs on a copy of the database migrated back to
its own migrations (SQLite: an online backup; PostgreSQL: ``CREATE DATABASE … TEMPLATE``), so the
ratio is the code's and the schema's together: today's code as it ran.

Each case runs in a child process, for the baseline (``git archive REV`` unpacked in a temporary
directory, with this tree's ``node_modules`` so both draw the same charts) and for this tree,
alternately, ``--rounds`` times; a case's figure is the median of every sample of every round
(``BENCH_REPEAT`` samples a round for a bulletin, ``BENCH_DASH_REPEAT`` for a dashboard view, after
a warm-up). Dashboard views are timed in-process through
Django's test client as the 乌兰察布市 office (signed in with the second factor): middleware,
view, selectors and template, the server's whole time without the socket. Bulletins are
``bulletin_generate`` on a fresh ``MetricContext`` each run (nothing cached between runs).

Targets: the seed bulletin under 100 ms median, every dashboard view under 300 ms.
Results: benchmarks/results/city_speed.md and .json.
"""

import argparse
import datetime
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "c6b0728"  # main before the speed work of 2026-12-06
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))  # bulletins
DASH_REPEAT = int(os.environ.get("BENCH_DASH_REPEAT", "3"))  # dashboard views (seconds each on the baseline)
CITY = "150900000000"  # 乌兰察布市
COUNTY = "150926000000"  # 察哈尔右翼前旗
BULLETIN_TARGET_MS = 100
DASHBOARD_TARGET_MS = 300


# --- the child: runs with either tree first on sys.path ------------------------------------------


def _timed(fn, repeat):
    fn()  # warm-up (and the answer checked by the caller)
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def child_cases(repeat):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from minqing.accounts.testing import verified_login
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.models import Unit
    from minqing.orgs.services.units import resolve_unit
    from minqing.reports.bulletins.services import bulletin_generate
    from minqing.reports.metrics.registry import default_campaign, load_all

    load_all()
    samples: dict[str, dict] = {}

    for code, as_of in (("150900", datetime.date(2015, 6, 30)), ("152201", datetime.date(2019, 12, 20))):
        unit = resolve_unit(code)
        campaign = default_campaign(unit, as_of)

        def gen(unit=unit, as_of=as_of, campaign=campaign):
            return bulletin_generate(actor=SYSTEM, unit=unit, as_of=as_of, campaign=campaign)

        samples[f"bulletin_{code}"] = {
            "kind": "bulletin",
            "label": f"bulletin {unit.name} as of {as_of}",
            "ms": _timed(gen, repeat),
        }

    user = get_user_model().objects.get(username="wlcb_office")
    client = Client()
    verified_login(client, user)
    base = reverse("reports:dashboard")
    county = Unit.objects.get(code=COUNTY)
    township = county.get_children().filter(kind=UnitKind.TOWNSHIP).order_by("code").first()
    village = township.get_children().filter(kind=UnitKind.VILLAGE).order_by("code").first()
    city_campaign = default_campaign(resolve_unit("150900"), datetime.date(2015, 6, 30))
    assert city_campaign is not None, "the seed campaign is missing: load the city tier"
    year = {"start": "2025-01-01", "end": "2025-12-31"}
    views = {
        "dash_default": ("dashboard, 乌兰察布市, default period", {}),
        "dash_city_year": ("dashboard, 乌兰察布市, 2025", {"unit": CITY, **year}),
        "dash_city_campaign": (
            "dashboard, 乌兰察布市, 三严三实 campaign",
            {"unit": CITY, "campaign": str(city_campaign.pk)},
        ),
        "dash_city_metric": (
            "dashboard, 乌兰察布市, 2025, map by person-times",
            {"unit": CITY, **year, "metric": "person_times"},
        ),
        "dash_county": (f"dashboard, {county.name} (county drill-down), 2025", {"unit": COUNTY, **year}),
        "dash_township": (f"dashboard, {township.name} (township), 2025", {"unit": township.code, **year}),
        "dash_village": (f"dashboard, {village.name} (village), 2025", {"unit": village.code, **year}),
        "dash_city_csv": ("dashboard CSV, 乌兰察布市, 2025", {"unit": CITY, **year, "format": "csv"}),
    }
    for key, (label, query) in views.items():

        def get(query=query, label=label):
            r = client.get(base, query)
            if r.status_code != 200:
                raise SystemExit(f"{label}: HTTP {r.status_code}")
            return r

        samples[key] = {"kind": "dashboard", "label": label, "ms": _timed(get, min(repeat, DASH_REPEAT))}
    import minqing

    return {"server": connection.vendor, "code": str(Path(minqing.__file__).parent), "cases": samples}


def child(repeat):
    print(json.dumps(child_cases(repeat), ensure_ascii=False))


# --- the parent ----------------------------------------------------------------------------------


def short_rev(rev: str) -> str:
    return subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip


def run_info(module: str, argv: list[str] | None, baseline: str) -> dict:
    """What every results file of this harness starts with: command, date, machine, commits, load."""
    from benchmarks.common import machine

    return {
        "command": " ".join(
            [f"python -m benchmarks.{module}", *(argv if argv is not None else sys.argv[1:])]
        ),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "baseline": baseline,
        "current": short_rev("HEAD"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _baseline_tree(rev: str, into: Path) -> Path:
    tree = into / f"baseline-{rev}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    if (ROOT / "node_modules").exists():
        (tree / "node_modules").symlink_to(ROOT / "node_modules")
    return tree


def _run_child(tree: Path, env: dict[str, str], script: str = "city_speed") -> dict:
    """One child run of ``benchmarks/<script>.py --child`` (this tree's script, ``tree``'s code)."""
    env = dict(env, PYTHONPATH=str(tree))
    cmd = [sys.executable, str(ROOT / "benchmarks" / f"{script}.py"), "--child", str(REPEAT)]
    res = subprocess.run(cmd, env=env, cwd=tree, check=True, text=True, capture_output=True)
    return json.loads(res.stdout)


def _baseline_migrations(tree: Path) -> list[tuple[str, str]]:
    """(app, the baseline's last migration) for each app where this tree has later ones."""
    out = []
    for mig in sorted((ROOT / "minqing").glob("*/migrations")):
        app = mig.parent.name
        ours = sorted(p.stem for p in mig.glob("0*.py"))
        theirs = sorted(p.stem for p in (tree / "minqing" / app / "migrations").glob("0*.py"))
        if theirs and ours and ours[-1] != theirs[-1]:
            out.append((app, theirs[-1]))
    return out


def baseline_database(engine: str, url: str, tree: Path, tmp: Path, env: dict[str, str]) -> str:
    """A copy of the database migrated back to the baseline's schema (its indexes, no new columns,
    counters or triggers), so the baseline runs as it ran: today's code on today's schema."""
    from benchmarks.common import MINQING, run

    if engine == "sqlite":
        src = Path(url.removeprefix("sqlite:///"))
        dst = tmp / "baseline.sqlite3"
        src_db = sqlite3.connect(src)
        with sqlite3.connect(dst) as copy:
            src_db.backup(copy)
        src_db.close()
        copy_url = f"sqlite:///{dst}"
    else:
        import psycopg

        base, _, name = url.rpartition("/")
        copy_name = f"{name}_baseline"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
            conn.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"')
        copy_url = f"{base}/{copy_name}"
    copy_env = dict(env, DATABASE_URL=copy_url)  # the run's settings, the copy's database
    for app, migration in _baseline_migrations(tree):
        run([*MINQING, "migrate", app, migration, "--noinput", "-v0"], copy_env)
    if engine == "postgresql":
        from benchmarks.common import vacuum_pg

        vacuum_pg(copy_url)
    return copy_url


def measure(
    env: dict[str, str],
    baseline: Path | None,
    rounds: int,
    baseline_env: dict[str, str] | None = None,
    script: str = "city_speed",
) -> dict:
    trees = {"baseline": baseline, "current": ROOT}
    envs = {"baseline": baseline_env or env, "current": env}
    runs: dict[str, list[dict]] = {"baseline": [], "current": []}
    for i in range(rounds):
        for name, tree in trees.items():
            if tree is None:  # no baseline: this tree's figures alone
                continue
            print(f"  round {i + 1}/{rounds}: {name} ...", flush=True)
            runs[name].append(_run_child(tree, envs[name], script))
    cases = {}
    for key, first in runs["current"][0]["cases"].items():
        cur = [x for r in runs["current"] for x in r["cases"][key]["ms"]]
        old = [x for r in runs["baseline"] for x in r["cases"][key]["ms"] if key in r["cases"]]
        target = first.get("target_ms") or (
            BULLETIN_TARGET_MS if first["kind"] == "bulletin" else DASHBOARD_TARGET_MS
        )
        med = statistics.median(cur)
        cases[key] = {
            "label": first["label"],
            "kind": first["kind"],
            "median_ms": round(med, 1),
            "p95_ms": round(sorted(cur)[min(len(cur) - 1, round(0.95 * (len(cur) - 1)))], 1),
            "baseline_median_ms": round(statistics.median(old), 1) if old else None,
            "ratio": round(med / statistics.median(old), 2) if old else None,
            "target_ms": target,
            "samples": len(cur),
        }
    return {
        "server": runs["current"][0]["server"],
        "replica": runs["current"][0].get("replica"),
        "cases": cases,
    }


def main(argv=None):
    from benchmarks.common import (
        MINQING,
        PG_DEFAULT,
        env_for,
        measured_demo,
        run,
        vacuum_pg,
        write_results,
    )
    from benchmarks.ledger_bench import BENCH_ENV
    from benchmarks.ledger_bench import fresh as _fresh

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--baseline-schema",
        action="store_true",
        help="run the baseline on a copy migrated back to its own schema (else on this tree's)",
    )
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="the URLs hold a loaded city tier: do not load")
    ap.add_argument("--sqlite-url", default="")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--child", nargs=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(int(args.child[0]))
    tmp = Path(tempfile.mkdtemp(prefix="minqing-city-speed-"))
    engines = {} if args.skip_sqlite else {"sqlite": args.sqlite_url or f"sqlite:///{tmp / 'bench.sqlite3'}"}
    if not args.skip_pg:
        engines["postgresql"] = args.pg_url
    rev = short_rev(args.baseline)
    result = {
        **run_info("city_speed", argv, rev),
        "repeat": REPEAT,
        "dash_repeat": DASH_REPEAT,
        "rounds": args.rounds,
        "load": {},
        "engines": {},
    }
    try:
        baseline = _baseline_tree(rev, tmp)
        for engine, url in engines.items():
            if args.reuse:
                env = env_for(url, tmp, **BENCH_ENV)
                run([*MINQING, "migrate", "--noinput", "-v0"], env)
                # what the minute job does on a running server: fold changed problems into the
                # problem rollup (built at once by a fresh load)
                run([*MINQING, "rollup-problems"], env)
            else:
                env = _fresh(engine, url, tmp)
                print(f"[{engine}] loading the city tier ...", flush=True)
                result["load"][engine] = measured_demo(env, "city")
            if engine == "postgresql":
                vacuum_pg(url)
            baseline_env = None
            if args.baseline_schema:
                print(f"[{engine}] a copy at the baseline's schema ...", flush=True)
                baseline_env = dict(env, DATABASE_URL=baseline_database(engine, url, baseline, tmp, env))
            print(f"[{engine}] measuring ...", flush=True)
            result["engines"][engine] = measure(env, baseline, args.rounds, baseline_env)
            result["engines"][engine]["baseline_schema"] = bool(args.baseline_schema)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_results("city_speed", result, render)
    return result


def _schema(r: dict) -> str:
    if any(e.get("baseline_schema") for e in r["engines"].values()):
        return "the baseline on a copy migrated back to its own schema: the ratio is code and schema together"
    return "and schema: this tree's indexes help the baseline too, the ratio is the code's alone"


def render(r: dict) -> str:
    from benchmarks.common import header, ok

    out = header("Speed at the city tier: seed bulletins and dashboard views", r)
    out += [
        f"Baseline: `{r['baseline']}` (main before this work), current: `{r['current']}`; both on the same "
        f"database ({_schema(r)}), alternately, {r['rounds']} rounds of {r['repeat']} samples (bulletins) or "
        f"{r.get('dash_repeat', 3)} (dashboard views) after a warm-up.",
        "",
    ]
    if r.get("load_average_at_start"):
        out.append(
            f"Load average at start: {r['load_average_at_start']} (1, 5, 15 min). The machine is shared: "
            "other jobs' load moves every figure, the baseline's and this tree's alike (they alternate)."
        )
    if r.get("note"):
        out += ["", r["note"]]
    for eng, ld in r["load"].items():
        out.append(f"City tier load on {eng}: {ld['seconds']} s, peak RSS {ld['peak_rss_mb']} MB.")
    out += [
        "",
        "| engine | case | median ms | p95 ms | baseline median ms | ratio | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for e in r["engines"].values():
        for c in e["cases"].values():
            out.append(
                f"| {e['server']} | {c['label']} | {c['median_ms']} | {c['p95_ms']} "
                f"| {c['baseline_median_ms']} | {c['ratio']} "
                f"| {ok(c['median_ms'] < c['target_ms'])} < {c['target_ms']} ms |"
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(int(sys.argv[sys.argv.index("--child") + 1]))
    else:
        main()
