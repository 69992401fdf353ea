from dataclasses import dataclass
from typing import Any

import pytest

from minqing.orgs.enums import AssignmentKind, Duty, Role
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import (
    AssignmentFactory,
    HouseholdFactory,
    PersonFactory,
    PersonIdentityFactory,
    UserFactory,
    duty_user,
    grant,
    small_tree,
)


@dataclass
class World:
    u: dict[str, Unit]
    households: dict[str, list[Any]]  # lists of Household
    people: dict[str, Any]  # Person
    users: dict[str, Any]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    u = small_tree()
    households = {
        "a": [HouseholdFactory(grid=u["grid_a"]) for _ in range(2)],
        "b": [HouseholdFactory(grid=u["grid_b"]) for _ in range(2)],
    }
    people = {
        "town_a": PersonFactory(unit=u["town_a"], name="张三"),
        "village_a": PersonFactory(unit=u["village_a"], name="李四"),
        "town_b": PersonFactory(unit=u["town_b"], name="王五"),
        "village_b": PersonFactory(unit=u["village_b"], name="赵六"),
    }
    for p in people.values():
        PersonIdentityFactory(person=p)
    # village A has a contact cadre, its grid has none; village B has none, its grid has one.
    AssignmentFactory(person=people["town_a"], unit=u["village_a"])
    AssignmentFactory(person=people["town_b"], unit=u["grid_b"])
    AssignmentFactory(
        person=people["village_a"], household=households["a"][0], kind=AssignmentKind.HOUSEHOLD_PAIRING
    )
    users = {
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
        "a_staff": UserFactory(username="a_staff"),
        "a_viewer": UserFactory(username="a_viewer"),
        "b_staff": UserFactory(username="b_staff"),
        "county_office": UserFactory(username="county_office"),
        "nobody": UserFactory(username="nobody"),
        "sysadmin": duty_user("sysadmin", Duty.SYSTEM),
        "secadmin": duty_user("secadmin", Duty.SECURITY),
        "auditadmin": duty_user("auditadmin", Duty.AUDIT),
    }
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["a_viewer"], Role.VIEWER, u["town_a"])
    grant(users["b_staff"], Role.UNIT_STAFF, u["town_b"])
    grant(users["county_office"], Role.OFFICE, u["county"])
    return World(u, households, people, users)
