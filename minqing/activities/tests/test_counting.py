"""The counting rules: sessions, person-times (roster or headcount), distinct people; edges."""

import datetime as dt
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from minqing.activities.counting import activity_counts
from minqing.activities.models import ActivityType
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.core.errors import DomainError, ErrorCode
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, small_tree

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2019, 10, day, hour))


def person(unit) -> Person:
    return cast(Person, PersonFactory(unit=unit))


def by_code(counts):
    return {c.type.code: c for c in counts}


def test_counting_rules() -> None:
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    seminar = ActivityType.objects.get(code="seminar")
    people = [person(u["town_a"]) for _ in range(3)]
    a1 = activity_create(actor=SYSTEM, type=reading, organiser=u["town_a"], title="读书班一", start=at(1))
    a2 = activity_create(actor=SYSTEM, type=reading, organiser=u["village_a"], title="读书班二", start=at(2))
    for p in people:
        attendance_check_in(actor=SYSTEM, activity=a1, person=p)
    attendance_check_in(actor=SYSTEM, activity=a2, person=people[0])  # the same person at two sessions
    _, created = attendance_check_in(actor=SYSTEM, activity=a2, person=people[0])
    assert not created  # one row per person per activity
    activity_create(
        actor=SYSTEM, type=seminar, organiser=u["town_a"], title="研讨", start=at(3), headcount=40
    )
    # out of the subtree, and out of the period
    activity_create(actor=SYSTEM, type=reading, organiser=u["town_b"], title="别处", start=at(2))
    activity_create(actor=SYSTEM, type=reading, organiser=u["town_a"], title="期末", start=at(31))

    counts = by_code(activity_counts(SYSTEM, u["town_a"], at(1, 0), at(31, 0)))
    assert (counts["reading_class"].sessions, counts["reading_class"].person_times) == (2, 4)
    assert counts["reading_class"].people == 3 and not counts["reading_class"].has_headcount_only
    assert (counts["seminar"].sessions, counts["seminar"].person_times, counts["seminar"].people) == (
        1,
        40,
        0,
    )
    assert counts["seminar"].has_headcount_only
    # the county sees town B's too; an activity starting exactly at the end is outside [start, end)
    county = by_code(activity_counts(SYSTEM, u["county"], at(1, 0), at(31, 9)))
    assert county["reading_class"].sessions == 3
    county = by_code(activity_counts(SYSTEM, u["county"], at(1, 0), at(31, 10)))
    assert county["reading_class"].sessions == 4


def test_headcount_activities_have_no_roster() -> None:
    u = small_tree()
    seminar = ActivityType.objects.get(code="seminar")
    a = activity_create(
        actor=SYSTEM, type=seminar, organiser=u["town_a"], title="研讨", start=at(3), headcount=40
    )
    with pytest.raises(DomainError) as err:
        attendance_check_in(actor=SYSTEM, activity=a, person=person(u["town_a"]))
    assert err.value.code is ErrorCode.ACTIVITY_HEADCOUNT_ONLY


def test_other_townships_staff_cannot_organise_or_count_here() -> None:
    u = small_tree()
    b_staff = cast(User, UserFactory(username="b"))
    grant(b_staff, Role.UNIT_STAFF, u["town_b"])
    reading = ActivityType.objects.get(code="reading_class")
    with pytest.raises(DomainError) as err:
        activity_create(actor=b_staff, type=reading, organiser=u["town_a"], title="x", start=at(1))
    assert err.value.code is ErrorCode.PERMISSION_DENIED
    assert activity_counts(b_staff, u["town_a"], at(1, 0), at(31, 0)) == []
