"""Speed at the region tier on PostgreSQL (issue 17): with 1,000,000 people of whom most attend
something, the bulletin under 1 s on the replica, the dashboard under 1 s, the staff queue under
200 ms; each as a ratio against a baseline commit measured in the same run on the same database.

    python -m benchmarks.region_speed --pg-url URL [--replica-url URL | --make-replica DIR]
                                      [--baseline REV] [--rounds N] [--load]

``--pg-url``: a database loaded with ``minqing demo --scale region`` (``--load`` loads it first:
hours). The migrations of this tree are applied, and a region office login (``bench_region_office``,
领导小组办公室 on 内蒙古自治区) is made through the services if missing.

The replica: ``--replica-url`` names a streaming replica of the database's server; with
``--make-replica DIR`` one is made here with ``pg_basebackup -R`` from the ``--pg-url`` server into
DIR (the server must allow a replication connection from 127.0.0.1) and started on a free port,
then stopped and removed at the end. Both trees then run with ``DATABASE_REPLICA_URL`` set, so the
views that read on a replica in production (bulletins, dashboards, exports, the public list;
``minqing.core.replica``) read there; the staff queue reads the primary, as it does in production.

Each case runs in a child process (``benchmarks.city_speed``'s harness): the baseline's code
(``git archive REV``) and this tree's, alternately, ``--rounds`` times, each case a warm-up and
``BENCH_DASH_REPEAT`` samples a round; server time through Django's test client, signed in with
the second factor. Results: benchmarks/results/region_speed.md and .json.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "c6b0728"  # main before the speed work of 2026-12-06 (as benchmarks.city_speed)
REPEAT = int(os.environ.get("BENCH_DASH_REPEAT", "3"))
OFFICE = "bench_region_office"
REGION = "150000000000"  # 内蒙古自治区
CITY = "150900000000"  # 乌兰察布市
COUNTY = "150926000000"  # 察哈尔右翼前旗
TARGETS_MS = {"bulletin": 1000, "dashboard": 1000, "queue": 200, "public": 200}


# --- the child: runs with either tree first on sys.path ------------------------------------------


def _timed(fn, repeat):
    """As ``city_speed._timed`` (not imported: the child runs with the baseline's tree first on the
    path, which may not have that module)."""
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def child_cases(repeat):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from minqing.accounts.testing import verified_login

    users = get_user_model().objects
    office, staff, anon = Client(), Client(), Client()
    verified_login(office, users.get(username=OFFICE))
    verified_login(staff, users.get(username="tgwl_staff"))  # 土贵乌拉镇 (a township)
    bulletin, dashboard = reverse("reports:index"), reverse("reports:dashboard")
    queue, public = reverse("ledger:queue"), reverse("public:problems")
    campaign_year = {"start": "2019-01-01", "end": "2019-12-31"}
    cases = {
        "bulletin_region": ("bulletin", "bulletin page, 内蒙古自治区, as of 2019-11-30", office, bulletin,
                            {"unit": REGION, "as_of": "2019-11-30"}),
        "bulletin_city": ("bulletin", "bulletin page, 乌兰察布市 seed bulletin, as of 2015-06-30", office,
                          bulletin, {"unit": CITY, "as_of": "2015-06-30"}),
        "dash_region": ("dashboard", "dashboard, 内蒙古自治区, default period", office, dashboard, {}),
        "dash_region_year": ("dashboard", "dashboard, 内蒙古自治区, 2019", office, dashboard,
                             {"unit": REGION, **campaign_year}),
        "dash_region_metric": ("dashboard", "dashboard, 内蒙古自治区, 2019, map by person-times", office,
                               dashboard, {"unit": REGION, **campaign_year, "metric": "person_times"}),
        "dash_city_year": ("dashboard", "dashboard, 乌兰察布市 (drill-down), 2019", office, dashboard,
                           {"unit": CITY, **campaign_year}),
        "dash_county_year": ("dashboard", "dashboard, 察哈尔右翼前旗 (county), 2019", office, dashboard,
                             {"unit": COUNTY, **campaign_year}),
        "queue_region_unit": ("queue", "staff queue, office @ 内蒙古自治区, tab unit", office, queue,
                              {"tab": "unit"}),
        "queue_region_overdue": ("queue", "staff queue, office @ 内蒙古自治区, tab overdue", office, queue,
                                 {"tab": "overdue"}),
        "queue_township_mine": ("queue", "staff queue, staff @ 土贵乌拉镇, tab mine", staff, queue,
                                {"tab": "mine"}),
        "queue_township_unit": ("queue", "staff queue, staff @ 土贵乌拉镇, tab unit", staff, queue,
                                {"tab": "unit"}),
        "public_all": ("public", "public list, unfiltered", anon, public, {}),
        "public_county": ("public", "public list, 察哈尔右翼前旗", anon, public, {"unit": COUNTY}),
    }  # fmt: skip
    samples = {}
    wanted = [k for k in os.environ.get("BENCH_REGION_CASES", "").split(",") if k]
    for key, (kind, label, client, url, query) in cases.items():
        if wanted and not any(key.startswith(w) for w in wanted):
            continue

        def get(client=client, url=url, query=query, label=label):
            r = client.get(url, query)
            if r.status_code != 200:
                raise SystemExit(f"{label}: HTTP {r.status_code}")
            return r

        samples[key] = {
            "kind": kind,
            "label": label,
            "ms": _timed(get, repeat),
            "target_ms": TARGETS_MS[kind],
        }
    import minqing

    replica = "replica" in settings.DATABASES
    try:  # whether the router really sent the reads there (the replica reachable and fresh)
        from minqing.core.replica import usable

        replica = replica and usable()
    except ImportError:
        pass
    return {"server": connection.vendor, "replica": replica, "code": str(Path(minqing.__file__).parent),
            "cases": samples}  # fmt: skip


def child(repeat):
    import json

    print(json.dumps(child_cases(repeat), ensure_ascii=False))


# --- the parent ----------------------------------------------------------------------------------


def setup_office(env):
    """The region office login, made through the services (once)."""
    from benchmarks.common import MINQING, run

    code = (
        "from django.contrib.auth import get_user_model\n"
        "from minqing.orgs.actors import SYSTEM\n"
        "from minqing.orgs.enums import Role\n"
        "from minqing.orgs.models import Unit\n"
        "from minqing.orgs.services.roles import role_grant\n"
        f"u, _ = get_user_model().objects.get_or_create(username={OFFICE!r})\n"
        f"role_grant(actor=SYSTEM, user=u, role=Role.OFFICE, unit=Unit.objects.get(code={REGION!r}))\n"
    )
    run([*MINQING, "shell", "-c", code], env)


def facts(url):
    """The tier's size: people, and how many of them attend something."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:

        def one(sql):
            row = conn.execute(sql).fetchone()
            return row[0] if row else 0

        people = one("SELECT count(*) FROM orgs_person")
        attending = one("SELECT count(DISTINCT person_id) FROM activities_attendance")
        return {
            "units": one("SELECT count(*) FROM orgs_unit"),
            "households": one("SELECT count(*) FROM orgs_household"),
            "people": people,
            "party_members": one("SELECT count(*) FROM orgs_person WHERE is_party_member"),
            "problems": one("SELECT count(*) FROM ledger_problem"),
            "activities": one("SELECT count(*) FROM activities_activity"),
            "attendance": one("SELECT count(*) FROM activities_attendance"),
            "people_attending": attending,
            "share_attending": round(attending / people, 3) if people else None,
        }


