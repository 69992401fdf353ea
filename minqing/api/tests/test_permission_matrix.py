"""The permission matrix of the REST API (issue 12): every operation of the OpenAPI document,
called by every persona of ``api_world`` (each role on township A by a personal token and by an
application key, the same roles by applications of township B for whom the world's records are
outside the subtree, township B's staff, a user with no role, a revoked key and no key), answers
as ``EXPECTED`` declares; an operation without a row fails ``test_every_operation_has_a_row``.

Lists answer 200 to everyone signed in: for them the cell says whether the world's record is
among the items (``SEES``) or not (``BLIND``). A refused POST (and any POST by a persona who is not
declared a writer) must leave the database as it was, checked inside a rolled-back savepoint
with the snapshot of the page matrix (``minqing.core.tests.test_permission_matrix``).
"""

import json
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from django.db import transaction
from django.test import Client

from minqing.api.tests.api_world import PREFIX, headers, path_values, persona_keys, values_for
from minqing.core.tests.permission_world import AS_OF, ROLES, SYS, MatrixWorld, make_matrix_world
from minqing.core.tests.test_permission_matrix import snapshot
from minqing.ledger.enums import Channel
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import feedback_submit
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.models import Person

SEES, BLIND = "sees", "blind"  # a list's 200: with or without the world's record

USERS = tuple(f"user_{r}" for r in ROLES)
APPS = tuple(f"app_{r}" for r in ROLES)
OUTSIDE = tuple(f"out_{r}" for r in ROLES)
PERSONAS = ("anon", "revoked", "user_norole", "user_other", *USERS, *APPS, *OUTSIDE)
INSIDE = USERS + APPS  # a role on township A, where the world's records are


def operations() -> list[tuple[str, str]]:
    from minqing.api.v1 import api

    return [
        (method.upper(), path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops
    ]


# --- what a call sends -----------------------------------------------------------------------


def _problem_bodies(w: MatrixWorld) -> dict[str, dict[str, Any]]:
    town_a = w.u["town_a"].code
    return {
        "assign": {"unit_code": town_a, "note": "请办理"},
        "accept": {},
        "return": {"note": "不属本单位"},
        "claim": {"must_solve": True},
        "start": {},
        "request_extension": {"days": 3, "reason": "需协调"},
        "grant_extension": {"note": "同意"},
        "deny_extension": {},
        "resolve": {"resolution_kind": "rectified", "measures": "已更换灯泡"},
        "close": {},
        "callback": {"satisfaction": "satisfied"},
        "reopen": {"note": "群众不满意"},
        "merge": {"into": w.problem.number},
        "note": {"note": "处理中"},
    }


# the steps (as the system) that bring the world's problem to a state where the action applies,
# so that a persona's answer is about its role and subtree, not the state
_ASSIGNED: list[tuple[str, dict[str, Any]]] = [("assign", {})]
_ACCEPTED = [*_ASSIGNED, ("accept", {})]
_PENDING = [*_ACCEPTED, ("request_extension", {"days": 3, "reason": "需协调"})]
_RECTIFYING = [*_ACCEPTED, ("start", {})]
_RESOLVED = [*_RECTIFYING, ("resolve", {"resolution_kind": "rectified", "measures": "已修好"})]
PREPARE: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "accept": _ASSIGNED,
    "return": _ASSIGNED,
    "claim": _ASSIGNED,
    "start": _ACCEPTED,
    "request_extension": _ACCEPTED,
    "grant_extension": _PENDING,
    "deny_extension": _PENDING,
    "resolve": _RECTIFYING,
    "close": _RESOLVED,
    "callback": _RESOLVED,
    "reopen": _RESOLVED,
}


def prepare(w: MatrixWorld, method: str, path: str) -> dict[str, Any]:
    """Bring the world to where the call applies (inside the cell's savepoint); answers body
    fields to override."""
    route = path.removeprefix(PREFIX)
    if not route.startswith("/problems/{number}/") or method != "POST":
        return {}
    action = route.rsplit("/", 1)[1]
    for step, params in PREPARE.get(action, []):
        if step == "assign":
            params = {"responsible_unit": w.u["town_a"]}  # the accused unit is township A
        # an extension is asked for by a person of the responsible unit
        actor = w.users["unit_staff"] if step == "request_extension" else SYS
        problem = Problem.objects.get(pk=w.problem.pk)
        problem_transition(actor=actor, problem=problem, action=step, **params)
    if action == "claim":  # a leader claims as a person: the world's cadre is the leader user
        Person.objects.filter(pk=w.person.pk).update(user=w.users["leader"])
    if action == "merge":  # into another open problem of the same village
        other = feedback_submit(
            actor=SYS, channel=Channel.ONLINE, title="路灯", content="同一路灯", unit=w.u["village_a"]
        ).problem
        assert other is not None
        return {"into": other.number}
    return {}


