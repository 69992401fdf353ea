"""POST throughput of the API and Open311 through the production server (issue 12, Done-when).

``python -m benchmarks.api_post_throughput [--skip-sqlite] [--skip-pg] [--duration 15] [--warmup 3]``

For each engine (a SQLite file; a PostgreSQL database of its own, created and dropped here):
``minqing migrate`` and ``minqing demo --scale mini``, an application on the top unit (intake and
office roles, scopes ``problems:write`` and ``open311``) with a key, then gunicorn as in production
(``python -m gunicorn -c python:config.gunicorn config.wsgi``, ``config.production`` settings, sync
workers, 2 x cores + 1 of them; CONN_MAX_AGE as the settings give: 60 s on PostgreSQL) in its own
process, the per-key rate limit off. A separate load process, ``wrk`` (Debian's), drives it over
loopback at concurrency 8 and 32: a warm-up, then a fixed window, for POST /api/v1/problems/ (JSON,
channel call, a unique Idempotency-Key each) and POST /open311/v2/requests.json (form-encoded,
api_key, a service from GET services.json, the top unit as jurisdiction, a village as address_id).

Reported: 2xx/s, p50/p95/p99 (wrk's), answers by status and socket errors, the CPU of wrk, of the
gunicorn workers and of the whole machine in the window; and the check that every 2xx is matched by
exactly one stored row: the numbers the 2xx answers carry (collected by the wrk script) against the
problems stored in the window (each answered number stored once, one feedback per problem, one
Open311 request per Open311 problem; rows stored for requests still in flight when wrk stopped are
counted apart, at most the concurrency). Then one POST of each kind in-process under
``CaptureQueriesContext``, its SQL statements grouped by table.
"""

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import MINQING, ROOT, env_for, header, machine, ok, recreate_pg, run, write_results
from minqing.ops.ports import free_port, wait_port

PG_URL = os.environ.get("BENCH_API_PG_URL", "postgres://postgres@127.0.0.1:5432/minqing_api_post_bench")
LUA = ROOT / "benchmarks" / "api_post_wrk.lua"
KINDS = {
    "api": "POST /api/v1/problems/",
    "api_queued": "POST /api/v1/problems/ (Prefer: respond-async)",
    "open311": "POST /open311/v2/requests.json",
    "open311_queued": "POST /open311/v2/requests.json (Prefer: respond-async)",
}
QUEUED_KINDS = ("api_queued", "open311_queued")
TARGET_RPS, TARGET_P99_MS = 600, 150


# --- inside the stack (subprocesses with the engine's environment) -------------------------------


def _django() -> None:
    import django

    django.setup()


def setup_app() -> None:
    """An application on the top unit with a key; prints the key, the top and a village."""
    _django()
    from minqing.api.keys import application_create, application_key_issue
    from minqing.api.scopes import Scope
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import Role, UnitKind
    from minqing.orgs.models import Unit

    top = Unit.objects.filter(depth=1).order_by("path").first()
    assert top is not None, "no unit: load the demo first"
    leaf = Unit.objects.filter(path__startswith=top.path, kind=UnitKind.VILLAGE).order_by("path").first()
    assert leaf is not None
    app = application_create(
        actor=SYSTEM,
        name="api-post-bench",
        unit=top,
        roles=[Role.INTAKE, Role.OFFICE],
        scopes=[Scope.PROBLEMS_WRITE.value, Scope.OPEN311.value],
    )
    key = application_key_issue(actor=SYSTEM, application=app, name="api-post-bench")
    print(json.dumps({"key": key.secret, "top": top.code, "unit": leaf.code}))


def drain() -> None:
    """Register every queued registration now (what the job worker does after the answers);
    prints the counts and the seconds it took."""
    _django()
    from minqing.api import queued
    from minqing.open311 import services

    started = time.monotonic()
    counts = {**queued.drain(), **services.drain()}
    print(json.dumps({**counts, "seconds": round(time.monotonic() - started, 1)}))


_TABLE = re.compile(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.I)


def _verb(sql: str) -> str:
    return sql.lstrip().split(None, 1)[0].upper()


def _label(sql: str) -> str:
    verb = _verb(sql)
    if verb in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}:
        return verb
    tables = list(dict.fromkeys(_TABLE.findall(sql)))
    return f"{verb} {tables[0] if tables else '?'}" + (f" (+{', '.join(tables[1:])})" if tables[1:] else "")


