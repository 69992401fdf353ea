"""factory_boy factories for the organisation network; units come from ``units_upsert``."""

import datetime
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind, Rank, UnitKind
from minqing.orgs.models import Assignment, Household, Person, PersonIdentity, Unit
from minqing.orgs.services.duties import duty_grant
from minqing.orgs.services.roles import role_grant
from minqing.orgs.services.units import UnitRow, units_upsert

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"H{n:06d}")
    head_name = factory.Sequence(lambda n: f"户主{n}")
    address = "幸福路 1 号"
    members = 3
    path = factory.LazyAttribute(lambda o: o.grid.path)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    number = factory.Sequence(lambda n: f"P{n:06d}")
    name = factory.Sequence(lambda n: f"干部{n}")
    rank = Rank.SECTION
    is_party_member = True
    duties = "联络员"
    path = factory.LazyAttribute(lambda o: o.unit.path)


class PersonIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonIdentity

    person = factory.SubFactory(PersonFactory)
    phone = "13812345678"
    id_number = "150902199001011234"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    kind = AssignmentKind.CONTACT_POINT
    unit = None
    household = None
    start_date = datetime.date(2024, 1, 1)
    path = factory.LazyAttribute(lambda o: (o.unit or o.household).path)


def make_units(rows: list[UnitRow]) -> dict[str, Unit]:
    units_upsert(actor=SYSTEM, rows=rows)
    return {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}


def grant(user, role: str, unit: Unit):
    return role_grant(actor=SYSTEM, user=user, role=role, unit=unit)


def duty_user(username: str, duty: str, **fields: Any) -> User:
    """An account holding the administrator ``duty`` (granted by the operator, ``SYSTEM``)."""
    user = cast(User, UserFactory(username=username, **fields))
    duty_grant(actor=SYSTEM, user=user, duty=duty)
    user.refresh_from_db()
    return user


def small_tree() -> dict[str, Unit]:
    """province > prefecture > county > townships A and B, each with a village and a grid."""
    K = UnitKind
    rows = [
        UnitRow("150000000000", "内蒙古自治区", K.PROVINCE, division_code="150000000000"),
        UnitRow("150900000000", "乌兰察布市", K.PREFECTURE, "150000000000", division_code="150900000000"),
        UnitRow("150902000000", "集宁区", K.COUNTY, "150900000000", division_code="150902000000"),
        UnitRow("150902001000", "新体育场街道", K.TOWNSHIP, "150902000000", "street", "150902001000"),
        UnitRow("150902101000", "白海子镇", K.TOWNSHIP, "150902000000", "town", "150902101000"),
        UnitRow("150902001001", "泉山社区", K.VILLAGE, "150902001000", "community", "150902001001"),
        UnitRow("150902101201", "红旗村", K.VILLAGE, "150902101000", "village", "150902101201"),
        UnitRow("G-A-01", "泉山社区第一网格", K.GRID, "150902001001", "community_grid"),
        UnitRow("G-B-01", "红旗村第一村民小组", K.GRID, "150902101201", "villager_group"),
    ]
    u = make_units(rows)
    return {
        "province": u["150000000000"],
        "prefecture": u["150900000000"],
        "county": u["150902000000"],
        "town_a": u["150902001000"],
        "town_b": u["150902101000"],
        "village_a": u["150902001001"],
        "village_b": u["150902101201"],
        "grid_a": u["G-A-01"],
        "grid_b": u["G-B-01"],
    }