PLANNER_SETTINGS = ("shared_buffers", "effective_cache_size", "work_mem", "random_page_cost")


def _planner_settings(pg_url):
    """The primary's memory and planner settings, for the replica: a standby in production is
    configured as its primary, and the reads compared must not differ by a smaller cache."""
    import psycopg

    lines = []
    with psycopg.connect(pg_url.replace("postgres://", "postgresql://")) as conn:
        for name in PLANNER_SETTINGS:
            row = conn.execute(f"SHOW {name}").fetchone()
            if row is not None:
                lines.append(f"{name} = '{row[0]}'\n")
    return "".join(lines)


def make_replica(pg_url, folder: Path):
    """A streaming replica of ``pg_url``'s server in ``folder`` (pg_basebackup -R), started."""
    from minqing.core.backup import pgtools
    from minqing.ops.pg import Server, wait_caught_up
    from minqing.ops.ports import free_port

    host_port = pg_url.split("@", 1)[1].split("/", 1)[0]
    port = int(host_port.split(":")[1]) if ":" in host_port else 5432
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    pgtools.give_to_server_user(folder)
    s = Server(folder, "replica", free_port())
    base = [
        pgtools.program("pg_basebackup"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
        "-D", str(s.pgdata), "-R", "-X", "stream", "-c", "fast",
    ]  # fmt: skip
    pgtools.run(pgtools.as_server_user(base), "pg_basebackup (replica)")
    # a server whose configuration lives elsewhere (Debian: /etc/postgresql) copies none of it
    for name, text in (
        ("postgresql.conf", "shared_buffers = 128MB\n"),
        ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
    ):
        path = s.pgdata / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            pgtools.give_to_server_user(path)
    s.conf(
        f"\nport = {s.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
        "hot_standby = on\narchive_mode = off\n" + _planner_settings(pg_url)
    )
    s.start()
    wait_caught_up(Server(folder, "primary", port), s, timeout=600)
    return s


def main(argv=None):
    from benchmarks.city_speed import _baseline_tree, measure, run_info, short_rev
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

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=BASELINE, help="the commit to compare with ('none': no baseline)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--replica-url", default="", help="a streaming replica of the --pg-url server")
    ap.add_argument("--make-replica", default="", help="make a replica here (pg_basebackup) for the run")
    ap.add_argument("--load", action="store_true", help="load the region tier into --pg-url first")
    ap.add_argument("--var-dir", default="", help="MINQING_VAR_DIR of the load (its keys)")
    ap.add_argument("--no-migrate", action="store_true", help="a load is running: no migrate, no rollup")
    ap.add_argument("--no-vacuum", action="store_true", help="skip VACUUM ANALYZE (analysed already)")
    ap.add_argument("--note", default="", help="a note printed with the results")
    ap.add_argument("--cases", default="", help="only the cases whose keys start so (comma-separated)")
    ap.add_argument("--child", nargs=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(int(args.child[0]))
    if args.cases:
        os.environ["BENCH_REGION_CASES"] = args.cases  # the children inherit it
    tmp = Path(tempfile.mkdtemp(prefix="minqing-region-speed-"))
    rev = "" if args.baseline == "none" else short_rev(args.baseline)
    result = {
        **run_info("region_speed", argv, rev),
        "repeat": REPEAT,
        "rounds": args.rounds,
        "load": {},
        "engines": {},
        "note": args.note,
    }
    standby = None
    try:
        env = env_for(args.pg_url, Path(args.var_dir) if args.var_dir else tmp, **BENCH_ENV)
        if not args.no_migrate:
            run([*MINQING, "migrate", "--noinput", "-v0"], env)
        if args.load:
            print("loading the region tier ...", flush=True)
            result["load"]["postgresql"] = measured_demo(env, "region")
        if not args.no_migrate:  # (the problems stage builds the rollup; a running load fails the checks)
            run([*MINQING, "rollup-problems"], env)
        setup_office(env)
        if not args.no_vacuum:
            vacuum_pg(args.pg_url)
        print("counting the tier ...", flush=True)
        result["facts"] = facts(args.pg_url)
        replica_url = args.replica_url
        if args.make_replica:
            print("making a replica (pg_basebackup) ...", flush=True)
            t0 = time.perf_counter()
            standby = make_replica(args.pg_url, Path(args.make_replica))
            result["replica_made_seconds"] = round(time.perf_counter() - t0, 1)
            replica_url = standby.url(args.pg_url.rsplit("/", 1)[1])
        if replica_url:
            env = dict(env, DATABASE_REPLICA_URL=replica_url, MINQING_REPLICA_MAX_LAG_SECONDS="3600")
        result["replica"] = bool(replica_url)
        baseline = _baseline_tree(rev, tmp) if rev else None
        print("measuring ...", flush=True)
        result["engines"]["postgresql"] = measure(env, baseline, args.rounds, script="region_speed")
        result["replica_used"] = result["engines"]["postgresql"].get("replica")
    finally:
        if standby is not None:
            from minqing.ops.pg import remove

            remove(Path(args.make_replica), [standby])
        shutil.rmtree(tmp, ignore_errors=True)
    write_results("region_speed", result, render)
    return result


def render(r: dict) -> str:
    from benchmarks.common import header, ok

    out = header("Speed at the region tier: bulletins, dashboard, staff queue, public list", r)
    f = r.get("facts", {})
    out += [
        (
            f"Baseline: `{r['baseline']}`, current: `{r['current']}`; both on the same database, "
            "alternately, "
            if r["baseline"]
            else f"No baseline (`--baseline none`), current: `{r['current']}`; "
        )
        + f"{r['rounds']} rounds of a warm-up and {r['repeat']} samples per case, server time through "
        "Django's test client (signed in with the second factor).",
        "",
        f"Load average at start: {r.get('load_average_at_start')} (1, 5, 15 min).",
        "",
        "Reads: "
        + (
            "bulletins, dashboards and the public list on a streaming replica (`DATABASE_REPLICA_URL`, "
            "made by pg_basebackup from the primary"
            + (f" in {r['replica_made_seconds']} s" if r.get("replica_made_seconds") else "")
            + "); the staff queue on the primary, as in production."
            if r.get("replica_used")
            else "all on the primary (no replica given)."
        ),
        "",
        "## The tier",
        "",
        "| units | households | people | of them party members | attending something | problems "
        "| activities | attendance rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {f.get('units', 0):,} | {f.get('households', 0):,} | {f.get('people', 0):,} "
        f"| {f.get('party_members', 0):,} | {f.get('people_attending', 0):,} ({f.get('share_attending')}) "
        f"| {f.get('problems', 0):,} | {f.get('activities', 0):,} | {f.get('attendance', 0):,} |",
        "",
    ]
    for eng, ld in r.get("load", {}).items():
        out += [f"Region tier load on {eng}: {ld['seconds']} s, peak RSS {ld['peak_rss_mb']} MB.", ""]
    out += [
        "## Server time",
        "",
        "| case | median ms | p95 ms | baseline median ms | ratio | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for e in r["engines"].values():
        for c in e["cases"].values():
            out.append(
                f"| {c['label']} | {c['median_ms']} | {c['p95_ms']} | {c['baseline_median_ms']} "
                f"| {c['ratio']} | {ok(c['median_ms'] < c['target_ms'])} < {c['target_ms']} ms |"
            )
    if r.get("note"):
        out += ["", r["note"]]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(int(sys.argv[sys.argv.index("--child") + 1]))
    else:
        main()