QUERIES: dict[str, Callable[[MatrixWorld], dict[str, str]]] = {
    # the query parameters a list needs (its unit), and the bulletin's date
    "/people/": lambda w: {"unit": w.u["town_a"].code},
    "/households/": lambda w: {"unit": w.u["town_a"].code},
    "/research/": lambda w: {"unit": w.u["town_a"].code},
    "/visits/": lambda w: {"unit": w.u["town_a"].code},
    "/supervision/inspections": lambda w: {"unit": w.u["town_a"].code},
    "/reports/bulletin": lambda w: {
        "unit": w.u["town_a"].code,
        "as_of": AS_OF.isoformat(),
        "campaign": str(w.campaign.pk),
    },
    "/reports/dashboard": lambda w: {"unit": w.u["town_a"].code},
}


def body_for(w: MatrixWorld, method: str, path: str) -> dict[str, Any]:
    """A valid body for every POST (so that an allowed persona is answered 2xx or a state's 409,
    and a refusal is about the persona, not the input)."""
    u = w.u
    route = path.removeprefix(PREFIX)
    if route.startswith("/problems/{number}/"):
        return _problem_bodies(w)[route.rsplit("/", 1)[1]]
    bodies: dict[str, Callable[[], dict[str, Any]]] = {
        "/activities/": lambda: {
            "type": "reading_class",
            "organiser": u["village_a"].code,
            "title": "夜校",
            "start": "2019-11-01T19:00:00+08:00",
        },
        "/activities/{number}/check-in": lambda: {"number": w.person.number},
        "/research/": lambda: {"title": "新课题", "unit": u["village_a"].code, "leader": w.person.number},
        "/research/{pk}/interviews": lambda: {"date": "2019-10-02", "person_times": 7},
        "/research/{pk}/reports": lambda: {"title": "调研报告", "submitted_on": "2019-10-05"},
        "/visits/": lambda: {"cadre": w.person.number, "date": "2019-10-03", "household": w.household.pk},
        "/problems/": lambda: {
            "title": "井盖丢失",
            "content": "路口井盖丢了",
            "unit_code": u["village_a"].code,
            "channel": "call",
            "reporter": {"name": "赵先生", "phone": "13900002222"},
        },
        "/supervision/inspections": lambda: {
            "group": w.group.pk,
            "unit": u["town_a"].code,
            "date": "2019-10-20",
            "kind": "records_check",
            "checked_minutes": True,
            "findings": [{"text": "会议记录不全"}],
        },
        "/programmes/{pk}/reports": lambda: {
            "target": w.target.key,
            "unit": u["town_a"].code,
            "date": "2019-04-01",
            "in_progress": "1",
            "completed": "1",
        },
    }
    return bodies[route]()


# --- the expected answers --------------------------------------------------------------------


def row(inside: int | str, outside: int | str, **overrides: int | str) -> dict[str, int | str]:
    """No key or a revoked one: 401; a role on township A: ``inside``; everyone else signed in
    (no role, township B's staff, township B's applications): ``outside``; then ``overrides``."""
    cells: dict[str, int | str] = {"anon": 401, "revoked": 401}
    cells |= {p: inside for p in INSIDE}
    cells |= {p: outside for p in ("user_norole", "user_other", *OUTSIDE)}
    return cells | overrides


def roles(yes: int | str, no: int | str, *names: str, outside: int | str = 404) -> dict[str, int | str]:
    """Inside township A: ``yes`` for the roles ``names`` (by a person or an application), ``no``
    for the other roles; everyone else signed in: ``outside`` (a record outside the subtree is
    never confirmed: 404)."""
    cells = row(no, outside)
    return cells | {f"{kind}_{name}": yes for kind in ("user", "app") for name in names}


READ = row(200, 404)  # a record of township A's subtree
LIST = row(SEES, BLIND)  # a list: the world's record among the items inside only
UNIT_LIST = row(SEES, 404)  # a list filtered by township A (required): 404 outside it
# the campaign and the guidance group belong to the county and cover townships A and B
COUNTY_LIST = row(SEES, SEES, user_norole=BLIND)
COUNTY_READ = row(200, 200, user_norole=404)
HANDLERS = ("office", "unit_staff")  # policy.UNIT_WRITERS held on township A
DISPATCHERS = ("office", "intake")

