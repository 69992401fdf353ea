"""The supervision test world: the orgs test tree, users with roles, a campaign, people, a group."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Person, Unit
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, small_tree
from minqing.supervision.enums import InspectionKind, MemberRole
from minqing.supervision.models import GuidanceGroup, Inspection
from minqing.supervision.services.groups import MemberSpec, group_create
from minqing.supervision.services.inspections import FindingSpec, inspection_record

DAY = dt.date(2019, 10, 8)


@dataclass
class World:
    u: dict[str, Unit]
    users: dict[str, Any]
    people: dict[str, Person]
    campaign: Any
    other_campaign: Any

    def group(self, name: str = "县委第一指导组", units: tuple[str, ...] = ("town_a", "town_b"), **kw: Any):
        return group_create(
            actor=None,
            name=name,
            campaign=kw.pop("campaign", self.campaign),
            unit=self.u[kw.pop("unit", "county")],
            units=[self.u[k] for k in units],
            members=kw.pop(
                "members",
                [
                    MemberSpec(person=self.people["leader"], role=MemberRole.LEADER),
                    MemberSpec(name="王副组长", role=MemberRole.DEPUTY),
                    MemberSpec(person=self.people["member"]),
                ],
            ),
            **kw,
        )

    def inspect(
        self,
        group: GuidanceGroup,
        unit: str = "town_a",
        date: dt.date = DAY,
        kind: str = InspectionKind.SPOT_CHECK,
        findings: tuple[str, ...] = (),
        actor: Any = None,
        **kw: Any,
    ) -> Inspection:
        return inspection_record(
            actor=actor,
            group=group,
            unit=self.u[unit],
            date=date,
            kind=kind,
            findings=[FindingSpec(text=t) for t in findings],
            **kw,
        )


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def w(db) -> World:
    u = small_tree()
    names = (
        "root", "county_office", "county_inspector", "a_office", "a_inspector", "a_staff",
        "b_office", "viewer", "nobody",
    )  # fmt: skip
    users = {n: UserFactory(username=n, is_superuser=n == "root") for n in names}
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["county_inspector"], Role.INSPECTOR, u["county"])
    grant(users["a_office"], Role.OFFICE, u["town_a"])
    grant(users["a_inspector"], Role.INSPECTOR, u["town_a"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["b_office"], Role.OFFICE, u["town_b"])
    grant(users["viewer"], Role.VIEWER, u["county"])
    people: dict[str, Any] = {
        "leader": PersonFactory(unit=u["county"], number="PC001", name="李组长"),
        "member": PersonFactory(unit=u["county"], number="PC002", name="赵成员"),
        "a_person": PersonFactory(unit=u["town_a"], number="PA001", name="张三"),
        "b_person": PersonFactory(unit=u["town_b"], number="PB001", name="李四"),
    }
    campaign = campaign_create(
        actor=SYSTEM,
        name="主题教育",
        scope=u["county"],
        start_date=dt.date(2019, 9, 1),
        end_date=dt.date(2019, 12, 31),
    )
    other = campaign_create(actor=SYSTEM, name="专题教育", scope=u["county"], start_date=dt.date(2019, 1, 1))
    return World(u, users, people, campaign, other)
