"""The permission matrix of Open311 (``/open311/v2/``, issue 12): every resource (URL pattern of
the ``open311`` namespace) and method, called with no key, a revoked key, a key without the
``open311`` scope, and the keys of applications of township A (where the world's problem is)
and of township B (outside it), answers as ``EXPECTED`` declares; a resource without a row
fails. A refused POST changes nothing; no answer shows the world's reporter (name, phone) to
anyone (Open311 shows requests, never who made them)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from minqing.api.keys import application_create, application_key_issue
from minqing.api.scopes import Scope
from minqing.api.tests.api_world import persona_keys
from minqing.core.tests.permission_world import SYS, MatrixWorld, make_matrix_world
from minqing.core.tests.test_permission_matrix import snapshot, url_patterns
from minqing.ledger.models import Category
from minqing.open311.tests.helpers import taxonomy
from minqing.orgs.enums import Role

PERSONAS = (
    "anon",
    "revoked",
    "noscope",
    "app_intake",
    "app_office",
    "app_viewer",
    "out_intake",
    "out_office",
    "out_viewer",
)
REFUSED = 403  # the spec's status for a missing or bad api_key


def all_(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


# (url name, method) -> persona -> status
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # discovery and the service catalogue are public and read no key at all
    ("open311:discovery", "GET"): all_(200),
    ("open311:services", "GET"): all_(200),
    ("open311:service", "GET"): all_(200),
    # public reads that take a key: a bad one, or one without the scope, is refused
    ("open311:requests", "GET"): all_(200) | {"revoked": REFUSED, "noscope": REFUSED},
    # a keyed caller reads within its application's subtree: outside it, 404 (as the REST API)
    ("open311:request", "GET"): all_(404)
    | {"anon": 200, "app_intake": 200, "app_office": 200}
    | {"app_viewer": 200, "revoked": REFUSED, "noscope": REFUSED},
    ("open311:token", "GET"): all_(404),
    ("open311:updates", "GET"): all_(200) | {"revoked": REFUSED, "noscope": REFUSED},
    # registering needs a role that registers, in the jurisdiction's subtree (else 403)
    ("open311:requests", "POST"): all_(REFUSED) | {"app_intake": 200, "app_office": 200},
    # an update needs a handling role; a request outside the application's subtree is 404
    ("open311:updates", "POST"): all_(REFUSED)
    | {"app_intake": 200, "app_office": 200, "out_intake": 404, "out_office": 404, "out_viewer": 404},
}


def test_every_open311_resource_has_a_row() -> None:
    names = {name for name, _route in url_patterns() if name.startswith("open311:")}
    assert names == {name for name, _method in EXPECTED}


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[MatrixWorld, dict[str, Any]]]:
    with django_db_blocker.unblock(), transaction.atomic():
        w = make_matrix_world()
        keys = persona_keys(w)
        app = application_create(
            actor=SYS, name="no-open311", unit=w.u["town_a"], roles=[Role.INTAKE], scopes=[Scope.READ]
        )
        keys["noscope"] = application_key_issue(actor=SYS, application=app, name="k").secret
        w.extra["category"] = taxonomy()["pothole"]
        yield w, keys
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_rate_limit(settings: Any) -> None:
    settings.MINQING_API_RATE_LIMIT = 0  # the limiter's own rows are not a change of the data


def _kwargs(w: MatrixWorld, name: str) -> dict[str, str]:
    category: Category = w.extra["category"]
    return {
        "open311:service": {"code": str(category.pk)},
        "open311:request": {"service_request_id": w.problem.number},
        "open311:token": {"token": "NO-SUCH-TOKEN"},
    }.get(name, {}) | {"fmt": "json"}


def _params(w: MatrixWorld, name: str, method: str, key: str | None) -> dict[str, str]:
    params = {"jurisdiction_id": w.u["town_a"].code}
    if key:
        params["api_key"] = key
    if (name, method) == ("open311:requests", "POST"):
        params |= {
            "service_code": str(w.extra["category"].pk),
            "description": "路面坑洼",
            "address_string": "村口",
            "first_name": "赵",
            "phone": "13900002222",
        }
    if (name, method) == ("open311:updates", "POST"):
        params |= {
            "service_request_id": w.problem.number,
            "update_id": "u-1",
            "status": "open",
            "updated_datetime": "2019-10-01T09:00:00+08:00",
            "description": "已受理",
        }
    return params


CELLS = [
    pytest.param(name, method, persona, id=f"{method} {name} {persona}")
    for name, method in EXPECTED
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "persona"), CELLS)
def test_cell(world: tuple[MatrixWorld, dict[str, Any]], name: str, method: str, persona: str) -> None:
    w, keys = world
    url = reverse(name, kwargs=_kwargs(w, name))
    params = _params(w, name, method, keys.get(persona))
    with transaction.atomic():
        before = snapshot()
        response = Client().get(url, params) if method == "GET" else Client().post(url, params)
        changed = snapshot() != before
        transaction.set_rollback(True)
    text = response.content.decode()
    assert "王大妈" not in text and "13900001111" not in text
    if not 200 <= response.status_code < 300:
        assert not changed, f"{method} {name} as {persona} ({response.status_code}) changed the database"
    expected = EXPECTED[(name, method)][persona]
    assert response.status_code == expected, (
        f"{method} {name} as {persona}: {response.status_code}: {text[:300]}"
    )
