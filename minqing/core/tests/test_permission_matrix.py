"""The permission matrix: every URL pattern of the project, visited by every persona, answers as
``permission_table`` declares; a pattern without a row fails ``test_every_url_pattern_has_a_row``.

One world for the module (``permission_world``), built once; every request runs in a savepoint
that is rolled back, so an allowed write in one cell never changes another cell's answer. A
POST by a persona not in its row's ``writes`` (every refused one: 403, 404, 405 or a redirect to
the login page) must also leave the database as it was, which is checked inside that savepoint.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from minqing.core.models import AuditEvent
from minqing.core.tests.permission_table import EXCLUDED_NAMESPACES, LOGIN, ROWS, Row
from minqing.core.tests.permission_world import PERSONAS, MatrixWorld, make_matrix_world
from minqing.reports.tests.test_bulletin_world import register_test_metrics

REFUSED = {403, 404, 405, LOGIN}


def url_patterns(
    resolver: URLResolver | None = None, ns: str = "", route: str = ""
) -> Iterator[tuple[str, str]]:
    """(name, route) of every pattern, names with their namespaces (``ledger:detail``)."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from url_patterns(p, inner, route + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield f"{ns}{p.name or ''}", route + str(p.pattern)


def test_every_url_pattern_has_a_row() -> None:
    rows = {r.name for r in ROWS}
    missing = [
        f"{name or '(unnamed)'} ({route})"
        for name, route in url_patterns()
        if name not in rows and name.split(":")[0] not in EXCLUDED_NAMESPACES
    ]
    assert not missing, "URL patterns without a row in permission_table.ROWS: " + ", ".join(missing)


def test_every_row_is_a_url_pattern() -> None:
    names = {name for name, _ in url_patterns()}
    assert not [r.name for r in ROWS if r.name not in names], "rows for no URL pattern"


def test_rows_declare_every_persona() -> None:
    for r in ROWS:
        for answers in (r.get, r.post):
            assert answers is None or set(answers) == set(PERSONAS), r.name


# --- the cells -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    from minqing.reports.metrics import registry

    saved = dict(registry.METRICS)
    mp = pytest.MonkeyPatch()
    mp.setattr(registry, "MODULES", ())
    registry.METRICS.clear()
    register_test_metrics()  # the bulletin pages render the test metrics, not the real ones
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_matrix_world()
        transaction.set_rollback(True)
    registry.METRICS.clear()
    registry.METRICS.update(saved)
    mp.undo()


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot() -> tuple[Any, ...]:
    """Counts and versions a refused POST must leave as they were."""
    from django.apps import apps

    models = [m for m in apps.get_models() if m._meta.app_label != "sessions" and m is not AuditEvent]
    counts = tuple(m._default_manager.count() for m in models)
    from minqing.ledger.models import Notification, Problem

    return (
        counts,
        list(Problem.objects.values_list("pk", "version", "state")),
        list(Notification.objects.values_list("pk", "read_at")),
        # a refusal (403) and a logout are audited: not a change of the data
        AuditEvent.objects.exclude(
            action__in=[AuditEvent.Action.ACCESS_DENIED, AuditEvent.Action.LOGOUT]
        ).count(),
    )


def answer(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return LOGIN
    return int(response.status_code)


def visit(world: MatrixWorld, row: Row, persona: str, method: str) -> tuple[int | str, bool]:
    """The persona's answer and whether the database changed (inside a rolled-back savepoint)."""
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    with transaction.atomic():
        if method == "GET":
            response, changed = client.get(url), False  # reads are not checked here (issue 11, item 4)
        else:
            before = snapshot()
            response = client.post(url, row.data(world) if row.data else {})
            changed = snapshot() != before
        transaction.set_rollback(True)
    return answer(response), changed


CELLS = [
    pytest.param(row, persona, method, id=f"{row.name}-{method}-{persona}")
    for row in ROWS
    for method, answers in (("GET", row.get), ("POST", row.post))
    if answers is not None
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona", "method"), CELLS)
def test_cell(world: MatrixWorld, row: Row, persona: str, method: str) -> None:
    answers = row.get if method == "GET" else row.post
    assert answers is not None
    expected = answers[persona]
    got, changed = visit(world, row, persona, method)
    assert got == expected, f"{method} {row.name} as {persona}: {got}, declared {expected}"
    if method == "POST" and persona not in row.writes:
        assert not changed, f"POST {row.name} as {persona} ({got}) changed the database"
    if method == "POST" and expected in REFUSED:
        assert persona not in row.writes, f"{row.name}: a refused POST declared as a write"
