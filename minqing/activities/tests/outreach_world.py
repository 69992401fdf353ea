"""The test world of the outreach tests: the orgs test tree with party organisations, people,
households, users with roles, a campaign and activity types."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType
from minqing.activities.services.activities import activity_create
from minqing.campaigns.models import Campaign
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Rank, Role
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import HouseholdFactory, PersonFactory, UserFactory, grant, small_tree


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2019, month, day, hour))


@dataclass
class OutreachWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    people: dict[str, Any]  # Person
    households: dict[str, list[Any]]
    campaign: Campaign
    other_campaign: Campaign

    def activity(
        self, code: str, organiser: str, day: int = 10, campaign: Campaign | None = None, **kw: Any
    ) -> Activity:
        return activity_create(
            actor=SYSTEM,
            type=ActivityType.objects.get(code=code),
            organiser=self.u[organiser],
            title=f"{code}@{organiser}",
            start=kw.pop("start", at(9, day)),
            campaign=campaign if campaign is not None else self.campaign,
            **kw,
        )


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ow(db) -> OutreachWorld:
    u = small_tree()
    for key in ("county", "town_a", "town_b", "village_a", "village_b"):
        Unit.objects.filter(pk=u[key].pk).update(has_party_org=True)
        u[key].refresh_from_db()
    people: dict[str, Any] = {
        "a_secretary": PersonFactory(unit=u["town_a"], name="甲书记", duties="党工委书记"),
        "a_member": PersonFactory(unit=u["village_a"], name="甲党员", duties=""),
        "a_nonmember": PersonFactory(unit=u["village_a"], name="群众", is_party_member=False, duties=""),
        "b_secretary": PersonFactory(unit=u["town_b"], name="乙书记", duties="党委书记"),
        "b_member": PersonFactory(unit=u["village_b"], name="乙党员", duties=""),
        "grid_secretary": PersonFactory(unit=u["grid_a"], name="网格书记", duties="支部书记"),  # no party org
        "county_leader": PersonFactory(unit=u["county"], name="县领导", rank=Rank.DIVISION, duties="副县长"),
        "a_leader": PersonFactory(unit=u["town_a"], name="镇处级", rank=Rank.DIVISION, duties="调研员"),
    }
    households = {
        "a": [HouseholdFactory(grid=u["grid_a"], number=f"A{i}") for i in range(3)],
        "b": [HouseholdFactory(grid=u["grid_b"], number=f"B{i}") for i in range(2)],
    }
    users = {
        "root": UserFactory(username="root", is_superuser=True),
        "county_office": UserFactory(username="county_office"),
        "a_office": UserFactory(username="a_office"),
        "a_staff": UserFactory(username="a_staff"),
        "a_viewer": UserFactory(username="a_viewer"),
        "b_staff": UserFactory(username="b_staff"),
        "village_a_staff": UserFactory(username="village_a_staff"),
        "nobody": UserFactory(username="nobody"),
    }
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["a_office"], Role.OFFICE, u["town_a"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["a_viewer"], Role.VIEWER, u["town_a"])
    grant(users["b_staff"], Role.UNIT_STAFF, u["town_b"])
    grant(users["village_a_staff"], Role.UNIT_STAFF, u["village_a"])
    campaign = Campaign.objects.create(
        name="主题教育", scope=u["county"], path=u["county"].path, start_date=dt.date(2019, 9, 1),
        end_date=dt.date(2019, 11, 30),
    )  # fmt: skip
    other = Campaign.objects.create(
        name="其他专题", scope=u["county"], path=u["county"].path, start_date=dt.date(2019, 1, 1)
    )
    return OutreachWorld(u, users, people, households, campaign, other)
