from collections.abc import Callable
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.test import Client

from minqing.api.keys import application_key_issue, personal_token_issue
from minqing.api.scopes import ALL_SCOPES
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, Unit
from minqing.orgs.tests.factories import UserFactory, grant, small_tree


class ApiClient:
    """A Django test client that signs every call with one key."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            path, data or {}, content_type="application/json", headers={**self.headers, **(headers or {})}
        )


@pytest.fixture
def tree(db: Any) -> dict[str, Unit]:
    return small_tree()


@pytest.fixture
def app_client(tree: dict[str, Unit]) -> Callable[..., ApiClient]:
    """An application on ``unit`` with ``roles`` and ``scopes``, signed in with a fresh key."""

    def make(unit: str = "town_a", roles: tuple[str, ...] = (Role.INTAKE,), scopes: Any = None) -> ApiClient:
        app = Application.objects.create(
            name=f"app-{unit}-{Application.objects.count()}",
            unit=tree[unit],
            roles=list(roles),
            scopes=sorted(ALL_SCOPES if scopes is None else scopes),
        )
        issued = application_key_issue(actor=SYSTEM, application=app, name="test")
        api = ApiClient(issued.secret)
        api.key = issued.key  # type: ignore[attr-defined]
        return api

    return make


@pytest.fixture
def user_client(tree: dict[str, Unit]) -> Callable[..., ApiClient]:
    def make(role: str = Role.UNIT_STAFF, unit: str = "town_a", scopes: Any = None) -> ApiClient:
        user = cast(User, UserFactory())
        grant(user, role, tree[unit])
        issued = personal_token_issue(actor=SYSTEM, user=user, name="t", scopes=scopes)
        api = ApiClient(issued.secret)
        api.user = user  # type: ignore[attr-defined]
        return api

    return make
