"""A 100,000-row problems import on SQLite while the public submits complaints over real HTTP.

    python -m benchmarks.sqlite_import_under_load [--rows 100000] [--skip-baseline] [--pg-rows 20000]

One fresh SQLite database with the mini tier and one generated 问题 file (``benchmarks.problem_file``)
serve two runs in the same invocation: today's code (``--baseline-ref``, default the merge base
with main, extracted with ``git archive``) and this tree. Each run copies the database, starts
gunicorn (2 workers, ``config.settings``, rate limit off) on a loopback port, starts a separate
submitter process that fills in the online form in a loop (GET the page, POST it with its CSRF
cookie and token, one at a time), runs ``minqing import problems FILE`` timed, lets the
submitter go on for 3 s after the import ends, then stops everything and counts:

- acknowledged: answers 200 showing a tracking code;
- 503 (the retry page), other 5xx, other answers, connection errors;
- stored: feedback rows the submitter's titles made; stored without acknowledgement: stored
  rows whose submission never got its tracking code (must be 0);
- the slowest and the 95th-percentile submission during the import.

``--pg-rows N``: also the import alone of an N-row file on PostgreSQL (``BENCH_PG_URL``), both
codes, to show the bulk path is not slower there.
Results: benchmarks/results/sqlite_import_under_load.md and .json.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.common import (
    MINQING,
    PG_DEFAULT,
    ROOT,
    env_for,
    header,
    machine,
    ok,
    recreate_pg,
    write_results,
)

TARGET_S = 30.0
BENCH_ENV = {"MINQING_PUBLIC_RATE_LIMIT": "0", "DEBUG": "0", "LOG_LEVEL": "ERROR"}


# --- the submitter (its own process) ---------------------------------------------------------


def submitter(base_url: str, unit_code: str, marker: str, stop_file: str, out_file: str) -> None:
    """Fill in the online form until ``stop_file`` exists; one JSON line per submission."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{base_url}/public/submit/"
    i = 0
    with open(out_file, "w") as out:
        while not os.path.exists(stop_file):
            i += 1
            title = f"{marker}{i}"
            rec = {"i": i, "title": title, "t0": time.time()}
            try:
                with opener.open(url, timeout=120) as r:
                    page = r.read().decode()
                csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                token = re.search(r'name="token"[^>]*value="([^"]+)"', page) or re.search(
                    r'value="([^"]+)"[^>]*name="token"', page
                )
                data = {
                    "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
                    "token": token.group(1) if token else "",
                    "title": title,
                    "content": "小区路灯不亮,晚上出行不便,请尽快修复。",
                    "unit_code": unit_code,
                    "name": "王大妈",
                    "phone": "13900001111",
                }
                req = urllib.request.Request(
                    url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": url}
                )
                t1 = time.time()
                try:
                    with opener.open(req, timeout=120) as r:
                        status, body = r.status, r.read().decode()
                except urllib.error.HTTPError as err:
                    status, body = err.code, err.read().decode(errors="replace")
                rec["post_s"] = time.time() - t1
                rec["status"] = status
                code = re.search(r'id="tracking-code">([^<]+)<', body)
                rec["code"] = code.group(1).strip() if code and status == 200 else ""
            except Exception as exc:  # a connection refused or reset, a timeout
                rec["status"] = 0
                rec["error"] = f"{type(exc).__name__}: {exc}"[:200]
            rec["t1"] = time.time()
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
            time.sleep(0.05)


# --- one run ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def unit_code(db: Path) -> str:
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT code FROM orgs_unit WHERE kind = 'village' ORDER BY code LIMIT 1").fetchone()
    return str(row[0])


