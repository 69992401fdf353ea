"""The API's common ground: keys, the error shape, scopes, scoping, pagination, size and rate
limits, and the offline docs."""

from typing import Any

import pytest
from django.utils import timezone

from minqing.api.keys import credential_for, key_revoke
from minqing.api.models import ApiKey
from minqing.api.scopes import Scope
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message_zh", "message_en", "field"}


def test_keys_are_stored_hashed_and_found_by_their_secret(app_client: Any) -> None:
    api = app_client()
    key = ApiKey.objects.get(pk=api.key.pk)
    secret = api.headers["Authorization"].split()[1]
    assert secret not in (key.digest, key.prefix) and key.prefix in secret
    assert credential_for(secret) is not None
    assert credential_for(secret + "x") is None
    assert credential_for(secret.replace(key.prefix, "00000000")) is None


def test_no_key_or_a_wrong_key_answers_401_in_both_languages(app_client: Any) -> None:
    api = app_client()
    api.headers["Authorization"] = "Bearer mq_deadbeef_nope"
    for response in (api.get("/api/v1/units/"), api.client.get("/api/v1/units/")):
        assert response.status_code == 401
        body = response.json()
        assert set(body) == ERROR_KEYS and body["code"] == "UNAUTHENTICATED"
        assert "密钥" in body["message_zh"] and "key" in body["message_en"]


def test_a_revoked_key_is_refused_at_once(app_client: Any) -> None:
    api = app_client()
    assert api.get("/api/v1/units/").status_code == 200
    key_revoke(actor=SYSTEM, key=api.key)
    assert api.get("/api/v1/units/").status_code == 401


def test_a_key_revoked_by_another_process_is_refused_within_the_cache_seconds(
    app_client: Any, monkeypatch: Any, settings: Any
) -> None:
    """A worker keeps a checked key for MINQING_API_KEY_CACHE_SECONDS: a revocation written by
    another process (here: an UPDATE, which tells this process nothing) is seen once they pass."""
    from minqing.core import short_cache

    settings.MINQING_API_KEY_CACHE_SECONDS = 5
    api = app_client()
    assert api.get("/api/v1/units/").status_code == 200
    ApiKey.objects.filter(pk=api.key.pk).update(revoked_at=timezone.now())
    assert api.get("/api/v1/units/").status_code == 200  # still within the seconds
    later = short_cache.time.monotonic() + 5.1
    monkeypatch.setattr(short_cache.time, "monotonic", lambda: later)
    assert api.get("/api/v1/units/").status_code == 401
    settings.MINQING_API_KEY_CACHE_SECONDS = 0  # off: every call reads the key
    other = app_client()
    assert other.get("/api/v1/units/").status_code == 200
    ApiKey.objects.filter(pk=other.key.pk).update(revoked_at=timezone.now())
    assert other.get("/api/v1/units/").status_code == 401


def test_an_expired_key_or_an_inactive_application_is_refused(app_client: Any) -> None:
    api = app_client()
    ApiKey.objects.filter(pk=api.key.pk).update(expires_at=timezone.now())
    assert api.get("/api/v1/units/").status_code == 401
    api = app_client()
    api.key.application.is_active = False
    api.key.application.save()
    assert api.get("/api/v1/units/").status_code == 401


def test_a_key_without_the_read_scope_is_refused_with_403(app_client: Any) -> None:
    api = app_client(scopes=[Scope.PROBLEMS_WRITE])
    response = api.get("/api/v1/units/")
    assert response.status_code == 403 and response.json()["code"] == "SCOPE_MISSING"


def test_units_are_those_of_the_callers_subtree(app_client: Any, tree: Any) -> None:
    api = app_client(unit="town_a")
    codes = [u["code"] for u in api.get("/api/v1/units/").json()["items"]]
    assert codes == [tree["town_a"].code]
    children = api.get("/api/v1/units/", parent=tree["town_a"].code).json()["items"]
    assert [c["code"] for c in children] == [tree["village_a"].code]
    assert children[0]["parent_code"] == tree["town_a"].code
    assert api.get(f"/api/v1/units/{tree['village_a'].code}").status_code == 200
    # a unit outside the subtree does not exist for the caller: 404, never 403
    outside = api.get(f"/api/v1/units/{tree['town_b'].code}")
    assert outside.status_code == 404 and outside.json()["code"] == "NOT_FOUND"
    assert api.get("/api/v1/units/", parent=tree["county"].code).status_code == 404


def test_cursor_pages_cover_every_row_once(app_client: Any, tree: Any) -> None:
    api = app_client(unit="province")
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        params = {"q": "", "limit": 2, "parent": tree["county"].code}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/api/v1/units/", **params).json()
        seen += [u["code"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([tree["town_a"].code, tree["town_b"].code])
    bad = api.get("/api/v1/units/", cursor="!!notacursor")
    assert bad.status_code == 400 and bad.json()["field"] == "cursor"


def test_a_body_over_the_limit_is_refused_before_it_is_read(app_client: Any, settings: Any) -> None:
    settings.MINQING_API_MAX_BODY = 100
    api = app_client()
    response = api.post("/api/v1/units/", {"x": "y" * 200})
    assert response.status_code == 413 and response.json()["code"] == "TOO_LARGE"


@pytest.mark.parametrize("backend", ["database", "cache"])
def test_the_rate_limit_answers_429_with_retry_after(app_client: Any, settings: Any, backend: str) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.MINQING_API_RATE_BACKEND = backend
    settings.MINQING_API_RATE_LIMIT = 3
    settings.MINQING_API_RATE_WINDOW = 60
    api, other = app_client(), app_client()
    answers = [api.get("/api/v1/units/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = api.get("/api/v1/units/")
    assert limited.json()["code"] == "RATE_LIMITED" and 1 <= int(limited["Retry-After"]) <= 61
    assert other.get("/api/v1/units/").status_code == 200  # per key


def test_validation_errors_name_the_field(app_client: Any) -> None:
    api = app_client()
    response = api.get("/api/v1/units/", limit="many")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_KEYS and body["field"] == "limit"


def test_the_openapi_document_and_its_page_are_served_offline(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200 and doc.json()["openapi"].startswith("3.")
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
