"""The catalogue tests' world: the orgs test tree plus departments, users with roles, people."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure, ReformResult
from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role, UnitKind
from minqing.orgs.models import PersonIdentity, Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, make_units, small_tree


@dataclass
class CatalogueWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    people: dict[str, Any]
    campaign: Campaign


def snapshot() -> tuple[Any, ...]:
    """What a denied request must leave as it was."""
    return (
        list(
            PowerItem.objects.order_by("pk").values_list("pk", "name", "category", "is_active", "legal_basis")
        ),
        list(ReformMeasure.objects.order_by("pk").values_list("pk", "title", "status", "is_key")),
        ReformResult.objects.count(),
        list(Commendation.objects.order_by("pk").values_list("pk", "name", "title", "date")),
        AuditEvent.objects.filter(
            action__in=(AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.IMPORT)
        ).count(),
    )


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cw(db) -> CatalogueWorld:
    u = small_tree()
    deps = make_units(
        [
            UnitRow("150900-D001", "乌兰察布市公安局", UnitKind.AGENCY, "150900000000"),
            UnitRow("150900-D002", "乌兰察布市民政局", UnitKind.AGENCY, "150900000000"),
            UnitRow("150902-D001", "集宁区市场监督管理局", UnitKind.AGENCY, "150902000000"),
        ]
    )
    u.update(
        city_police=deps["150900-D001"], city_civil=deps["150900-D002"], county_market=deps["150902-D001"]
    )
    users = {
        name: UserFactory(username=name)
        for name in (
            "city_office",
            "county_office",
            "police_staff",
            "county_staff",
            "county_viewer",
            "b_office",
            "nobody",
        )
    }
    users["root"] = UserFactory(username="root", is_superuser=True)
    grant(users["city_office"], Role.OFFICE, u["prefecture"])
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["police_staff"], Role.UNIT_STAFF, u["city_police"])
    grant(users["county_staff"], Role.UNIT_STAFF, u["county"])
    grant(users["county_viewer"], Role.VIEWER, u["county"])
    grant(users["b_office"], Role.OFFICE, u["town_b"])
    people: dict[str, Any] = {
        "zhang": PersonFactory(unit=u["village_a"], number="PA001", name="张三", duties="社区党委书记"),
        "li": PersonFactory(unit=u["city_police"], number="PC001", name="李四"),
        "wang": PersonFactory(unit=u["village_b"], number="PB001", name="王五"),
    }
    PersonIdentity.objects.create(person=people["zhang"], phone="13912345678", id_number="150902199001011234")
    campaign = Campaign.objects.create(
        name="“三严三实”专题教育",
        scope=u["prefecture"],
        path=u["prefecture"].path,
        start_date=dt.date(2015, 5, 11),
    )
    return CatalogueWorld(u, users, people, campaign)