P = PREFIX
EXPECTED: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", f"{P}/units/"): LIST,
    ("GET", f"{P}/units/{{code}}"): READ,
    ("GET", f"{P}/units/{{code}}/counts"): READ,
    ("GET", f"{P}/people/"): UNIT_LIST,
    ("GET", f"{P}/people/{{number}}"): READ,
    # orgs.selectors.can_reveal: the office, unit staff and leaders; the others are refused
    ("GET", f"{P}/people/{{number}}/reveal"): roles(200, 403, "office", "unit_staff", "leader"),
    ("GET", f"{P}/households/"): UNIT_LIST,
    ("GET", f"{P}/households/{{pk}}"): READ,
    ("GET", f"{P}/campaigns/"): COUNTY_LIST,
    ("GET", f"{P}/campaigns/{{pk}}"): COUNTY_READ,
    ("GET", f"{P}/activities/"): LIST,
    # the organiser must be a unit where the caller may write: no writer role there is a 404
    ("POST", f"{P}/activities/"): roles(201, 404, *HANDLERS),
    ("GET", f"{P}/activities/{{number}}"): READ,
    ("GET", f"{P}/activities/{{number}}/attendance"): READ,
    ("POST", f"{P}/activities/{{number}}/check-in"): roles(200, 403, *HANDLERS),
    ("GET", f"{P}/research/"): UNIT_LIST,
    ("POST", f"{P}/research/"): roles(201, 403, *HANDLERS),
    ("GET", f"{P}/research/{{pk}}"): READ,
    ("POST", f"{P}/research/{{pk}}/interviews"): roles(201, 403, *HANDLERS),
    ("POST", f"{P}/research/{{pk}}/reports"): roles(201, 403, *HANDLERS),
    ("GET", f"{P}/visits/"): UNIT_LIST,
    ("POST", f"{P}/visits/"): roles(201, 403, *HANDLERS),
    ("GET", f"{P}/visits/{{pk}}"): READ,
    ("GET", f"{P}/problems/"): LIST,
    # registering: a role that may never register is refused (403); one that may, but not for a
    # unit outside its subtree, is answered 404
    ("POST", f"{P}/problems/"): roles(201, 403, "office", "unit_staff", "intake")
    | {"user_norole": 403, "out_leader": 403, "out_inspector": 403, "out_viewer": 403},
    # a queued registration's state: its sender only (township A's intake application)
    ("GET", f"{P}/problems/queued/{{token}}"): row(404, 404, app_intake=200),
    ("GET", f"{P}/problems/{{number}}"): READ,
    ("GET", f"{P}/problems/{{number}}/events"): READ,
    # policy.REPORTER_READERS, not accused here (the problem concerns a village below them)
    ("GET", f"{P}/problems/{{number}}/reporter"): roles(200, 404, *DISPATCHERS),
    ("POST", f"{P}/problems/{{number}}/assign"): roles(200, 403, *DISPATCHERS),
    ("POST", f"{P}/problems/{{number}}/accept"): roles(200, 403, *HANDLERS),
    ("POST", f"{P}/problems/{{number}}/return"): roles(200, 403, *HANDLERS),
    # a leader claims as a person (an application has no person: 400, field leader)
    ("POST", f"{P}/problems/{{number}}/claim"): roles(200, 403, "leader") | {"app_leader": 400},
    ("POST", f"{P}/problems/{{number}}/start"): roles(200, 403, *HANDLERS),
    # an extension is asked for by a person of the responsible unit, not by an application
    ("POST", f"{P}/problems/{{number}}/request_extension"): roles(200, 403, *HANDLERS)
    | {"app_office": 400, "app_unit_staff": 400},
    ("POST", f"{P}/problems/{{number}}/grant_extension"): roles(200, 403, "office", "leader"),
    ("POST", f"{P}/problems/{{number}}/deny_extension"): roles(200, 403, "office", "leader"),
    ("POST", f"{P}/problems/{{number}}/resolve"): roles(200, 403, *HANDLERS),
    ("POST", f"{P}/problems/{{number}}/close"): roles(200, 403, "office"),
    ("POST", f"{P}/problems/{{number}}/callback"): roles(200, 403, *DISPATCHERS),
    ("POST", f"{P}/problems/{{number}}/reopen"): roles(200, 403, *DISPATCHERS),
    ("POST", f"{P}/problems/{{number}}/merge"): roles(200, 403, *DISPATCHERS),
    ("POST", f"{P}/problems/{{number}}/note"): roles(
        200, 403, "office", "unit_staff", "leader", "inspector", "intake"
    ),
    ("GET", f"{P}/supervision/groups"): COUNTY_LIST,
    ("GET", f"{P}/supervision/groups/{{pk}}"): COUNTY_READ,
    ("GET", f"{P}/supervision/inspections"): UNIT_LIST,
    ("POST", f"{P}/supervision/inspections"): roles(201, 403, "office", "inspector"),
    ("GET", f"{P}/supervision/inspections/{{pk}}"): READ,
    ("GET", f"{P}/programmes/"): LIST,
    ("GET", f"{P}/programmes/{{pk}}"): READ,
    ("GET", f"{P}/programmes/{{pk}}/targets"): READ,
    ("GET", f"{P}/programmes/{{pk}}/targets/{{key}}"): READ,
    ("GET", f"{P}/programmes/{{pk}}/progress"): READ,
    ("GET", f"{P}/programmes/{{pk}}/targets/{{key}}/plans"): READ,
    ("GET", f"{P}/programmes/{{pk}}/reports"): READ,
    ("POST", f"{P}/programmes/{{pk}}/reports"): roles(201, 403, *HANDLERS),
    ("GET", f"{P}/catalogues/powers"): LIST,
    ("GET", f"{P}/catalogues/powers/{{pk}}"): READ,
    ("GET", f"{P}/catalogues/reforms"): LIST,
    ("GET", f"{P}/catalogues/reforms/{{pk}}"): READ,
    ("GET", f"{P}/catalogues/commendations"): LIST,
    ("GET", f"{P}/catalogues/commendations/{{pk}}"): READ,
    ("GET", f"{P}/reports/bulletin"): READ,
    ("GET", f"{P}/reports/dashboard"): READ,
}


