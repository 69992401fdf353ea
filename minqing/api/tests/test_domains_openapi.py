"""Every domain endpoint declares what it answers, so the OpenAPI document can check answers."""

from typing import Any

import pytest

DOMAINS = (
    "/people",
    "/households",
    "/campaigns",
    "/activities",
    "/research",
    "/visits",
    "/supervision",
    "/programmes",
    "/catalogues",
    "/reports",
)


@pytest.mark.django_db
def test_domain_endpoints_declare_their_answers(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in doc["paths"].items()
        if path.removeprefix("/api/v1").startswith(DOMAINS)
        for method, op in item.items()
    ]
    assert len(operations) >= 40
    for path, method, op in operations:
        ok = op["responses"].get("201" if method == "post" and "check-in" not in path else "200")
        assert ok is not None and "content" in ok, (method, path)
        assert " / " in op["summary"], (method, path)  # Chinese / English
        assert op.get("security"), (method, path)  # every one needs a key
