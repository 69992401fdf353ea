"""The database out of reach (a restart, a failover): 503 with Retry-After and "nothing saved",
as JSON under /api/ and as a page elsewhere; any other error stays a 500 (config/urls.handler500)."""

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


def test_a_page_answers_503_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("minqing.ledger.views.public.selectors.public_problem_list", down)
    response = Client(raise_request_exception=False).get("/public/problems/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "没有保存" in response.content.decode()


def test_the_api_answers_503_in_its_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("minqing.api.auth.credential_for", down)
    response = Client(raise_request_exception=False).get(
        "/api/v1/problems/", HTTP_AUTHORIZATION="Bearer mq_x_" + "a" * 40
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "UNAVAILABLE" and "Idempotency-Key" in body["message_en"]


def test_other_errors_stay_500(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("minqing.ledger.views.public.selectors.public_problem_list", lambda *a, **k: 1 / 0)
    response = Client(raise_request_exception=False).get("/public/problems/")
    assert response.status_code == 500
