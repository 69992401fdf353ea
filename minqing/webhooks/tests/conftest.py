from collections.abc import Iterator
from typing import Any

import pytest

from minqing.api.scopes import Scope
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, Unit
from minqing.orgs.tests.factories import small_tree
from minqing.webhooks.tests.receiver import Receiver


@pytest.fixture
def tree(db: Any) -> dict[str, Unit]:
    return small_tree()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def make_app(
    unit: Unit, name: str, roles: tuple[str, ...] = (Role.OFFICE,), webhooks: bool = True
) -> Application:
    scopes = [Scope.READ, Scope.WEBHOOKS] if webhooks else [Scope.READ]
    return Application.objects.create(name=name, unit=unit, roles=list(roles), scopes=scopes)
