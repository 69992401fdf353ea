"""schemathesis over the OpenAPI document of ``/api/v1/`` (no tests here): every operation,
called in-process through the WSGI application with the tokens of the personas given, each
answer checked for a server error, an undeclared status, a wrong content type and a body that
contradicts the response schema.

Half the examples of an operation with path parameters keep the generated values (mostly
unknown records: the 404 and 422 answers are checked); the other half take the identifiers of
records of the world (``path_values``: the values for a path template of the OpenAPI
document), so the 200 answers are checked too.

Used by ``test_schemathesis.py`` (a few examples per operation, in CI) and by
``benchmarks/api_schemathesis.py`` (the recorded run).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPENAPI = "/api/v1/openapi.json"


@dataclass
class Finding:
    operation: str
    persona: str
    status: int
    message: str
    request: str


@dataclass
class RunReport:
    operations: int = 0
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    def distinct(self) -> dict[tuple[str, str], Finding]:
        """One finding per operation and first line of its message."""
        out: dict[tuple[str, str], Finding] = {}
        for f in self.findings:
            out.setdefault((f.operation, f.message.splitlines()[0] if f.message else ""), f)
        return out


def _first_lines(error: BaseException) -> str:
    parts = [str(e) for e in getattr(error, "exceptions", [])] or [str(error)]
    return "\n".join(" ".join(p.split())[:300] for p in parts)


def run(
    tokens: dict[str, str],
    *,
    examples: int,
    path_values: Callable[[str], dict[str, str]] | None = None,
    select: Callable[[str], bool] | None = None,
) -> RunReport:
    """Call every operation with ``examples`` generated cases per persona token."""
    report = RunReport()
    values = path_values or (lambda template: {})
    # as Django's test client does: a request must not close the connection (in the test's
    # transaction autocommit is off, which close_old_connections takes for an unusable connection)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(OPENAPI, get_wsgi_application())
        _run_all(schema, tokens, examples, values, select, report)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return report


def _run_all(
    schema: Any,
    tokens: dict[str, str],
    examples: int,
    values: Callable[[str], dict[str, str]],
    select: Callable[[str], bool] | None,
    report: RunReport,
) -> None:
    with override_settings(MINQING_API_RATE_LIMIT=0):
        for result in schema.get_all_operations():
            operation = result.ok()
            if select is not None and not select(operation.label):
                continue
            report.operations += 1
            for persona, secret in tokens.items():
                _run_operation(operation, persona, secret, examples, values, report)


def _run_operation(
    operation: Any,
    persona: str,
    secret: str,
    examples: int,
    path_values: Callable[[str], dict[str, str]],
    report: RunReport,
) -> None:
    values = path_values(operation.path)
    headers = {"Authorization": f"Bearer {secret}"}

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(), known=st.booleans())
    def one(case: Any, known: bool) -> None:
        if known and case.path_parameters:
            for name in case.path_parameters:
                if name in values:
                    case.path_parameters[name] = values[name]
        with transaction.atomic():  # each call in a savepoint: the world stays as it was
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        report.examples += 1
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as error:
            report.findings.append(
                Finding(
                    operation=operation.label,
                    persona=persona,
                    status=response.status_code,
                    message=_first_lines(error),
                    request=f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"[
                        :400
                    ],
                )
            )

    one()