def count_sql(spec: str) -> None:
    """One POST of each kind in-process (the third of three, warm), its statements; prints JSON."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    s = json.loads(spec)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    out: dict[str, Any] = {}
    for kind in KINDS:
        for i in range(3):
            rid = f"sql-{kind}-{i}-{secrets.token_hex(4)}"
            phases: list[tuple[str, bool]] = []

            def mark(
                execute: Any, sql: str, params: Any, many: bool, context: Any, phases: Any = phases
            ) -> Any:
                phases.append((_verb(sql), connection.in_atomic_block))
                return execute(sql, params, many, context)

            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(mark):
                if kind in ("api", "api_queued"):
                    body = {
                        "title": f"路灯不亮 {rid}",
                        "content": f"村口路灯坏了三个月({rid})",
                        "unit_code": s["unit"],
                        "channel": "call",
                        "reporter": {"name": "王大妈", "phone": "13900001111"},
                    }
                    resp = client.post(
                        "/api/v1/problems/",
                        data=json.dumps(body),
                        content_type="application/json",
                        headers={
                            "Authorization": f"Bearer {s['key']}",
                            "Idempotency-Key": rid,
                            **({"Prefer": "respond-async"} if kind == "api_queued" else {}),
                        },
                    )
                else:
                    form = {
                        "api_key": s["key"],
                        "service_code": s["service"],
                        "jurisdiction_id": s["top"],
                        "address_id": s["unit"],
                        "description": f"村口路灯坏了三个月 {rid}",
                        "first_name": "大妈",
                        "last_name": "王",
                        "phone": "13900001111",
                    }
                    prefer = {"Prefer": "respond-async"} if kind == "open311_queued" else {}
                    resp = client.post(
                        "/open311/v2/requests.json",
                        data=urllib.parse.urlencode(form),
                        content_type="application/x-www-form-urlencoded",
                        headers=prefer,
                    )
            assert 200 <= resp.status_code < 300, (resp.status_code, resp.content[:500])
        statements = [q["sql"] for q in ctx.captured_queries]
        # Django logs its own BEGIN/COMMIT without the execute wrappers: such a statement has no
        # mark of its own and is the transaction's edge
        labelled = []
        at = 0
        for sql in statements:
            inside = True
            verb = "SELECT" if _verb(sql) == "DECLARE" else _verb(sql)  # a server-side cursor's SELECT
            if at < len(phases) and phases[at][0] == verb:
                inside = phases[at][1]
                at += 1
            if _verb(sql) in {"BEGIN", "COMMIT"}:
                inside = True  # the edges of the transaction
            labelled.append((_label(sql), "transaction" if inside else "autocommit"))
        if at != len(phases):
            raise SystemExit(f"statements and marks out of step: {phases} {statements}")
        out[kind] = {
            "total": len(statements),
            "in_transaction": sum(1 for _, where in labelled if where == "transaction"),
            "autocommit": sum(1 for _, where in labelled if where == "autocommit"),
            "groups": [[f"{label} [{where}]", n] for (label, where), n in Counter(labelled).most_common()],
            "statements": [
                f"[{where}] {sql[:300]}" for (_, where), sql in zip(labelled, statements, strict=True)
            ],
        }
    print(json.dumps(out, ensure_ascii=False))


# --- the driver ------------------------------------------------------------------------------------


def _wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    if not wait_port(port, timeout, alive=lambda: proc.poll() is None):
        raise SystemExit(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _sched(pids: list[int]) -> dict[int, tuple[float, float]]:
    """For each process: (seconds on a CPU, seconds runnable but waiting for one) so far
    (/proc/PID/schedstat)."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/schedstat").read_text().split()
            out[pid] = (int(fields[0]) / 1e9, int(fields[1]) / 1e9)
        except (OSError, IndexError, ValueError):
            pass
    return out


def _sched_delta(
    start: dict[int, tuple[float, float]], end: dict[int, tuple[float, float]]
) -> tuple[float, float]:
    """The window's part: a process gone by the end is left out (its share is lost), one new at
    the end counts whole (it started in the window)."""
    run_s = wait_s = 0.0
    for pid, (on_cpu, wait) in end.items():
        run0, wait0 = start.get(pid, (0.0, 0.0))
        run_s += on_cpu - run0
        wait_s += wait - wait0
    return run_s, wait_s


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _cpu_total(pids: list[int]) -> float:
    return sum(run for run, _ in _sched(pids).values())


