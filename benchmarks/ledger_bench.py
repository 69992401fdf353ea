"""Benchmark of the problem ledger: public intake throughput; staff queue and public list on a
200,000-problem ledger; the city tier's load time. SQLite and PostgreSQL.

    python -m benchmarks.ledger_bench [--skip-pg] [--submissions 10000]

(a) Intake: a fresh database with the mini tier (Ulanhot's real tree), then N submissions of
the public online form (HTTP POSTs with Django's test Client to ``public:submit``, rate limit
off), each timed; baseline in the same run: N direct ``feedback_submit`` service calls.
(b) Ledger: a fresh database loaded with ``minqing demo --scale city`` (timed; 200,000 problems
with ~1.2 M events), then ``problem_queue`` (every tab) for the city office (wlcb_office,
乌兰察布市) and a township's staff (tgwl_staff, 土贵乌拉镇), and ``public_problem_list``
(unfiltered and filtered by a county), first page, evaluated; and the same pages rendered
through the test Client. Baseline in the same run: the first 50 problems by primary key.
Target p95 < 200 ms. Results: benchmarks/results/ledger.md and ledger.json.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
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
    recreate_pg,
    run,
    vacuum_pg,
    write_results,
)

BENCH_ENV = {"MINQING_PUBLIC_RATE_LIMIT": "0", "DEBUG": "0", "LOG_LEVEL": "ERROR"}
TARGET_MS = 200
COUNTY = "150926000000"  # 察哈尔右翼前旗 (Ulanqab)
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def stats(samples_s):
    ms = sorted(x * 1000 for x in samples_s)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {
        "n": len(ms),
        "mean_ms": round(statistics.fmean(ms), 3),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(p95, 3),
    }


def child(mode, arg):
    import django

    django.setup()
    import sqlite3

    from django.db import connection

    server = f"{connection.vendor} {sqlite3.sqlite_version if connection.vendor == 'sqlite' else ''}"
    out = {"server": server.strip()}
    out.update(intake(int(arg)) if mode == "intake" else queries())
    print(json.dumps(out, ensure_ascii=False))


def intake(n):
    from django.test import Client
    from django.urls import reverse

    from minqing.ledger.enums import Channel
    from minqing.ledger.forms import new_token
    from minqing.ledger.models import Feedback
    from minqing.ledger.services.intake import Reporter, feedback_submit
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.models import Unit

    units = list(Unit.objects.filter(kind=UnitKind.VILLAGE).order_by("code"))
    client, url = Client(), reverse("public:submit")
    before = Feedback.objects.count()
    http, t_all = [], time.perf_counter()
    for i in range(n):
        data = {
            "title": f"小区路灯不亮{i}",
            "content": "晚上出行不便,请尽快修复。",
            "unit_code": units[i % len(units)].code,  # the form's "unit" choice only takes searched units
            "name": "王大妈",
            "phone": "13900001111",
            "token": new_token(),
        }
        t0 = time.perf_counter()
        r = client.post(url, data)
        http.append(time.perf_counter() - t0)
        if r.status_code != 200:
            raise SystemExit(f"submission {i}: HTTP {r.status_code}")
    http_total = time.perf_counter() - t_all
    created = Feedback.objects.count() - before
    if created != n:
        raise SystemExit(f"{n} submissions posted, {created} feedback created")
    direct, t_all = [], time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        feedback_submit(
            actor=SYSTEM, channel=Channel.ONLINE, title=f"小区路灯不亮{i}",
            content="晚上出行不便,请尽快修复。", unit=units[i % len(units)],
            reporter=Reporter(name="王大妈", phone="13900001111"),
        )  # fmt: skip
        direct.append(time.perf_counter() - t0)
    direct_total = time.perf_counter() - t_all
    h, d = stats(http), stats(direct)
    return {
        "submissions": n,
        "created_by_http": created,
        "http": {"total_s": round(http_total, 1), "per_s": round(n / http_total, 1), **h},
        "baseline_service": {"total_s": round(direct_total, 1), "per_s": round(n / direct_total, 1), **d},
        "ratio_mean": round(h["mean_ms"] / d["mean_ms"], 2),
    }


def timeit(fn):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return stats(samples)


def queries():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from minqing.accounts.testing import verified_login
    from minqing.ledger.models import Problem
    from minqing.ledger.selectors import QueueTab, problem_queue, public_problem_list

    users = get_user_model().objects
    cases = {}
    base = timeit(lambda: list(Problem.objects.order_by("id")[:50]))
    cases["baseline"] = {"label": "baseline: first 50 problems by id", **base}

    def add(key, label, fn, value=None):
        r = timeit(fn)
        r["ratio_to_baseline"] = round(r["median_ms"] / base["median_ms"], 1)
        cases[key] = {"label": label, "value": value, **r}

    for username, who in (("wlcb_office", "office @ 乌兰察布市"), ("tgwl_staff", "staff @ 土贵乌拉镇")):
        user = users.get(username=username)
        for tab in QueueTab.VALUES:
            page = problem_queue(user, tab=tab, page=1)
            total = page.paginator.count

            def q(user=user, tab=tab):
                p = problem_queue(user, tab=tab, page=1)
                return list(p.object_list)

            add(f"queue_{username}_{tab}", f"problem_queue {who}, tab {tab}", q, total)
    add("public_all", "public_problem_list, unfiltered", lambda: list(public_problem_list({}, 1).object_list),
        public_problem_list({}, 1).paginator.count)  # fmt: skip
    add("public_county", f"public_problem_list, unit {COUNTY}",
        lambda: list(public_problem_list({"unit": COUNTY}, 1).object_list),
        public_problem_list({"unit": COUNTY}, 1).paginator.count)  # fmt: skip

    pages = {}
    for username in ("wlcb_office", "tgwl_staff"):
        c = Client()
        verified_login(c, users.get(username=username))  # signed in with the second factor, as staff are
        for tab in QueueTab.VALUES:
            url = reverse("ledger:queue") + f"?tab={tab}"
            pages[f"page_queue_{username}_{tab}"] = _page(c, url, f"GET {url} as {username}")
    anon = Client()
    url = reverse("public:problems")
    pages["page_public_all"] = _page(anon, url, f"GET {url}")
    pages["page_public_county"] = _page(anon, url + f"?unit={COUNTY}", f"GET {url}?unit={COUNTY}")
    for v in pages.values():
        v["ratio_to_baseline"] = round(v["median_ms"] / base["median_ms"], 1)
    return {"problems": Problem.objects.count(), "cases": cases, "pages": pages}


def _page(client, url, label):
    status = client.get(url).status_code
    r = timeit(lambda: client.get(url))
    return {"label": label, "status": status, **r}


def fresh(engine, url, tmp):
    if engine == "postgresql":
        recreate_pg(url)
    env = env_for(url, tmp, **BENCH_ENV)
    run([*MINQING, "migrate", "--noinput", "-v0"], env)
    return env


def in_child(env, mode, arg=""):
    return json.loads(
        run([sys.executable, "-m", "benchmarks.ledger_bench", "--child", mode, str(arg)], env).stdout
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    ap.add_argument("--submissions", type=int, default=10_000)
    ap.add_argument("--skip-intake", action="store_true")
    ap.add_argument("--skip-queries", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(*args.child)

    tmp = Path(tempfile.mkdtemp(prefix="minqing-ledger-bench-"))
    engines = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}"}
    if not args.skip_pg:
        engines["postgresql"] = args.pg_url
    result = {
        "command": " ".join(
            ["python -m benchmarks.ledger_bench", *(argv if argv is not None else sys.argv[1:])]
        ),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "target_ms": TARGET_MS,
        "repeat": REPEAT,
        "intake": {},
        "load": {},
        "queries": {},
    }
    try:
        for engine, url in engines.items():
            if not args.skip_intake:
                (tmp / "bench.sqlite3").unlink(missing_ok=True)
                env = fresh(engine, url, tmp)
                run([*MINQING, "demo", "--scale", "mini", "--no-progress"], env)
                print(f"[{engine}] {args.submissions} submissions ...", flush=True)
                result["intake"][engine] = in_child(env, "intake", args.submissions)
                print(f"[{engine}] intake: {result['intake'][engine]['http']}", flush=True)
            if not args.skip_queries:
                (tmp / "bench.sqlite3").unlink(missing_ok=True)
                env = fresh(engine, url, tmp)
                print(f"[{engine}] loading the city tier ...", flush=True)
                result["load"][engine] = measured_demo(env, "city")
                print(f"[{engine}] city load {result['load'][engine]['seconds']} s", flush=True)
                if engine == "postgresql":
                    vacuum_pg(url)
                result["queries"][engine] = in_child(env, "queries")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_results("ledger", result, render)
    return result


def render(r):
    out = header("Problem ledger: public intake, staff queue and public list", r)
    if r["intake"]:
        out += [
            "## (a) Submissions through the public intake",
            "",
            "Fresh database with the mini tier (Ulanhot's real tree); each submission is an HTTP POST of the",
            "online form (`public:submit`, Django test Client, rate limit off) that creates a feedback, a",
            "problem, its deadlines and its 登记 event. Baseline, same run: direct `feedback_submit` calls.",
            "",
            "| engine | submissions | total | per second | mean ms | p95 ms "
            "| baseline total | baseline mean ms | baseline p95 ms | mean ratio |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for eng, x in r["intake"].items():
            h, b = x["http"], x["baseline_service"]
            out.append(
                f"| {x['server'] or eng} | {x['submissions']:,} | {h['total_s']} s | {h['per_s']} "
                f"| {h['mean_ms']} | {h['p95_ms']} | {b['total_s']} s | {b['mean_ms']} | {b['p95_ms']} "
                f"| {x['ratio_mean']} |"
            )
        out.append("")
    if r["load"]:
        out += ["## City tier load (`minqing demo --scale city`, fresh database)", "",
                "| engine | wall time | peak RSS |", "|---|---|---|"]  # fmt: skip
        for eng, ld in r["load"].items():
            out.append(f"| {eng} | {ld['seconds']} s | {ld['peak_rss_mb']} MB |")
        first = next(iter(r["load"].values()))
        out += ["", "Demo output (SQLite):", "", "```", first["output"].rstrip(), "```", ""]
    if r["queries"]:
        out += [
            "## (b) Staff queue and public list on the 200,000-problem ledger",
            "",
            f"First page (50 rows) evaluated; median and p95 of {r['repeat']} runs after 3 warm-ups;",
            "ratio = median / the baseline's median (first 50 problems by id, same engine, same run).",
            f"Target p95 < {r['target_ms']} ms. `result` is the page's total count.",
            "",
            "| engine | read | result | median ms | p95 ms | ratio | target |",
            "|---|---|---|---|---|---|---|",
        ]
        for eng, q in r["queries"].items():
            for key, c in q["cases"].items():
                val = "" if c.get("value") is None else f"{c['value']:,}"
                tgt = "" if key == "baseline" else ok(c["p95_ms"] < r["target_ms"])
                out.append(
                    f"| {eng} | {c['label']} | {val} | {c['median_ms']} | {c['p95_ms']} "
                    f"| {c.get('ratio_to_baseline', 1.0)} | {tgt} |"
                )
        out += [
            "",
            "### Rendered pages (test Client, whole request: middleware, session, template)",
            "",
            "| engine | page | status | median ms | p95 ms | ratio | target |",
            "|---|---|---|---|---|---|---|",
        ]
        for eng, q in r["queries"].items():
            for _key, c in q["pages"].items():
                out.append(
                    f"| {eng} | {c['label']} | {c['status']} | {c['median_ms']} | {c['p95_ms']} "
                    f"| {c['ratio_to_baseline']} | {ok(c['p95_ms'] < r['target_ms'])} |"
                )
        out.append("")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
