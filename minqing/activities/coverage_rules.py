"""Coverage rules: who is missing ("不落一个组织、不漏一名党员、户户有人问").

Each rule is ``(actor, unit, campaign / period, page) -> (count, page of rows)`` over the
unit's subtree (the unit itself included), scoped to the actor, with a unit outside the
actor's scope a 404 (as in ``minqing.orgs.selectors``). Each is one prefix range on a copied
``path`` with a NOT EXISTS subquery on an indexed column, never a join through the tree.

A period is a pair of dates, both included: visits by their date; activities by their start,
from the first day's local midnight to the midnight after the last day.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, Attendance, ResearchReport, Visit
from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.orgs import coverage
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Rank, UnitKind
from minqing.orgs.models import Household, Person, Unit
from minqing.orgs.scoping import can_access_unit, scoped
from minqing.orgs.selectors import active_assignments

PAGE_SIZE = 20
SECRETARY = "书记"

Result = tuple[int, Page[Any]]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes: local midnight of ``start`` to the midnight after ``end``."""
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return lo, hi


def _require(actor: Actor, unit: Unit) -> None:
    if not can_access_unit(actor, unit):
        raise Http404


def _page(qs: QuerySet[Any], page: Any, size: int = PAGE_SIZE) -> Result:
    p = Paginator(qs, size).get_page(page)
    return p.paginator.count, p


def _activities(campaign: Campaign | None, period: Period | None) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if period is not None:
        lo, hi = period.bounds()
        qs = qs.filter(start__gte=lo, start__lt=hi)
    return qs


def party_orgs_without_activity(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, period: Period | None = None, page: Any = 1
) -> Result:
    """(a) Units with a party organisation that organised no activity in the campaign / period."""
    _require(actor, unit)
    held = _activities(campaign, period).filter(path=OuterRef("path"))  # organiser's copied path
    qs = scoped(Unit.objects.filter(prefix_q(unit.path), has_party_org=True), actor)
    return _page(qs.filter(~Exists(held)).order_by("path"), page)


def study_type_ids() -> list[int]:
    return list(ActivityType.objects.filter(is_public_service=False).values_list("pk", flat=True))


def members_absent_from_study(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, period: Period | None = None, page: Any = 1
) -> Result:
    """(b) Party members of the subtree on no study roster (public-service types excluded).

    Attendance anywhere counts (a member may attend the county's session). Activities counted
    by headcount have no roster, so they cannot show who was there.
    """
    _require(actor, unit)
    rows = Attendance.objects.filter(person=OuterRef("pk"), type_id__in=study_type_ids())
    if campaign is not None:
        rows = rows.filter(activity__campaign=campaign)
    if period is not None:
        lo, hi = period.bounds()
        rows = rows.filter(start__gte=lo, start__lt=hi)
    qs = scoped(Person.objects.filter(prefix_q(unit.path), is_party_member=True), actor)
    return _page(qs.filter(~Exists(rows)).select_related("unit").order_by("path", "id"), page)


def villages_without_cadre(actor: Actor, unit: Unit, *, page: Any = 1) -> Result:
    """(c) Villages (communities) with no current contact cadre: the orgs coverage check, paged."""
    _require(actor, unit)
    has_one = active_assignments().filter(unit=OuterRef("pk"))
    qs = scoped(Unit.objects.filter(prefix_q(unit.path), kind=UnitKind.VILLAGE), actor)
    return _page(qs.filter(~Exists(has_one)).order_by("path"), page)


def households_not_visited(
    actor: Actor, unit: Unit, *, period: Period | None = None, page: Any = 1
) -> Result:
    """(d) Households of the subtree with no visit dated in the period (``None``: never visited)."""
    _require(actor, unit)
    visits = Visit.objects.filter(household=OuterRef("pk"))
    if period is not None:
        visits = visits.filter(date__gte=period.start, date__lte=period.end)
    qs = scoped(Household.objects.filter(prefix_q(unit.path)), actor)
    return _page(qs.filter(~Exists(visits)).select_related("grid").order_by("path", "id"), page)


def secretaries_without_party_lecture(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, period: Period | None = None, page: Any = 1
) -> Result:
    """(e) Secretaries (职务 contains 书记) of units with a party organisation who gave no themed
    party lecture (an activity of a type with ``is_party_lecture``, among its lecturers)."""
    _require(actor, unit)
    lecture_types = list(ActivityType.objects.filter(is_party_lecture=True).values_list("pk", flat=True))
    given = _activities(campaign, period).filter(type_id__in=lecture_types)
    # an uncorrelated NOT IN: the lecturers are found once, not once per secretary
    lecturers = Activity.lecturers.through.objects.filter(activity_id__in=given.values("pk")).values(
        "person_id"
    )
    qs = Person.objects.filter(prefix_q(unit.path), duties__contains=SECRETARY, unit__has_party_org=True)
    qs = scoped(qs, actor).exclude(pk__in=lecturers)
    return _page(qs.select_related("unit").order_by("path", "id"), page)


def division_leaders_without_report(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, period: Period | None = None, page: Any = 1
) -> Result:
    """Division-level (处级) people of the subtree who authored no research report in the campaign
    (a report on a topic of the campaign) / period (submitted in it)."""
    _require(actor, unit)
    reports = ResearchReport.objects.filter(author=OuterRef("pk"))
    if campaign is not None:
        reports = reports.filter(topic__campaign=campaign)
    if period is not None:
        reports = reports.filter(submitted_on__gte=period.start, submitted_on__lte=period.end)
    qs = scoped(Person.objects.filter(prefix_q(unit.path), rank=Rank.DIVISION), actor)
    return _page(qs.filter(~Exists(reports)).select_related("unit").order_by("path", "id"), page)


def register_checks() -> None:
    """Replace the orgs coverage placeholder now that visits exist (called from AppConfig.ready)."""
    from django.utils.translation import gettext_lazy as _

    @coverage.register(coverage.HOUSEHOLDS_NEVER_VISITED, _("从未走访的户"), order=30)
    def households_never_visited(actor: Actor, unit: Unit) -> tuple[int, list[Any]]:
        count, page = households_not_visited(actor, unit, page=1)
        return count, list(page.object_list[: coverage.SAMPLE_SIZE])