def _settle(pids: list[int], limit: float = 90) -> float:
    """Wait until the new workers are idle (each builds the duplicates index at its start, see
    config/gunicorn.py): under 0.05 cores for 2 s in a row. The seconds it took."""
    started = time.monotonic()
    quiet = 0
    last = _cpu_total(pids)
    while time.monotonic() - started < limit and quiet < 2:
        time.sleep(1)
        now = _cpu_total(pids)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return round(time.monotonic() - started, 1)


class Database:
    """Counts and numbers of the stored rows, read straight from the database."""

    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite:///"):
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()

    def backends(self) -> list[int]:
        """The PostgreSQL server processes serving this database (the workers' persistent
        connections); none on SQLite."""
        if self.url.startswith("sqlite:///"):
            return []
        name = self.url.rsplit("/", 1)[1]
        return [int(p) for (p,) in self.query("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]

    def last_ids(self) -> dict[str, int]:
        out = {}
        for table in ("ledger_problem", "ledger_feedback", "open311_servicerequest"):
            out[table] = int(self.query(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0][0])
        return out

    def queued_numbers(self, kind: str, tokens: list[str]) -> tuple[list[str], dict[str, int]]:
        """The problem number each answered token was registered as ("?" when it is not stored
        or not registered), and the queued rows by state."""
        stored = self.query(
            "SELECT token, state, number FROM api_queuedregistration"
            if kind == "api_queued"
            else "SELECT r.token, CASE WHEN r.problem_id IS NULL THEN 'queued' ELSE 'registered' END, "
            "p.number FROM open311_servicerequest r LEFT JOIN ledger_problem p ON p.id = r.problem_id"
        )
        rows = {t: (st, n) for t, st, n in stored}
        numbers = [rows[t][1] if t in rows and rows[t][0] == "registered" else "?" for t in tokens]
        states = Counter(rows[t][0] if t in rows else "not stored" for t in tokens)
        return numbers, dict(states)

    def stored_since(self, before: dict[str, int]) -> dict[str, Any]:
        problems = self.query(
            "SELECT id, number, title FROM ledger_problem WHERE id > %s", (before["ledger_problem"],)
        )
        feedback = self.query(
            "SELECT problem_id, COUNT(*) FROM ledger_feedback WHERE id > %s GROUP BY problem_id",
            (before["ledger_feedback"],),
        )
        requests = self.query(
            "SELECT problem_id, COUNT(*) FROM open311_servicerequest WHERE id > %s GROUP BY problem_id",
            (before["open311_servicerequest"],),
        )
        return {
            "numbers": [n for _, n, _ in problems],
            "ids": {i: n for i, n, _ in problems},
            "titles": {n: t for _, n, t in problems},
            "feedback": {p: c for p, c in feedback},
            "requests": {p: c for p, c in requests},
        }


def _wrk(port: int, kind: str, label: str, conc: int, seconds: float, s: dict[str, str]) -> dict[str, Any]:
    argv = ["wrk", "-t", str(min(2, conc)), "-c", str(conc), "-d", f"{int(seconds)}s", "--timeout", "30s",
            "-s", str(LUA), f"http://127.0.0.1:{port}",
            "--", kind, label, s["key"], s["unit"], s["service"], s["top"]]  # fmt: skip
    before = os.times()
    res = subprocess.run(argv, capture_output=True, text=True, check=False)
    after = os.times()
    line = next((x for x in res.stdout.splitlines() if x.startswith("RESULT ")), None)
    if res.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({res.returncode}):\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    out["wrk_cpu_s"] = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    out["summary"] = "\n".join(x for x in res.stdout.splitlines() if not x.startswith("RESULT "))
    return out


def _check(numbers: list[str], stored: dict[str, Any], kind: str, label: str) -> dict[str, Any]:
    answered = Counter(numbers)
    # every request's title carries " LABEL-thread-counter": rows of the warm-up (answered before
    # the window) are told apart from rows of this window's requests answered after wrk stopped
    mine = {n for n, title in stored["titles"].items() if f" {label}-" in title}
    stored_numbers = Counter(stored["numbers"])
    ids = stored["ids"]
    return {
        "answered_2xx": len(numbers),
        "answered_without_number": answered.get("?", 0),
        "numbers_answered_twice": sum(1 for n, c in answered.items() if c > 1),
        "answered_not_stored": sum(1 for n in answered if n != "?" and n not in stored_numbers),
        "stored_problems": len(stored["numbers"]),
        "stored_twice": sum(1 for c in stored_numbers.values() if c > 1),
        "stored_not_answered": sum(1 for n in stored_numbers if n not in answered and n in mine),
        "stored_from_warmup": sum(1 for n in stored_numbers if n not in mine),
        "problems_without_one_feedback": sum(1 for i in ids if stored["feedback"].get(i) != 1),
        "feedback_without_problem": sum(c for p, c in stored["feedback"].items() if p not in ids),
        "problems_without_one_request": (
            sum(1 for i in ids if stored["requests"].get(i) != 1) if kind.startswith("open311") else None
        ),
        "requests_other": sum(c for p, c in stored["requests"].items() if p not in ids)
        if kind in ("api", "api_queued")
        else None,
    }


def _one_engine(engine: str, url: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    from cryptography.fernet import Fernet

    var = work / f"var-{engine}"
    extra = {
        "DJANGO_SETTINGS_MODULE": "config.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MINQING_FIELD_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MINQING_API_RATE_LIMIT": "0",
        "MINQING_PUBLIC_RATE_LIMIT": "0",
        "MINQING_PUBLIC_MESSAGE_LIMIT": "1000000",
    }
    env = env_for(url, var, **extra)
    result: dict[str, Any] = {"engine": engine, "database": url.split("@")[-1]}
    started = time.monotonic()
    if engine == "postgresql":
        recreate_pg(url)
    run([*MINQING, "migrate", "-v", "0"], env)
    run([*MINQING, "demo", "--scale", "mini", "--no-progress"], env)
    spec = json.loads(run([sys.executable, "-m", "benchmarks.api_post_throughput", "--setup"], env).stdout)
    result["prepare_s"] = round(time.monotonic() - started, 1)

    port = free_port()
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    log_path = work / f"gunicorn-{engine}.log"
    log = log_path.open("wb")
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60",
            "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    result["server"] = " ".join(argv[1:]) + f"  (sync workers: {workers})"
    runs: list[dict[str, Any]] = []
    try:
        _wait_port(port, server, log_path)
        out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False)
        pids = [int(p) for p in out.stdout.split()]
        result["settle_s"] = _settle(pids)
        q = urllib.parse.urlencode({"jurisdiction_id": spec["top"]})
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/open311/v2/services.json?{q}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            services = json.loads(resp.read())
        spec["service"] = str(services[0]["service_code"])
        result["service"] = {"code": spec["service"], "name": services[0]["service_name"]}
        db = Database(url)
        # every worker loads what the endpoints load on first use (the category model, the
        # duplicates index): a first warm-up of each kind long enough to reach all of them
        for kind in args.kinds:
            _wrk(port, kind, f"first{kind}{secrets.token_hex(3)}", 8, args.first_warmup, spec)
        time.sleep(1)
        for kind in args.kinds:
            for conc in args.concurrency:
                label = f"{engine[:2]}{kind}{conc}{secrets.token_hex(3)}"
                _wrk(port, kind, "w" + label, conc, args.warmup, spec)
                _settle(pids, limit=30)  # the warm-up's last requests finish
                if kind in QUEUED_KINDS:  # the warm-up's queued rows registered before the window
                    run([sys.executable, "-m", "benchmarks.api_post_throughput", "--drain"], env)
                before = db.last_ids()
                load0 = os.getloadavg()[0]
                backends = db.backends()
                cpu0, busy0, pg0 = _sched(pids), _machine_busy(), _sched(backends)
                w = _wrk(port, kind, label, conc, args.duration, spec)
                cpu1, busy1, pg1 = _sched(pids), _machine_busy(), _sched(db.backends())
                _settle(pids, limit=30)  # requests in flight when wrk stopped end (stored, never answered)
                queued_info = None
                if kind in QUEUED_KINDS:  # the job's work, after the window (no worker ran in it)
                    drained = run([sys.executable, "-m", "benchmarks.api_post_throughput", "--drain"], env)
                    queued_info = json.loads(drained.stdout)
                    w["numbers"], queued_info["answered_by_state"] = db.queued_numbers(kind, w["numbers"])
                stored = db.stored_since(before)
                secs = w["duration_us"] / 1e6
                gcpu, pgd = _sched_delta(cpu0, cpu1), _sched_delta(pg0, pg1)
                ok2 = sum(n for code, n in w["statuses"].items() if 200 <= int(code) < 300)
                r = {
                    "kind": kind,
                    "concurrency": conc,
                    "seconds": round(secs, 2),
                    "load_average_1m_at_start": round(load0, 2),
                    "answers": w["requests"],
                    "ok_2xx": ok2,
                    "rps_2xx": round(ok2 / secs, 1),
                    "p50_ms": round(w["latency_us"]["50"] / 1000, 1),
                    "p95_ms": round(w["latency_us"]["95"] / 1000, 1),
                    "p99_ms": round(w["latency_us"]["99"] / 1000, 1),
                    "max_ms": round(w["latency_max_us"] / 1000, 1),
                    "statuses": dict(sorted(w["statuses"].items())),
                    "socket_errors": w["socket_errors"],
                    "first_errors": w["first_errors"][:3],
                    "wrk_cpu_cores": round(w["wrk_cpu_s"] / secs, 2),
                    "gunicorn_cpu_cores": round(gcpu[0] / secs, 2),
                    "gunicorn_cpu_s": round(gcpu[0], 3),
                    "gunicorn_runqueue_wait_s": round(gcpu[1], 3),
                    "pg_backends": len(backends),
                    "pg_cpu_s": round(pgd[0], 3),
                    "pg_runqueue_wait_s": round(pgd[1], 3),
                    "machine_busy": round((busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 2),
                    "check": _check(w["numbers"], stored, kind, label),
                    "queued": queued_info,
                    "wrk_summary": w["summary"],
                }
                runs.append(r)
                print(
                    f"{engine} {kind} c{conc}: {r['rps_2xx']} 2xx/s p50 {r['p50_ms']} p95 {r['p95_ms']} "
                    f"p99 {r['p99_ms']} ms statuses {r['statuses']} errors {r['socket_errors']} "
                    f"wrk {r['wrk_cpu_cores']} cores, gunicorn {r['gunicorn_cpu_cores']}, "
                    f"machine {r['machine_busy']}; check {r['check']}",
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    result["runs"] = runs
    text = log_path.read_text(errors="replace")
    result["server_log_tracebacks"] = text.count("Traceback")
    result["server_log_tail"] = [x for x in text.splitlines() if x.strip()][-40:]
    try:
        sql = run(
            [sys.executable, "-m", "benchmarks.api_post_throughput", "--count-sql", json.dumps(spec)], env
        )
    except subprocess.CalledProcessError as failed:
        raise SystemExit(f"--count-sql failed:\n{failed.stderr[-3000:]}") from None
    result["sql"] = json.loads(sql.stdout)
    if engine == "postgresql" and not args.keep_pg:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return result


def _clean(r: dict[str, Any]) -> bool:
    """No answer but 2xx, no socket error, every 2xx matched by exactly one stored row."""
    c = r["check"]
    return (
        r["ok_2xx"] == r["answers"]
        and not any(r["socket_errors"].values())
        and c["answered_without_number"] == 0
        and c["numbers_answered_twice"] == 0
        and c["answered_not_stored"] == 0
        and c["stored_twice"] == 0
        and c["stored_not_answered"] <= r["concurrency"]
        and c["problems_without_one_feedback"] == 0
        and c["feedback_without_problem"] == 0
        and not c["problems_without_one_request"]
        and not c["requests_other"]
    )


def _per(x: dict[str, Any], field: str) -> str:
    return f"{1000 * x[field] / x['ok_2xx']:.1f}" if x.get(field) is not None and x["ok_2xx"] else "?"


def _ceiling(x: dict[str, Any], cores: int) -> str:
    """What the CPU one 2xx costs (workers and PostgreSQL) allows on all the cores of an idle
    machine: an upper bound (the kernel's share, wrk and waits left out)."""
    if x.get("gunicorn_cpu_s") is None or not x["ok_2xx"]:
        return "?"
    per = (x["gunicorn_cpu_s"] + (x["pg_cpu_s"] or 0)) / x["ok_2xx"]
    return f"{cores / per:.0f}"


def _before(earlier: dict[str, Any]) -> dict[str, Any]:
    """What the comparison needs of an earlier run: its date, figures and statement counts."""
    return {
        "date": earlier["date"],
        "runs": {
            f"{e['engine']} {x['kind']} {x['concurrency']}": {
                k: x[k] for k in ("rps_2xx", "p50_ms", "p99_ms", "gunicorn_cpu_s", "pg_cpu_s", "ok_2xx")
            }
            for e in earlier["engines"]
            for x in e["runs"]
        },
        "sql": {
            f"{e['engine']} {kind}": s["total"] for e in earlier["engines"] for kind, s in e["sql"].items()
        },
        "machine_busy": {
            f"{e['engine']} {x['kind']} {x['concurrency']}": x["machine_busy"]
            for e in earlier["engines"]
            for x in e["runs"]
        },
    }


def _ratio(after: float, before: float) -> str:
    return f"×{after / before:.2f}" if before else "–"


COMPARISONS = {
    "before": (
        "Before and after (issue 12's lean write path; before: the committed run of {date})",
        "Both runs on the same shared machine, hours apart, so each figure carries the other jobs' load "
        'of its own window ("machine busy" before → after); the CPU one 2xx took depends less on them.',
    ),
    "before_same_window": (
        "The same comparison, A/B in one window (the code before issue 12's lean write path run "
        "just before this one, at {date})",
        "The earlier code (commit c6b0728) benchmarked by the same command immediately before this "
        "run, so both met about the same load of the other jobs.",
    ),
}


def _comparison(r: dict[str, Any], which: str) -> list[str]:
    b = r.get(which)
    if not b:
        return []
    title, note = COMPARISONS[which]
    lines = [
        f"## {title.format(date=b['date'])}",
        "",
        note,
        "",
        "| engine | POST | c | 2xx/s before | 2xx/s after | ratio | p99 ms before | p99 ms after "
        "| worker+PostgreSQL CPU ms / 2xx before | after | ratio | machine busy before → after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in r["engines"]:
        for x in e["runs"]:
            name = f"{e['engine']} {x['kind']} {x['concurrency']}"
            old = b["runs"].get(name)
            if old is None:
                continue

            def cpu(run: dict[str, Any]) -> float:
                n = run["ok_2xx"] or 1
                return 1000 * (run["gunicorn_cpu_s"] + (run.get("pg_cpu_s") or 0)) / n

            lines.append(
                f"| {e['engine']} | {KINDS[x['kind']]} | {x['concurrency']} "
                f"| {old['rps_2xx']} | {x['rps_2xx']} "
                f"| {_ratio(x['rps_2xx'], old['rps_2xx'])} | {old['p99_ms']} | {x['p99_ms']} "
                f"| {cpu(old):.1f} | {cpu(x):.1f} | {_ratio(cpu(x), cpu(old))} "
                f"| {b['machine_busy'].get(name, '?')} → {x['machine_busy']} |"
            )
    lines += ["", "SQL statements of one POST (in-process, warm), before → after:", ""]
    for e in r["engines"]:
        for kind, s in e["sql"].items():
            old_total = b["sql"].get(f"{e['engine']} {kind}")
            lines.append(f"- {e['engine']} {KINDS[kind]}: {old_total} → {s['total']}")
    return [*lines, ""]


def _queued_block(r: dict[str, Any]) -> list[str]:
    rows = [(e, x) for e in r["engines"] for x in e["runs"] if x.get("queued")]
    if not rows:
        return []
    lines = [
        "## The queued rows, registered after the window",
        "",
        "A queued POST (`Prefer: respond-async`) is answered once its row is stored; the job worker "
        "registers it after the answer. No job worker ran in the window: once wrk stopped, the drain "
        "(`minqing.api.queued.drain`, `minqing.open311.services.drain`: what the worker's job runs, here "
        "in one process) registered every queued row of the window, and only then were the 2xx matched "
        "to the problems stored. Answered: the 2xx of the window by the state of their row afterwards.",
        "",
        "| engine | POST | c | answered | registered (the window's and in flight) | failed | drain s "
        "| registered /s |",
        "|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for e, x in rows:
        q = x["queued"]
        done = q.get("registered", 0) + q.get("recorded", 0)
        answered = ", ".join(f"{k} {v}" for k, v in q["answered_by_state"].items())
        rate = round(done / q["seconds"], 1) if q["seconds"] else "–"
        lines.append(
            f"| {e['engine']} | {KINDS[x['kind']]} | {x['concurrency']} | {answered} | {done} "
            f"| {q.get('failed', 0)} | {q['seconds']} | {rate} |"
        )
    return [*lines, ""]


def render(r: dict[str, Any]) -> str:
    lines = header("API and Open311 POST throughput (gunicorn, loopback HTTP)", r)
    lines += [
        f"Load average at start: {r['load_average_at_start']} (1, 5, 15 min). **The machine is shared** "
        "with other agents' jobs (tests, builds, other benchmarks) during the run; their CPU use is "
        'in the "machine busy" column (the share of both cores busy in the window, this run '
        "included), so the figures are lower bounds of what the code does on an idle machine.",
        "",
        f"Server: `{r['engines'][0]['server'] if r['engines'] else ''}`, `config.production` settings, "
        "`MINQING_API_RATE_LIMIT=0` (rate limit off), huey on its SQLite file (no webhook subscription). "
        f"Load: `wrk` (Debian), 2 threads; after the server's start, once {r['first_warmup_s']} s of each "
        f"kind at c8 (every worker loads the category model and builds the duplicates index on first "
        f"use), then per row a warm-up of {r['warmup_s']} s then {r['duration_s']} s per row, "
        "script `benchmarks/api_post_wrk.lua` (a unique Idempotency-Key per API POST, a unique "
        "description per Open311 POST). wrk and the server share the 2 cores.",
        "",
        f"Target (issue 12): PostgreSQL ≥ {TARGET_RPS} 2xx/s at concurrency 32 "
        f"with p99 < {TARGET_P99_MS} ms; "
        "SQLite: concurrency 32 without errors, and the figure it reaches.",
        "",
    ]
    if r.get("notes"):
        lines += ["**Notes on this run:**", "", *[f"- {n}" for n in r["notes"]], ""]
    lines += [
        "| engine | POST | c | 2xx/s | p50 ms | p95 ms | p99 ms | max ms | answers by status | socket errors "
        "| 2xx ↔ rows | wrk cores | gunicorn cores | worker CPU ms / 2xx | worker wait for a CPU ms / 2xx "
        "| PostgreSQL CPU ms / 2xx | CPU ceiling 2xx/s | machine busy | load 1 min | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in r["engines"]:
        for x in e["runs"]:
            c = x["check"]
            match = (
                f"{c['answered_2xx']} 2xx = {c['answered_2xx']} rows, "
                f"+{c['stored_not_answered']} in flight at stop"
                + (f", +{c['stored_from_warmup']} of the warm-up" if c.get("stored_from_warmup") else "")
                if _clean(x)
                else json.dumps(c)
            )
            errors = ", ".join(f"{k} {v}" for k, v in x["socket_errors"].items() if v) or "0"
            statuses = ", ".join(f"{k}: {v}" for k, v in x["statuses"].items())
            if e["engine"] == "postgresql" and x["concurrency"] == 32:
                target = ok(x["rps_2xx"] >= TARGET_RPS and x["p99_ms"] < TARGET_P99_MS and _clean(x))
            elif x["concurrency"] == 32:
                target = ok(_clean(x))
            else:
                target = "(no target)" if _clean(x) else ok(False)
            lines.append(
                f"| {e['engine']} | {KINDS[x['kind']]} | {x['concurrency']} | {x['rps_2xx']} | {x['p50_ms']} "
                f"| {x['p95_ms']} | {x['p99_ms']} | {x['max_ms']} | {statuses} | {errors} | {match} "
                f"| {x['wrk_cpu_cores']} | {x['gunicorn_cpu_cores']} | {_per(x, 'gunicorn_cpu_s')} "
                f"| {_per(x, 'gunicorn_runqueue_wait_s')} "
                f"| {_per(x, 'pg_cpu_s') if x['pg_backends'] else '–'} "
                f"| {_ceiling(x, r['machine']['cores'])} "
                f"| {x['machine_busy']} | {x['load_average_1m_at_start']} | {target} |"
            )
    lines += [
        "",
        '"2xx ↔ rows": the wrk script keeps the number every 2xx answered; each must be stored once '
        "as a problem with one feedback (and, for Open311, one request row), no number answered "
        "twice. Rows stored for requests still in flight when wrk stopped (answered after wrk closed "
        "its connections, so never counted) are listed apart; they are at most the concurrency. Each "
        "request's title carries its run's label, so rows of the warm-up answered late are told apart.",
        "",
        '"worker CPU" and "wait for a CPU": the gunicorn workers\' time on a CPU and their time '
        'runnable but queued for one (`/proc/PID/schedstat`), per 2xx; "PostgreSQL CPU": the same for '
        "the server processes of the workers' connections (`pg_stat_activity` of the database). "
        '"machine busy": the share of both cores busy in the window (everything on the machine). '
        '"CPU ceiling": the cores divided by the worker and PostgreSQL CPU one 2xx took, the most '
        "this code could answer with the whole machine idle (an upper bound: the kernel's share of the "
        "sockets, wrk and every wait left out); it depends much less on the other jobs than 2xx/s.",
        "",
    ]
    lines += _queued_block(r)
    lines += _comparison(r, "before_same_window")
    lines += _comparison(r, "before")
    for e in r["engines"]:
        first = [f for x in e["runs"] for f in x["first_errors"]]
        lines += [
            f"## {e['engine']}",
            "",
            f"Prepared (migrate, demo mini, application) in {e['prepare_s']} s; service "
            f"`{e['service']['code']}` {e['service']['name']}. Tracebacks in the server log: "
            f"{e['server_log_tracebacks']}.",
            "",
        ]
        if first or e["server_log_tracebacks"]:
            lines += ["First error answers and the server log's last lines:", "", "```"]
            lines += [*first, *e["server_log_tail"], "```", ""]
        for kind, s in e["sql"].items():
            lines += [
                f"SQL statements of one {KINDS[kind]} (in-process, warm): **{s['total']}** "
                f"({s['in_transaction']} in the request's transaction, {s['autocommit']} in autocommit, "
                "each its own commit):",
                "",
            ]
            lines += [f"- {n} × `{label}`" for label, n in s["groups"]]
            lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-sql", help=argparse.SUPPRESS)
    parser.add_argument("--drain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--keep-pg", action="store_true", help="do not drop the PostgreSQL database")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--first-warmup", type=int, default=10, help="the server's first warm-up, per kind")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--concurrency", type=lambda v: [int(x) for x in v.split(",")], default=[8, 32])
    parser.add_argument("--kinds", type=lambda v: v.split(","), default=list(KINDS))
    parser.add_argument("--render", action="store_true", help="write the md again from the json")
    parser.add_argument(
        "--before",
        help="an earlier run's json (e.g. the committed results): its figures shown beside, as ratios",
    )
    parser.add_argument(
        "--same-window",
        help="the json of the earlier code run just before this one on the same machine (an A/B pair)",
    )
    args = parser.parse_args()
    if args.render:
        from benchmarks.common import RESULTS

        return write_results(
            "api_post_throughput", json.loads((RESULTS / "api_post_throughput.json").read_text()), render
        )
    if args.setup:
        return setup_app()
    if args.drain:
        drain()
        return
    if args.count_sql:
        count_sql(args.count_sql)
        # without the interpreter's teardown: a background thread of the loaded models (the
        # duplicates index) once aborted it ("terminate called without an active exception")
        sys.stdout.flush()
        os._exit(0)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    load = os.getloadavg()
    result: dict[str, Any] = {
        "command": "python -m benchmarks.api_post_throughput " + " ".join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in load],
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "first_warmup_s": args.first_warmup,
        "targets": {"pg_rps_c32": TARGET_RPS, "pg_p99_ms_c32": TARGET_P99_MS},
        "engines": [],
    }
    if args.before:
        result["before"] = _before(json.loads(Path(args.before).read_text()))
    if args.same_window:
        result["before_same_window"] = _before(json.loads(Path(args.same_window).read_text()))
    with tempfile.TemporaryDirectory(prefix="api-post-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_sqlite:
            url = f"sqlite:///{work / 'bench.sqlite3'}"
            result["engines"].append(_one_engine("sqlite", url, work, args))
        if not args.skip_pg:
            result["engines"].append(_one_engine("postgresql", PG_URL, work, args))
    write_results("api_post_throughput", result, render)


if __name__ == "__main__":
    main()
