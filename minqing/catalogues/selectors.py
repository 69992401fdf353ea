"""Reads of the catalogues; every function takes the actor and is scoped to their subtree.

A record or unit outside the actor's scope raises ``Http404``, exactly as a missing one does.
Filters come from the query string (``*Filters.from_mapping``); an unknown value is ignored.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import (
    Commendation,
    PowerCategory,
    PowerItem,
    ReformMeasure,
    ReformStatus,
    category_order,
)
from minqing.core.pages import paginate
from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.scoping import scoped
from minqing.orgs.selectors import unit_by_code

Q_MAX = 100


def _text(data: Mapping[str, Any], name: str, limit: int = Q_MAX) -> str:
    return str(data.get(name) or "").strip()[:limit]


def _pick(data: Mapping[str, Any], name: str, allowed: list[str]) -> str:
    value = _text(data, name)
    return value if value in allowed else ""


def _int(data: Mapping[str, Any], name: str) -> int | None:
    value = _text(data, name, 10)
    return int(value) if value.isdigit() else None


# --- units, campaigns, people --------------------------------------------------------------


def filter_unit(actor: Actor, code: str) -> Unit | None:
    """The ``?unit=`` filter: ``None`` when blank or naming no unit in the actor's scope (the
    view shows the inline error: ``minqing.orgs.unit_filters``)."""
    return unit_by_code(actor, code) if code.strip() else None


def person_by_number(actor: Actor, number: str) -> Person | None:
    number = number.strip()
    if not number:
        return None
    return scoped(Person.objects.filter(number=number), actor).first()


def campaigns() -> QuerySet[Campaign]:
    """All campaigns: names and periods are public within the platform."""
    return Campaign.objects.order_by("-start_date", "name")


def _campaign(data: Mapping[str, Any]) -> Campaign | None:
    pk = _int(data, "campaign")
    return Campaign.objects.filter(pk=pk).first() if pk is not None else None


def _in_unit(qs: QuerySet[Any], unit: Unit | None) -> QuerySet[Any]:
    return qs.filter(prefix_q(unit.path)) if unit is not None else qs


# --- power list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PowerFilters:
    unit: Unit | None = None
    category: str = ""
    active: str = ""  # "" all, "yes", "no"
    q: str = ""

    @classmethod
    def from_mapping(cls, actor: Actor, data: Mapping[str, Any]) -> "PowerFilters":
        return cls(
            unit=filter_unit(actor, _text(data, "unit", 32)),
            category=_pick(data, "category", PowerCategory.values),
            active=_pick(data, "active", ["yes", "no"]),
            q=_text(data, "q"),
        )


def power_items(actor: Actor, f: PowerFilters | None = None) -> QuerySet[PowerItem]:
    f = f or PowerFilters()
    qs = _in_unit(scoped(PowerItem.objects.all(), actor), f.unit)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.active:
        qs = qs.filter(is_active=f.active == "yes")
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(code__startswith=f.q) | Q(legal_basis__contains=f.q))
    return qs


def power_page(actor: Actor, f: PowerFilters, page: Any) -> Page[Any]:
    qs = power_items(actor, f).select_related("unit").order_by("unit__code", category_order(), "name", "pk")
    return paginate(qs, page)


def power_get(actor: Actor, pk: int) -> PowerItem:
    item = scoped(PowerItem.objects.filter(pk=pk), actor).select_related("unit").first()
    if item is None:
        raise Http404
    return item


# --- reforms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReformFilters:
    unit: Unit | None = None
    status: str = ""
    key: str = ""  # "" all, "yes", "no"
    campaign: Campaign | None = None
    q: str = ""

    @classmethod
    def from_mapping(cls, actor: Actor, data: Mapping[str, Any]) -> "ReformFilters":
        return cls(
            unit=filter_unit(actor, _text(data, "unit", 32)),
            status=_pick(data, "status", ReformStatus.values),
            key=_pick(data, "key", ["yes", "no"]),
            campaign=_campaign(data),
            q=_text(data, "q"),
        )


def reforms(actor: Actor, f: ReformFilters | None = None) -> QuerySet[ReformMeasure]:
    f = f or ReformFilters()
    qs = _in_unit(scoped(ReformMeasure.objects.all(), actor), f.unit)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.key:
        qs = qs.filter(is_key=f.key == "yes")
    if f.campaign is not None:
        qs = qs.filter(campaign=f.campaign)
    if f.q:
        qs = qs.filter(title__contains=f.q)
    return qs


def reform_page(actor: Actor, f: ReformFilters, page: Any) -> Page[Any]:
    qs = (
        reforms(actor, f)
        .select_related("unit", "campaign")
        .annotate(n_results=Count("results"))
        .order_by("-is_key", "unit__code", "title", "pk")
    )
    return paginate(qs, page)


def reform_get(actor: Actor, pk: int) -> ReformMeasure:
    measure = scoped(ReformMeasure.objects.filter(pk=pk), actor).select_related("unit", "campaign").first()
    if measure is None:
        raise Http404
    return measure


def reform_results(actor: Actor, measure: ReformMeasure) -> QuerySet[Any]:
    """The measure's results, newest first (the measure was fetched through ``reform_get``)."""
    return measure.results.select_related("created_by").order_by("-date", "-pk")


# --- commendations -------------------------------------------------------------------------


@dataclass(frozen=True)
class CommendationFilters:
    unit: Unit | None = None
    title: str = ""
    year: int | None = None
    campaign: Campaign | None = None
    q: str = ""

    @classmethod
    def from_mapping(cls, actor: Actor, data: Mapping[str, Any]) -> "CommendationFilters":
        year = _int(data, "year")
        return cls(
            unit=filter_unit(actor, _text(data, "unit", 32)),
            title=_text(data, "title"),
            year=year if year is not None and 1900 <= year <= 2999 else None,
            campaign=_campaign(data),
            q=_text(data, "q"),
        )


def commendations(actor: Actor, f: CommendationFilters | None = None) -> QuerySet[Commendation]:
    f = f or CommendationFilters()
    qs = _in_unit(scoped(Commendation.objects.all(), actor), f.unit)
    if f.title:
        qs = qs.filter(title=f.title)
    if f.year is not None:
        qs = qs.filter(date__year=f.year)
    if f.campaign is not None:
        qs = qs.filter(campaign=f.campaign)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(title__contains=f.q))
    return qs


def commendation_page(actor: Actor, f: CommendationFilters, page: Any) -> Page[Any]:
    qs = (
        commendations(actor, f)
        .select_related("unit", "campaign")
        .order_by("-date", "unit__code", "title", "name", "pk")
    )
    return paginate(qs, page)


def commendation_get(actor: Actor, pk: int) -> Commendation:
    row = (
        scoped(Commendation.objects.filter(pk=pk), actor).select_related("unit", "person", "campaign").first()
    )
    if row is None:
        raise Http404
    return row


def commendation_choices(actor: Actor) -> tuple[list[str], list[int]]:
    """The titles and years present in the actor's scope: the options of the list's filters."""
    qs = scoped(Commendation.objects.all(), actor).order_by()
    titles = list(qs.values_list("title", flat=True).distinct().order_by("title")[:200])
    years = list(
        qs.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct().order_by("-y")[:50]
    )
    return titles, years
