"""The test world of the programme tests: the orgs test tree plus a second county, users with
roles, and a programme owned by the county 集宁区 with three targets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM, Actor
from minqing.orgs.enums import Role, UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import UserFactory, grant, make_units, small_tree
from minqing.programmes.models import Programme, ProgressReport, ShareBasis, Target, TargetPlan
from minqing.programmes.services.programmes import plan_set, programme_create, target_create
from minqing.programmes.services.progress import progress_report

D = Decimal
HOUSING_MODES = ("新建", "维修加固", "转移置换")


def day(month: int, d: int, year: int = 2015) -> dt.date:
    return dt.date(year, month, d)


@dataclass
class World:
    u: dict[str, Unit]
    users: dict[str, Any]
    programme: Programme
    t: dict[str, Target]

    def report(
        self,
        unit: str,
        target: str,
        date: dt.date,
        in_progress: Any = 0,
        completed: Any = 0,
        funds: Any = 0,
        mode: str = "",
        *,
        actor: Actor,
    ) -> ProgressReport:
        return progress_report(
            actor=actor,
            target=self.t[target],
            unit=self.u[unit],
            date=date,
            in_progress=D(in_progress),
            completed=D(completed),
            funds=D(funds),
            mode=mode,
        ).report

    def plan(self, unit: str, target: str, quantity: Any, mode: str = "") -> None:
        plan_set(actor=SYSTEM, target=self.t[target], unit=self.u[unit], quantity=D(quantity), mode=mode)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_world() -> World:
    u = small_tree()
    other = make_units(
        [
            UnitRow("150921000000", "卓资县", UnitKind.COUNTY, "150900000000", division_code="150921000000"),
            UnitRow("150921100000", "卓资山镇", UnitKind.TOWNSHIP, "150921000000", "town", "150921100000"),
        ]
    )
    u["county_z"], u["town_z"] = other["150921000000"], other["150921100000"]
    users: dict[str, Any] = {"root": UserFactory(username="root", is_superuser=True)}
    users |= {
        name: UserFactory(username=name)
        for name in (
            "city_office",
            "county_office",
            "a_office",
            "a_staff",
            "b_staff",
            "viewer",
            "z_office",
            "norole",
        )
    }
    grant(users["city_office"], Role.OFFICE, u["prefecture"])
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["a_office"], Role.OFFICE, u["town_a"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["b_staff"], Role.UNIT_STAFF, u["town_b"])
    grant(users["viewer"], Role.VIEWER, u["county"])
    grant(users["z_office"], Role.OFFICE, u["county_z"])
    programme = programme_create(
        actor=SYSTEM, name="集宁区十个全覆盖", owner=u["county"], start_date=day(1, 1)
    )
    t = {
        "housing": target_create(
            actor=SYSTEM,
            programme=programme,
            key="housing",
            name="危房改造",
            measure="户",
            plan_quantity=D(1000),
            modes=HOUSING_MODES,
        ),
        "road_paving": target_create(
            actor=SYSTEM,
            programme=programme,
            key="road_paving",
            name="街巷硬化",
            measure="公里",
            plan_quantity=D(100),
        ),
        "shop": target_create(
            actor=SYSTEM,
            programme=programme,
            key="shop",
            name="便民连锁超市",
            measure="个",
            plan_quantity=D(20),
            share_basis=ShareBasis.COMPLETED,
        ),
    }
    return World(u, users, programme, t)


@pytest.fixture
def w(db) -> World:
    return make_world()


def snapshot() -> tuple[Any, ...]:
    """What a denied request must leave as it was."""
    return (
        Programme.objects.count(),
        Target.objects.count(),
        list(Target.objects.order_by("pk").values_list("name", "plan_quantity", "modes")),
        list(TargetPlan.objects.order_by("pk").values_list("unit_id", "mode", "quantity")),
        list(
            ProgressReport.objects.order_by("pk").values_list("unit_id", "date", "in_progress", "completed")
        ),
        # reads, refusals and failed imports are audited too: not a change
        AuditEvent.objects.filter(outcome=AuditEvent.Outcome.SUCCESS)
        .exclude(action=AuditEvent.Action.VIEW_PERSONAL)
        .count(),
    )