def test_every_operation_has_a_row() -> None:
    missing = [f"{m} {p}" for m, p in operations() if (m, p) not in EXPECTED]
    assert not missing, "operations without a row in EXPECTED: " + ", ".join(missing)


def test_every_row_is_an_operation() -> None:
    assert not set(EXPECTED) - set(operations())


def test_rows_declare_every_persona() -> None:
    for op, cells in EXPECTED.items():
        assert set(cells) == set(PERSONAS), op


# --- the cells -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[MatrixWorld, dict[str, Any]]]:
    with django_db_blocker.unblock(), transaction.atomic():
        w = make_matrix_world()
        yield w, persona_keys(w)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_rate_limit(settings: Any) -> None:
    settings.MINQING_API_RATE_LIMIT = 0


MARKERS: dict[str, tuple[str, Callable[[MatrixWorld], Any]]] = {
    # the field and value that identify the world's record among a list's items
    "/units/": ("code", lambda w: w.u["town_a"].code),
    "/people/": ("number", lambda w: w.person.number),
    "/households/": ("number", lambda w: w.household.number),
    "/campaigns/": ("id", lambda w: w.campaign.pk),
    "/activities/": ("number", lambda w: w.activity.number),
    "/research/": ("id", lambda w: w.topic.pk),
    "/visits/": ("id", lambda w: w.visit.pk),
    "/problems/": ("number", lambda w: w.problem.number),
    "/supervision/groups": ("id", lambda w: w.group.pk),
    "/supervision/inspections": ("id", lambda w: w.inspection.pk),
    "/programmes/": ("id", lambda w: w.programme.pk),
    "/catalogues/powers": ("id", lambda w: w.power.pk),
    "/catalogues/reforms": ("id", lambda w: w.reform.pk),
    "/catalogues/commendations": ("id", lambda w: w.commendation.pk),
}


def accuse_township_a(w: MatrixWorld, assign: bool) -> None:
    """Make township A the accused: the world's problem and its feedback concern township A (as
    if filed against it; ``ledger.access`` reads these fields), and it is assigned to it."""
    from minqing.ledger.models import Feedback

    town_a = w.u["town_a"]
    Problem.objects.filter(pk=w.problem.pk).update(unit=town_a, path=town_a.path)
    Feedback.objects.filter(problem=w.problem).update(unit=town_a)
    if assign:
        problem = Problem.objects.get(pk=w.problem.pk)
        problem_transition(actor=SYS, problem=problem, action="assign", responsible_unit=town_a)