def run_variant(name: str, src: Path, db0: Path, csv_path: Path, work: Path) -> dict:
    db = work / f"{name}.sqlite3"
    shutil.copy(db0, db)
    var = work / f"var-{name}"
    shutil.copytree(work / "var", var, dirs_exist_ok=True)  # the same secret and field keys
    env = env_for(f"sqlite:///{db}", var, **BENCH_ENV)
    env["PYTHONPATH"] = str(src)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (work / f"{name}-gunicorn.log").open("w") as log:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
             "--timeout", "300", "--log-level", "warning"],
            cwd=src, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    stop, out = work / f"{name}.stop", work / f"{name}-submissions.jsonl"
    marker = f"负载测试{name}#"
    sub = None
    try:
        wait_up(f"{base}/public/submit/", gunicorn)
        sub = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.sqlite_import_under_load", "--submitter",
             base, unit_code(db), marker, str(stop), str(out)],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )  # fmt: skip
        time.sleep(3)
        t0 = time.time()
        imp = subprocess.run(
            [*MINQING, "import", "problems", str(csv_path)], cwd=src, env=env, capture_output=True, text=True
        )
        t1 = time.time()
        time.sleep(3)
        stop.touch()
        sub.wait(timeout=300)
    finally:
        if sub is not None and sub.poll() is None:
            sub.kill()
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=60)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    if imp.returncode != 0:
        raise SystemExit(f"{name}: import failed:\n{imp.stdout}\n{imp.stderr[-3000:]}")
    recs = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    with sqlite3.connect(db) as c:
        stored = dict(
            c.execute("SELECT title, tracking_code FROM ledger_feedback WHERE title LIKE ?", (marker + "%",))
        )
        imported = c.execute("SELECT COUNT(*) FROM ledger_problem WHERE number LIKE 'IMP%'").fetchone()[0]
    acked = {r["title"]: r["code"] for r in recs if r.get("status") == 200 and r.get("code")}
    during = [r for r in recs if r["t0"] < t1 and r["t1"] > t0]
    post = sorted(r["post_s"] for r in during if "post_s" in r)
    return {
        "import_s": round(t1 - t0, 1),
        "import_output": imp.stdout.strip()[-300:],
        "imported": imported,
        "submissions": len(recs),
        "during_import": len(during),
        "acknowledged": len(acked),
        "status_503": sum(r.get("status") == 503 for r in recs),
        "other_5xx": sum(500 <= r.get("status", 0) < 600 and r.get("status") != 503 for r in recs),
        "other_status": sum(r.get("status", 0) not in (0, 200) and r.get("status", 0) < 500 for r in recs),
        "errors": sum(r.get("status") == 0 for r in recs),
        "stored": len(stored),
        "stored_without_ack": sum(1 for t in stored if t not in acked),
        "acked_not_stored": sum(1 for t, code in acked.items() if stored.get(t) != code),
        "post_during_import_max_s": round(post[-1], 2) if post else None,
        "post_during_import_p95_s": round(post[round(0.95 * (len(post) - 1))], 2) if post else None,
        "post_during_import_median_s": round(statistics.median(post), 3) if post else None,
    }  # fmt: skip


def pg_import(name: str, src: Path, url: str, csv_path: Path, work: Path) -> float:
    """The import alone on a fresh PostgreSQL database with the mini tier; seconds."""
    recreate_pg(url)
    env = env_for(url, work / f"var-pg-{name}", **BENCH_ENV)
    env["PYTHONPATH"] = str(src)
    (work / f"var-pg-{name}").mkdir(exist_ok=True)
    subprocess.run([*MINQING, "migrate", "-v0"], cwd=src, env=env, check=True)
    subprocess.run([*MINQING, "demo", "--scale", "mini", "--no-progress"], cwd=src, env=env, check=True,
                   capture_output=True)  # fmt: skip
    t0 = time.time()
    subprocess.run([*MINQING, "import", "problems", str(csv_path)], cwd=src, env=env, check=True,
                   capture_output=True)  # fmt: skip
    return round(time.time() - t0, 1)


def baseline_tree(ref: str, work: Path) -> tuple[Path, str]:
    sha = subprocess.run(["git", "rev-parse", ref], cwd=ROOT, check=True, capture_output=True, text=True)
    commit = sha.stdout.strip()
    dest = work / "baseline-src"
    dest.mkdir()
    archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    archive.wait()
    return dest, commit


