"""schemathesis over the REST API's OpenAPI document (issue 12; ``results/api_schemathesis.md``).

``.venv/bin/python -m benchmarks.api_schemathesis [--examples 20]``

A fresh SQLite file, migrated; the permission matrix world (``make_matrix_world``: the test
tree, one record of every kind in township A's subtree) and the personal tokens of two roles on
township A: its office (``user_office``) and its unit staff (``user_unit_staff``). Every
operation of ``/api/v1/openapi.json`` is called in-process through the WSGI application with
``--examples`` generated cases per token (half of them with the world's identifiers in the path,
``minqing/api/tests/schemathesis_run.py``); every answer is checked with schemathesis's
``not_a_server_error``, ``status_code_conformance``, ``content_type_conformance`` and
``response_schema_conformance``. The fast subset in CI: ``minqing/api/tests/test_schemathesis.py``.
"""

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import env_for, header, machine, run, write_results

TOKENS = ("user_office", "user_unit_staff")


def _child(examples: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from minqing.api.tests.api_world import path_values, persona_keys, values_for
    from minqing.api.tests.schemathesis_run import run as st_run
    from minqing.core.tests.permission_world import make_matrix_world

    world = make_matrix_world()
    keys = persona_keys(world)
    tokens = {name: keys[name] or "" for name in TOKENS}
    started = time.perf_counter()
    report = st_run(tokens, examples=examples, path_values=partial(values_for, path_values(world)))
    seconds = time.perf_counter() - started
    return {
        "examples_per_operation_and_token": examples,
        "operations": report.operations,
        "calls": report.examples,
        "seconds": round(seconds, 1),
        "statuses": {str(k): v for k, v in sorted(report.statuses.items())},
        "failures": len(report.findings),
        "distinct": [
            {"operation": f.operation, "persona": f.persona, "status": f.status, "message": f.message}
            for f in report.distinct().values()
        ],
    }


def render(r: dict[str, Any]) -> str:
    x = r["results"]
    lines = header("schemathesis over the OpenAPI document", r)
    lines += [
        f"Tokens: personal tokens of township A's office and of its unit staff ({', '.join(TOKENS)}).  ",
        "Checks: not_a_server_error, status_code_conformance, content_type_conformance, "
        "response_schema_conformance.",
        "",
        "| operations | examples per operation and token | calls | failures | distinct | seconds |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {x['operations']} | {x['examples_per_operation_and_token']} | {x['calls']} | {x['failures']} "
        f"| {len(x['distinct'])} | {x['seconds']} |",
        "",
        "Statuses answered: " + ", ".join(f"{k}: {v}" for k, v in x["statuses"].items()),
        "",
    ]
    if x["distinct"]:
        lines += ["## Failures", ""]
        lines += [
            f"- `{d['operation']}` as {d['persona']} → {d['status']}: {d['message']}" for d in x["distinct"]
        ]
        lines.append("")
    lines += [
        "## Before the fixes",
        "",
        "With 4 examples per operation and token (504 calls), no server error. The first run: 38",
        "distinct failures, all undocumented statuses (the problem",
        "endpoints and `GET /units/{code}`, `/units/{code}/counts` declared only their 2xx; `GET",
        "/activities/` answered 400 to a bad cursor without declaring it). Once those were declared:",
        "2 undocumented content types (a negative id in `/programmes/{pk}/reports` and",
        "`/research/{pk}/reports` matched no route and answered Django's HTML 404). Fixed by declaring",
        "the API-wide error answers with `ErrorOut` on every operation (`minqing/api/v1.py`) and",
        "answering the envelope for any unknown path under `/api/` (`minqing.api.errors.not_found`,",
        "`config.urls.handler404`). The first run with 20 examples (2,520 calls): 2 failures, 1",
        "distinct, a server error: `GET /reports/dashboard` with a date near 0001-01-01 or",
        "9999-12-31 overflowed (OverflowError) and answered 500; it now answers 422 outside",
        "1900-01-01 – 2999-12-31 (`minqing/api/routers/reports.py`). The next: `GET",
        "/catalogues/commendations?year=…` with a year beyond 9999 answered 500; the parameter now",
        "has the page's bounds (1900–2999: 422 outside). On PostgreSQL (the CI subset): a NUL in a",
        "text parameter raised DataError (500); a DataError now answers 422. Regression tests in",
        "`minqing/api/tests/test_openapi_errors.py`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.examples), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp), MINQING_HUEY_IMMEDIATE="1")
        run([sys.executable, "-m", "minqing.cli", "migrate", "-v", "0"], env)
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.api_schemathesis",
            "--child",
            "--examples",
            str(args.examples),
        ]
        res = run(cmd, env)
        results = json.loads(res.stdout.strip().splitlines()[-1])
    result = {
        "command": f".venv/bin/python -m benchmarks.api_schemathesis --examples {args.examples}",
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "results": results,
    }
    write_results("api_schemathesis", result, render)
    if results["failures"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
