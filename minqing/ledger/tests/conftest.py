"""A small ledger world: the orgs test tree, users with roles, and a leader linked to a person."""

from dataclasses import dataclass
from typing import Any

import pytest

from minqing.ledger.enums import Channel
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.orgs.actors import SYSTEM, Actor
from minqing.orgs.enums import Role
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, small_tree


@dataclass
class LedgerWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    leader_person: Any

    def submit(
        self, channel: str = Channel.ONLINE, unit_key: str = "village_a", actor: Actor = SYSTEM
    ) -> Any:
        """A feedback on ``channel``; by default the public form's (``SYSTEM``)."""
        return feedback_submit(
            actor=actor,
            channel=channel,
            title="路灯不亮",
            content="村口路灯坏了三个月",
            unit=self.u[unit_key],
            reporter=Reporter(name="王大妈", phone="13900001111"),
        )


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lw(db) -> LedgerWorld:
    u = small_tree()
    users = {
        "root": UserFactory(username="root", is_superuser=True),
        "county_office": UserFactory(username="county_office"),
        "county_intake": UserFactory(username="county_intake"),
        "county_leader": UserFactory(username="county_leader"),
        "a_staff": UserFactory(username="a_staff"),
        "village_a_staff": UserFactory(username="village_a_staff"),
        "b_staff": UserFactory(username="b_staff"),
        "b_office": UserFactory(username="b_office"),
        "viewer": UserFactory(username="viewer"),
    }
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["county_intake"], Role.INTAKE, u["county"])
    grant(users["county_leader"], Role.LEADER, u["county"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["village_a_staff"], Role.UNIT_STAFF, u["village_a"])
    grant(users["b_staff"], Role.UNIT_STAFF, u["town_b"])
    grant(users["b_office"], Role.OFFICE, u["town_b"])
    grant(users["viewer"], Role.VIEWER, u["county"])
    leader = PersonFactory(unit=u["county"], name="李书记", user=users["county_leader"])
    return LedgerWorld(u, users, leader)