def render(r: dict) -> str:
    lines = header("SQLite: a 100,000-row problems import while the public submits", r)
    lines += [
        f"{r['rows']:,} rows (`benchmarks/problem_file.py`: every 状态, claims, resolved and closed rows; "
        f"{r['events_per_row']} events a row on average), mini tier, SQLite {r['sqlite']}, "
        "gunicorn 2 workers, "
        "one submitter process filling in the online form over HTTP in a loop. Baseline: "
        f"`{r['baseline_commit'][:10]}` (today's code), same database, same file, same run. "
        f"Load average at the start: {r['loadavg']}.",
        "",
        "| | import (s) | target < 30 s | submissions (during import) | acknowledged | 503 retry | other 5xx "
        "| errors | stored | stored without ack | slowest / p95 / median POST during import (s) |",
        "|---|---:|:-:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in ("baseline", "new"):
        v = r["runs"].get(name)
        if v is None:
            continue
        lines.append(
            f"| {name} | {v['import_s']} | {ok(v['import_s'] < TARGET_S)} "
            f"| {v['submissions']} ({v['during_import']}) "
            f"| {v['acknowledged']} | {v['status_503']} | {v['other_5xx']} | {v['errors']} | {v['stored']} "
            f"| {v['stored_without_ack']} {ok(v['stored_without_ack'] == 0)} "
            f"| {v['post_during_import_max_s']} / {v['post_during_import_p95_s']} "
            f"/ {v['post_during_import_median_s']} |"
        )  # fmt: skip
    if "baseline" in r["runs"]:
        b, n = r["runs"]["baseline"], r["runs"]["new"]
        lines += ["", f"Import time, new / baseline: **{n['import_s'] / b['import_s']:.2f}**."]
    if r.get("pg"):
        pg = r["pg"]
        lines += [
            "",
            f"PostgreSQL ({pg['server']}), the import alone of the first {pg['rows']:,} rows, "
            f"fresh mini-tier database each: baseline {pg.get('baseline', '-')} s, new {pg['new']} s"
            + (f" (ratio {pg['new'] / pg['baseline']:.2f})." if pg.get("baseline") else "."),
        ]
    lines += ["", "Notes:", "", *[f"- {n}" for n in r["notes"]], ""]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--submitter":
        submitter(*sys.argv[2:7])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--baseline-ref", default="")
    ap.add_argument("--pg-rows", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mq-import-load-"))
    try:
        db0 = work / "base.sqlite3"
        env = env_for(f"sqlite:///{db0}", work / "var", **BENCH_ENV)
        (work / "var").mkdir()
        subprocess.run([*MINQING, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*MINQING, "demo", "--scale", "mini", "--no-progress"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        with sqlite3.connect(db0) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        csv_path = work / "problems.csv"
        subprocess.run([sys.executable, "-m", "benchmarks.problem_file", str(csv_path), str(args.rows)],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        ref = (
            args.baseline_ref
            or subprocess.run(
                ["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout.strip()
        )
        base_src, commit = (None, "") if args.skip_baseline else baseline_tree(ref, work)
        result: dict = {
            "command": "python -m benchmarks.sqlite_import_under_load " + " ".join(sys.argv[1:]),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "rows": args.rows,
            "sqlite": sqlite3.sqlite_version,
            "baseline_commit": commit,
            "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
            "runs": {},
        }
        if base_src is not None:
            result["runs"]["baseline"] = run_variant("baseline", base_src, db0, csv_path, work)
            print(json.dumps(result["runs"]["baseline"], ensure_ascii=False), flush=True)
        result["runs"]["new"] = run_variant("new", ROOT, db0, csv_path, work)
        print(json.dumps(result["runs"]["new"], ensure_ascii=False), flush=True)
        with sqlite3.connect(work / "new.sqlite3") as c:
            events = c.execute(
                "SELECT COUNT(*) FROM ledger_problemevent e JOIN ledger_problem p ON p.id = e.problem_id "
                "WHERE p.number LIKE 'IMP%'"
            ).fetchone()[0]
        result["events_per_row"] = round(events / args.rows, 2)
        if args.pg_rows:
            url = os.environ.get("BENCH_PG_URL", PG_DEFAULT)
            small = work / "problems-pg.csv"
            with csv_path.open() as src, small.open("w") as dst:
                for i, line in enumerate(src):
                    if i > args.pg_rows:
                        break
                    dst.write(line)
            pg: dict = {"rows": args.pg_rows, "server": "PostgreSQL"}
            if base_src is not None:
                pg["baseline"] = pg_import("baseline", base_src, url, small, work)
            pg["new"] = pg_import("new", ROOT, url, small, work)
            result["pg"] = pg
        result["notes"] = [
            "The import command is timed from start to exit (reading and checking the file too).",
            "Both runs: the same settings (WAL, busy timeout 20 s, BEGIN IMMEDIATE); only the code differs.",
            "The machine is shared by other jobs: the load average above is part of every figure.",
        ]
        write_results("sqlite_import_under_load", result, render)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
