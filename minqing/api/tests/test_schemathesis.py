"""schemathesis over the OpenAPI document (issue 12), a fast subset for CI: every operation, a
few generated examples each, with the personal tokens of two roles (township A's office and its
unit staff). No answer may be a server error, have a status the document does not declare, or
contradict the declared schema. The recorded run with more examples:
``benchmarks/api_schemathesis.py`` (``benchmarks/results/api_schemathesis.md``)."""

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from django.db import transaction

from minqing.api.tests.api_world import path_values, persona_keys, values_for
from minqing.api.tests.schemathesis_run import RunReport, run
from minqing.core.tests.permission_world import make_matrix_world

EXAMPLES = 4


@pytest.fixture(scope="module")
def report(django_db_setup: Any, django_db_blocker: Any) -> Iterator[RunReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_matrix_world()
        keys = persona_keys(world)
        tokens = {name: keys[name] or "" for name in ("user_office", "user_unit_staff")}
        yield run(tokens, examples=EXAMPLES, path_values=partial(values_for, path_values(world)))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_operation_is_exercised(report: RunReport) -> None:
    from minqing.api.v1 import api

    operations = sum(len(ops) for ops in api.get_openapi_schema()["paths"].values())
    assert report.operations == operations
    assert report.examples >= operations * 2


@pytest.mark.django_db
def test_no_server_error_and_no_answer_contradicts_the_schema(report: RunReport) -> None:
    found = [
        f"{f.operation} as {f.persona} → {f.status}: {f.message}\n    {f.request}"
        for f in report.distinct().values()
    ]
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)
