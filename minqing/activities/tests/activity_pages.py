"""A small world for the activity page tests: the orgs test tree, users with roles, people."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, Attendance
from minqing.activities.services.activities import activity_create
from minqing.campaigns.models import Campaign
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Person, Unit
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, small_tree


@dataclass
class ActivityWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    people: dict[str, Person]

    def activity(self, unit_key: str = "town_a", code: str = "reading_class", **kw: Any) -> Activity:
        kw.setdefault("title", "读书班")
        kw.setdefault("start", at(10))
        return activity_create(
            actor=SYSTEM, type=ActivityType.objects.get(code=code), organiser=self.u[unit_key], **kw
        )


def at(day: int, hour: int = 9, month: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2019, month, day, hour))


def make_world() -> ActivityWorld:
    u = small_tree()
    users = {
        name: UserFactory(username=name)
        for name in ("county_office", "a_staff", "a_office", "b_staff", "viewer", "norole")
    }
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["a_office"], Role.OFFICE, u["town_a"])
    grant(users["b_staff"], Role.UNIT_STAFF, u["town_b"])
    grant(users["viewer"], Role.VIEWER, u["county"])
    people = {
        key: cast(Person, PersonFactory(unit=u[unit], number=number, name=name))
        for key, unit, number, name in (
            ("zhang", "town_a", "PA001", "张三"),
            ("li", "village_a", "PA002", "李四"),
            ("wang", "grid_a", "PA003", "王五"),
            ("zhao", "town_b", "PB001", "张六"),
        )
    }
    return ActivityWorld(u, users, people)


def snapshot() -> tuple[int, int, int, int]:
    """What a denied request must leave as it was."""
    return (
        Activity.objects.count(),
        Attendance.objects.count(),
        Campaign.objects.count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count(),
    )
