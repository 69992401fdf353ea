"""What schemathesis found (issue 12; ``test_schemathesis.py``), each fixed and kept fixed: every
operation declares the API-wide error answers with the ``ErrorOut`` envelope, and a path under
``/api/`` that matches no route answers the envelope, not an HTML page."""

from typing import Any

import pytest

from minqing.api.v1 import COMMON_ERRORS, POST_ERRORS, api

ENVELOPE = {"code", "message_zh", "message_en", "field"}


def test_every_operation_declares_the_error_answers_with_the_envelope() -> None:
    schema = api.get_openapi_schema()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == ENVELOPE
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = {str(status) for status in operation["responses"]}
            wanted = COMMON_ERRORS + (POST_ERRORS if method == "post" else ())
            assert {str(s) for s in wanted} <= declared, f"{method} {path}"
    # an operation's own declarations are kept, not replaced
    units = schema["paths"]["/api/v1/units/{code}"]["get"]["responses"]
    assert str(units[404]["content"]["application/json"]["schema"]["$ref"]).endswith("/ErrorOut")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/programmes/-667/reports"), ("get", "/api/v1/research/-1"), ("get", "/api/v1/nope")],
)
def test_a_path_matching_no_route_answers_the_envelope(client: Any, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == ENVELOPE and response.json()["code"] == "NOT_FOUND"


@pytest.mark.django_db
def test_a_page_path_matching_no_route_is_still_a_page(client: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [({"start": "0001-01-01"}, "start"), ({"end": "9999-12-31"}, "end"), ({"start": "1899-12-31"}, "start")],
)
def test_the_dashboard_refuses_dates_out_of_range_instead_of_a_server_error(
    user_client: Any, tree: Any, query: dict[str, str], field: str
) -> None:
    from minqing.orgs.enums import Role

    api = user_client(Role.OFFICE, "town_a")
    response = api.get("/api/v1/reports/dashboard", unit=tree["town_a"].code, **query)
    assert response.status_code == 422, response.content
    assert set(response.json()) == ENVELOPE and response.json()["field"] == field
    fine = api.get(
        "/api/v1/reports/dashboard", unit=tree["town_a"].code, start="1900-01-01", end="2999-12-31"
    )
    assert fine.status_code == 200


@pytest.mark.django_db
def test_a_nul_character_in_a_parameter_is_the_callers_error(user_client: Any) -> None:
    """On PostgreSQL a text parameter with NUL cannot be queried: 422, not a server error (on
    SQLite it is an ordinary character and the list answers)."""
    from django.db import connection

    from minqing.orgs.enums import Role

    api = user_client(Role.OFFICE, "town_a")
    response = api.get("/api/v1/units/", q="a\x00b")
    if connection.vendor == "postgresql":
        assert response.status_code == 422, response.content
        assert set(response.json()) == ENVELOPE and response.json()["code"] == "VALIDATION"
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_commendation_year_out_of_range_is_refused_instead_of_a_server_error(user_client: Any) -> None:
    from minqing.orgs.enums import Role

    api = user_client(Role.OFFICE, "town_a")
    for year in ("10000", "-5", "1899"):
        response = api.get("/api/v1/catalogues/commendations", year=year)
        assert response.status_code == 422, (year, response.content)
        assert set(response.json()) == ENVELOPE and response.json()["field"] == "year"
    assert api.get("/api/v1/catalogues/commendations", year="2019").status_code == 200
