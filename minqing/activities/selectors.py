"""Reads of the activity pages, each scoped to the actor with ``minqing.orgs.scoping``.

An activity (or a unit) outside the actor's scope is a 404, exactly like a missing one. The
phone check-in page reads without an actor: it only ever looks up one activity by its short
code and one person by their number.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, Attendance
from minqing.core.pages import paginate, parse_date
from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person
from minqing.orgs.scoping import can_access_unit, scope_q
from minqing.orgs.selectors import unit_by_code

SEARCH_LIMIT = 50


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` (aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class ActivityFilters:
    type: str = ""  # ActivityType.code
    campaign: str = ""  # Campaign pk
    unit: str = ""  # unit code: activities organised in its subtree
    start: str = ""  # YYYY-MM-DD, inclusive
    end: str = ""  # YYYY-MM-DD, inclusive
    q: str = ""  # title contains / number starts with

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ActivityFilters":
        def text(name: str, n: int) -> str:
            return str(data.get(name) or "").strip()[:n]

        start, end = parse_date(data.get("start")), parse_date(data.get("end"))
        return cls(
            type=text("type", 40),
            campaign=text("campaign", 12) if text("campaign", 12).isdigit() else "",
            unit=text("unit", 32),
            start=start.isoformat() if start else "",
            end=end.isoformat() if end else "",
            q=text("q", 100),
        )

    def as_query(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def activity_list(actor: Actor, filters: ActivityFilters, page: Any = None) -> Page:
    return paginate(activity_queryset(actor, filters).order_by("-start", "-id"), page)


def activity_queryset(actor: Actor, filters: ActivityFilters) -> QuerySet[Activity]:
    """The activities the actor sees, narrowed by ``filters``, each with its check-in count."""
    qs = Activity.objects.filter(scope_q(actor))
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.campaign:
        qs = qs.filter(campaign_id=int(filters.campaign))
    if filters.unit:
        unit = unit_by_code(actor, filters.unit)
        qs = qs.filter(prefix_q(unit.path)) if unit is not None else qs.none()
    if filters.start:
        qs = qs.filter(start__gte=day_start(dt.date.fromisoformat(filters.start)))
    if filters.end:
        qs = qs.filter(start__lt=day_start(dt.date.fromisoformat(filters.end) + dt.timedelta(days=1)))
    if filters.q:
        qs = qs.filter(Q(title__contains=filters.q) | Q(number__startswith=filters.q))
    return qs.select_related("type", "organiser", "campaign").annotate(checked_in=Count("attendance"))


def activity_get(actor: Actor, number: str) -> Activity:
    activity = Activity.objects.select_related("type", "organiser", "campaign").filter(number=number).first()
    if activity is None or not can_access_unit(actor, activity.organiser):
        raise Http404
    return activity


def activity_roster(activity: Activity) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(activity=activity)
        .select_related("person", "person__unit")
        .order_by("checked_in_at", "id")
    )


def activity_lecturers(activity: Activity) -> QuerySet[Person]:
    return activity.lecturers.order_by("number")


def people_for_check_in(actor: Actor, activity: Activity, q: str) -> list[Person]:
    """People of the organiser's subtree (and the actor's scope) whose name contains ``q`` or
    whose number starts with it; each with ``checked_in`` set."""
    q = q.strip()[:50]
    if not q:
        return []
    here = Attendance.objects.filter(activity=activity, person=OuterRef("pk"))
    qs = (
        Person.objects.filter(prefix_q(activity.organiser.path))
        .filter(scope_q(actor))
        .filter(Q(name__contains=q) | Q(number__startswith=q))
        .select_related("unit")
        .annotate(checked_in=Exists(here))
        .order_by("number")
    )
    return list(qs[:SEARCH_LIMIT])


def people_for_check_in_by_ids(actor: Actor, activity: Activity, ids: list[int]) -> list[Person]:
    """The ticked people, only those of the organiser's subtree in the actor's scope."""
    qs = Person.objects.filter(pk__in=ids).filter(prefix_q(activity.organiser.path)).filter(scope_q(actor))
    return list(qs.order_by("number"))


def people_by_numbers(numbers: list[str]) -> dict[str, Person]:
    return {p.number: p for p in Person.objects.filter(number__in=numbers)}


def activity_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.all()


# --- the phone check-in (no login) --------------------------------------------------------


def activity_by_short_code(code: str) -> Activity | None:
    code = (code or "").strip().upper()[:8]
    if not code:
        return None
    return Activity.objects.select_related("type", "organiser").filter(short_code=code).first()


def person_by_number(number: str) -> Person | None:
    number = (number or "").strip()[:32]
    return Person.objects.filter(number=number).first() if number else None


def attendance_of(activity: Activity, person: Person) -> Attendance | None:
    return Attendance.objects.filter(activity=activity, person=person).first()


def activity_dates(actor: Actor, unit: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last local day with an activity organised in the unit's subtree (in the
    actor's scope), or None: the counts page offers it when the chosen period has none."""
    agg = Activity.objects.filter(scope_q(actor), prefix_q(unit.path)).aggregate(
        lo=Min("start"), hi=Max("start")
    )
    if agg["lo"] is None:
        return None
    return timezone.localdate(agg["lo"]), timezone.localdate(agg["hi"])
