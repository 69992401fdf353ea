"""``python -m minqing.ops.prodcheck [--seconds N] [--keep]`` (``make prod-check``)."""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from minqing.ops import pg
from minqing.ops.prodcheck.faults import verify
from minqing.ops.prodcheck.http import Client
from minqing.ops.prodcheck.ingest import Ladder
from minqing.ops.prodcheck.load import BULLETIN_AS_OF, Load
from minqing.ops.prodcheck.report import write_report
from minqing.ops.prodcheck.stack import Stack
from minqing.webhooks.tests.receiver import Receiver


def say(line: str) -> None:
    print(f"[prod-check {time.strftime('%H:%M:%S')}] {line}", flush=True)


def smoke(stack: Stack, key: str, top: str) -> dict[str, int]:
    c = Client(stack.ports["web"])
    auth = {"Authorization": f"Bearer {key}"}
    checks = {
        "/": c.get("/").status,
        "/public/submit/": c.get("/public/submit/").status,
        "/public/problems/": c.get("/public/problems/").status,
        "/accounts/login/": c.get("/accounts/login/").status,
        "/api/v1/problems/": c.get("/api/v1/problems/?limit=5", auth).status,
        "/api/v1/reports/dashboard": c.get(f"/api/v1/reports/dashboard?unit={top}", auth).status,
        "/api/v1/reports/bulletin": c.get(
            f"/api/v1/reports/bulletin?unit={top}&as_of={BULLETIN_AS_OF}", auth
        ).status,
        "/open311/v2/discovery.json": c.get("/open311/v2/discovery.json").status,
        "/metrics": c.get("/metrics").status,
    }
    bad = {path: status for path, status in checks.items() if status not in (200, 302)}
    metrics = c.get("/metrics").text()
    if "minqing_replica_in_use 1" not in metrics:
        bad["/metrics: replica in use"] = 0
    if bad:
        raise RuntimeError(f"smoke test failed: {bad}\n{metrics}")
    return checks


def enqueue_deadlines(stack: Stack) -> None:
    stack.module("minqing.ops.prodcheck.setup", "--enqueue-deadlines")


def faults(stack: Stack, log: list[dict[str, Any]]) -> Any:
    """The schedule, run beside the load: kill -9 a web worker, the job worker (restarted), and
    restart PostgreSQL in immediate mode."""

    def run(started: float) -> None:
        def at(t: float) -> None:
            time.sleep(max(0.0, started + t - time.monotonic()))

        def step() -> None:
            at(3)
            enqueue_deadlines(stack)
            log.append({"t": round(time.monotonic() - started, 1), "fault": "deadline job queued"})
            at(8)
            victim = stack.web_workers()[0]
            os.kill(victim, signal.SIGKILL)
            log.append({"t": round(time.monotonic() - started, 1), "fault": f"kill -9 web worker {victim}"})
            at(14)
            enqueue_deadlines(stack)  # queued while its worker is about to die
            os.killpg(stack.procs["worker"].popen.pid, signal.SIGKILL)
            stack.procs["worker"].popen.wait()
            log.append(
                {
                    "t": round(time.monotonic() - started, 1),
                    "fault": "kill -9 job worker (2 deadline runs queued)",
                }
            )
            at(18)
            stack.start_worker()
            log.append({"t": round(time.monotonic() - started, 1), "fault": "job worker restarted"})
            at(24)
            assert stack.primary is not None
            stack.primary.restart("immediate")
            log.append(
                {
                    "t": round(time.monotonic() - started, 1),
                    "fault": "PostgreSQL primary restarted (immediate)",
                }
            )

        threading.Thread(target=step, daemon=True).start()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description="Production stack check (docs/deploy.md)")
    parser.add_argument("--seconds", type=float, default=40, help="length of the fault test's load")
    parser.add_argument("--keep", action="store_true", help="leave the work folder (logs) in place")
    parser.add_argument(
        "--ingest-seconds", type=float, default=12, help="seconds per rate of the ingestion ladder (0: none)"
    )
    args = parser.parse_args()
    why = pg.missing_programs()
    if why:
        sys.exit(f"prod-check: {why}")
    work = Path(tempfile.mkdtemp(prefix="minqing-prod-check-", dir="/tmp"))
    work.chmod(0o755)  # the postgres user runs the servers inside it
    stack = Stack(work)
    receiver = Receiver()  # the webhook tests' receiver: every delivery kept
    receiver.set("ok")
    summary: dict[str, Any] = {"work": str(work)}
    started = time.monotonic()
    try:
        say(f"PostgreSQL primary and streaming replica in {work}")
        stack.start_databases()
        stack.start_pgbouncer()
        stack.start_redis()
        stack.configure()
        say("migrate (straight to the primary)")
        t = time.monotonic()
        stack.manage("migrate", "--noinput", "-v0", direct=True)
        stack.timings["migrate_s"] = time.monotonic() - t
        say("load the seed demo")
        t = time.monotonic()
        stack.manage("demo", "--no-progress", direct=True)
        stack.timings["demo_s"] = time.monotonic() - t
        deploy = stack.manage("check", "--deploy", "--fail-level", "WARNING")
        summary["check_deploy"] = deploy.strip().splitlines()[-1] if deploy.strip() else ""
        setup = json.loads(stack.module("minqing.ops.prodcheck.setup", receiver.url("/hook")))
        say("gunicorn (production settings, 4 workers) and the huey worker on Redis")
        stack.start_web()
        stack.start_worker()
        pg.wait_caught_up(stack.primary, stack.replica)  # type: ignore[arg-type]
        summary["smoke"] = smoke(stack, setup["key"], setup["top"])
        say("smoke test passed; the fault test's load starts")
        load = Load(stack.ports["web"], setup["key"], setup["top"], setup["leaf"])
        fault_log: list[dict[str, Any]] = []
        load.run(args.seconds, faults(stack, fault_log))
        summary["faults"] = fault_log
        say("load stopped; waiting for the queued jobs to finish")
        summary["result"] = verify(stack, load, receiver, setup)
        summary["metrics_after"] = [
            line for line in Client(stack.ports["web"]).get("/metrics").text().splitlines()
            if line.startswith(("minqing_replica", "minqing_database_up", "minqing_jobs_pending"))
        ]  # fmt: skip
        summary["timings"] = {k: round(v, 1) for k, v in stack.timings.items()}
        summary["latency"] = load.tally.latency()
        summary["answers"] = dict(sorted(load.tally.statuses.items()))
        if args.ingest_seconds > 0:
            say("ingestion ladder: submissions at fixed rates until p99 passes 500 ms")
            summary["ingestion"] = Ladder(
                stack.ports["web"], setup["key"], setup["leaf"], args.ingest_seconds
            ).run()
            say(f"ingestion: sustained {summary['ingestion']['sustained_per_s']} submissions/s")
    finally:
        say("stopping everything")
        stack.stop()
        receiver.stop()
        if not args.keep and "result" in summary:
            pg.remove(work, [])
    summary["total_s"] = round(time.monotonic() - started, 1)
    ok = write_report(summary)
    say(("PASSED" if ok else "FAILED") + " (benchmarks/results/prod_check.md)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
