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
    lines += ["", "## Submissions (acknowledged = a 2xx answer with a tracking code)", ""]
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
    (RESULTS / "prod_check.md").write_text("\n".join(lines) + "\n")
    return ok