def call(
    w: MatrixWorld, secret: str | None, method: str, path: str, accused: bool = False
) -> tuple[Any, bool]:
    """The answer, and whether the database changed (inside a rolled-back savepoint); with
    ``accused``, township A is first made the accused unit (``accuse_township_a``)."""
    url = path.format(**values_for(path_values(w), path))
    client = Client()
    query = QUERIES.get(path.removeprefix(PREFIX), lambda w: {})(w)
    with transaction.atomic():
        action = path.rsplit("/", 1)[1]
        if accused:  # the call's own preparation assigns it, where it has one
            accuse_township_a(w, assign=not (method == "POST" and (action in PREPARE or action == "assign")))
        if method == "GET":
            response, changed = client.get(url, query, headers=headers(secret)), False
        else:
            body = body_for(w, method, path) | prepare(w, method, path)
            before = snapshot()
            response = client.post(url, body, content_type="application/json", headers=headers(secret))
            changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed


def answer_of(w: MatrixWorld, path: str, response: Any) -> int | str:
    route = path.removeprefix(PREFIX)
    if response.status_code == 200 and route in MARKERS:
        key, value = MARKERS[route]
        items = response.json()["items"]
        return SEES if any(item.get(key) == value(w) for item in items) else BLIND
    return int(response.status_code)


CELLS = [
    pytest.param(method, path, persona, id=f"{method} {path.removeprefix(PREFIX)} {persona}")
    for method, path in operations()
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "persona"), CELLS)
def test_cell(world: tuple[MatrixWorld, dict[str, Any]], method: str, path: str, persona: str) -> None:
    w, keys = world
    response, changed = call(w, keys[persona], method, path)
    got = answer_of(w, path, response)
    expected = EXPECTED.get((method, path), {}).get(persona)
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message_zh", "message_en", "field"}
    if method == "POST" and not (isinstance(got, int) and 200 <= got < 300):
        assert not changed, f"{method} {path} as {persona} ({got}) changed the database"
    assert got == expected, f"{method} {path} as {persona}: {got}, declared {expected}"


# --- the reporter is never shown to the accused unit -----------------------------------------


def secrets_of_the_reporter() -> list[str]:
    from minqing.orgs.masking import mask_phone

    # the world's reporter (make_matrix_world), and the one POST /problems/ sends (body_for)
    people = [("王大妈", "13900001111"), ("赵先生", "13900002222")]
    return [text for name, phone in people for text in (name, phone, mask_phone(phone))]


ACCUSED = INSIDE  # every role held on township A, by a person or by an application


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), operations(), ids=lambda v: str(v).removeprefix(PREFIX))
def test_no_endpoint_shows_the_reporter_to_the_accused_unit(
    world: tuple[MatrixWorld, dict[str, Any]], method: str, path: str
) -> None:
    """The world's problem is assigned to township A (the accused): no GET (parameters filled
    from the world) and no POST answer shows its reporter (name, phone, masked phone) to any
    persona of township A, nor the reporter of a problem township A registers itself; the
    county's office above it (a reporter reader, not accused) reads it, so the marks are real."""
    w, keys = world
    hidden = secrets_of_the_reporter()
    answered = []
    for persona in ACCUSED:
        response, _changed = call(w, keys[persona], method, path, accused=True)
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):  # "\\u738b…" read as 王…
            text += json.dumps(response.json(), ensure_ascii=False)
        shown = [s for s in hidden if s in text]
        assert not shown, f"{method} {path} shows {shown} to {persona} ({response.status_code})"
        answered.append(response.status_code)
    assert 401 not in answered  # every key signs in: the crawl reaches the endpoint


@pytest.mark.django_db
def test_the_reporter_is_shown_above_the_accused_unit(world: tuple[MatrixWorld, dict[str, Any]]) -> None:
    from django.contrib.auth.models import User

    from minqing.api.keys import personal_token_issue
    from minqing.orgs.enums import Role
    from minqing.orgs.tests.factories import UserFactory, grant

    w, _keys = world
    with transaction.atomic():
        county_office = cast(User, UserFactory(username="m_county_office"))
        grant(county_office, Role.OFFICE, w.u["county"])
        secret = personal_token_issue(actor=SYS, user=county_office, name="t").secret
        response, _ = call(w, secret, "GET", f"{PREFIX}/problems/{{number}}/reporter", accused=True)
        transaction.set_rollback(True)
    assert response.status_code == 200
    assert [(r["name"], r["phone"]) for r in response.json()] == [("王大妈", "13900001111")]
