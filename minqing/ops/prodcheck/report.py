"""The prod-check's summary: ``benchmarks/results/prod_check.json`` and ``.md``."""

import json
import platform
import time
from typing import Any

from minqing.ops.prodcheck.stack import ROOT

RESULTS = ROOT / "benchmarks" / "results"


def write_report(summary: dict[str, Any]) -> bool:
    result = summary.get("result") or {}
    ok = bool(result.get("ok"))
    summary = {
        "passed": ok,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": platform.platform(),
        **summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "prod_check.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    lines = [
        "# make prod-check",
        "",
        f"{'PASSED' if ok else 'FAILED'} on {summary['when']} ({summary['machine']}); "
        f"{summary.get('total_s')} s in all.",
        "Stack: PostgreSQL primary + streaming replica (pg_basebackup), PgBouncer (transaction pooling),",
        "Redis (job queue and cache), huey worker, gunicorn with config.production (4 workers), all on",
        "loopback ports; command: `make prod-check` (`python -m minqing.ops.prodcheck`).",
        "",
        f"- `check --deploy`: {summary.get('check_deploy', '')}",
        f"- timings (s): {summary.get('timings', {})}",
        f"- smoke: {summary.get('smoke', {})}",
        f"- /metrics after the load: {'; '.join(summary.get('metrics_after', []))}",
        "",
        "## Faults during the load",
        "",
    ]
    lines += [f"- {f['t']} s: {f['fault']}" for f in summary.get("faults", [])]
    lines += [
        "",
        "## Submissions (acknowledged = a 2xx answer with a tracking code, or a 202 with the token of a "
        "queued registration, whose tracking code is the one it was registered with)",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in (result.get("submissions") or {}).items()]
    lines += ["", "## Jobs (queued against run)", ""]
    lines += [f"- {k}: {v}" for k, v in (result.get("jobs") or {}).items()]
    lines += ["", "## Answers during the load (kind status: count)", ""]
    lines += [f"- {k}: {v}" for k, v in (summary.get("answers") or {}).items()]
    lines += ["", "## Latency during the load (faults included)", ""]
    lines += [
        f"- {k}: n={v['n']}, p50 {v['p50_ms']:.0f} ms, p99 {v['p99_ms']:.0f} ms"
        for k, v in (summary.get("latency") or {}).items()
    ]
    lines += _ingestion(summary.get("ingestion"))
    (RESULTS / "prod_check.md").write_text("\n".join(lines) + "\n")
    return ok


def _ingestion(ingest: dict[str, Any] | None) -> list[str]:
    if not ingest:
        return []
    lines = [
        "",
        "## Ingestion: submissions at fixed rates (after the fault test, on the same stack)",
        "",
        "Open loop (`minqing/ops/prodcheck/ingest.py`): half API POSTs, half residents' forms (page + POST);",
        "latency from each submission's scheduled start; the ladder stops after the first rate that misses",
        f"(p99 ≥ {ingest['p99_limit_ms']:.0f} ms or an answer that is not 2xx).",
        "30,000 problems a day is 0.35/s; a peak hour at 10x is 3.5/s.",
        "",
        f"**Sustained: {ingest['sustained_per_s']} submissions/s with p99 < {ingest['p99_limit_ms']:.0f} ms "
        f"({ingest['sustained_per_day']:,} a day); the 10x peak hour (3.5/s): "
        f"{'held' if ingest['peak_hour_10x_passed'] else 'NOT held'}.**",
        "",
        "| offered /s | submissions | 2xx | achieved /s | p50 ms | p99 ms | max ms | answers | started late "
        "| passed |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for st in ingest["steps"]:
        answers = ", ".join(f"{k}: {v}" for k, v in st["statuses"].items())
        lines.append(
            f"| {st['offered_per_s']} | {st['submissions']} | {st['answered_2xx']} | {st['achieved_per_s']} "
            f"| {st['p50_ms']} | {st['p99_ms']} | {st['max_ms']} | {answers} | {st['started_late']} "
            f"| {'✅' if st['passed'] else '❌'} |"
        )
    return lines
