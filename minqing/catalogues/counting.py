"""The catalogue figures a bulletin prints, counted from the records (never stored as totals).

Each ``*_summary`` takes a queryset (already scoped and filtered: the pages pass the actor's,
a bulletin one over a unit's subtree) and counts it; the ``*_counts`` functions build that
queryset for a unit path and a date, for the bulletin generator:

- ``catalogue.power.departments / categories / items``: power-list items in force (有效) published
  by the date (an item without a 公布日期 counts from when it was recorded), the distinct
  departments owning them and the distinct categories;
- ``reforms.measures / results / key / key_with_staged_result``: measures started by the date
  (a measure without a 启动日期 from when it was recorded), optionally since a date; their
  results dated by then; key measures; key measures with at least one result by then;
- ``commendations.count``: commendations counted in the period, optionally of one title: a
  commendation counts on its decision date (表彰决定日期) when it has one, else on its 表彰日期
  (the ceremony), since the decision is what makes the commendation (``counted_on``).

A measure's status (未启动 / 推进中 / 已完成) is its current one: the catalogue keeps no history
of status changes, so ``completed`` is "as now", not "as of the date".
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from minqing.catalogues.models import (
    Commendation,
    PowerCategory,
    PowerItem,
    ReformMeasure,
    ReformResult,
    ReformStatus,
)
from minqing.core.paths import prefix_q

TOP_DEPARTMENTS = 100


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    extra: int = 0  # departments of a category; results of a department; ...


@dataclass(frozen=True)
class PowerSummary:
    items: int
    departments: int
    categories: int
    by_category: list[Bucket] = field(default_factory=list)
    by_department: list[Bucket] = field(default_factory=list)  # the largest TOP_DEPARTMENTS


def power_summary(qs: QuerySet[PowerItem], *, detail: bool = True) -> PowerSummary:
    qs = qs.order_by()
    agg = qs.aggregate(
        items=Count("id"),
        departments=Count("unit", distinct=True),
        categories=Count("category", distinct=True),
    )
    if not detail:
        return PowerSummary(agg["items"], agg["departments"], agg["categories"])
    labels = dict(PowerCategory.choices)
    order = {v: i for i, v in enumerate(PowerCategory.values)}
    by_cat = sorted(
        (
            Bucket(r["category"], str(labels.get(r["category"], r["category"])), r["n"], r["d"])
            for r in qs.values("category").annotate(n=Count("id"), d=Count("unit", distinct=True))
        ),
        key=lambda b: order.get(b.key, len(order)),
    )
    by_dep = [
        Bucket(r["unit__code"], r["unit__name"], r["n"], r["c"])
        for r in qs.values("unit__code", "unit__name")
        .annotate(n=Count("id"), c=Count("category", distinct=True))
        .order_by("-n", "unit__code")[:TOP_DEPARTMENTS]
    ]
    return PowerSummary(agg["items"], agg["departments"], agg["categories"], by_cat, by_dep)


def powers_as_of(path: str, as_of: dt.date | None = None) -> QuerySet[PowerItem]:
    qs = PowerItem.objects.filter(prefix_q(path), is_active=True)
    if as_of is not None:
        qs = qs.filter(Q(published_on__lte=as_of) | Q(published_on__isnull=True, created_at__date__lte=as_of))
    return qs


def power_counts(path: str, as_of: dt.date | None = None) -> PowerSummary:
    """Items in force under ``path`` by ``as_of``; departments; categories."""
    return power_summary(powers_as_of(path, as_of), detail=False)


@dataclass(frozen=True)
class ReformSummary:
    measures: int
    key: int
    completed: int
    in_progress: int
    not_started: int
    results: int
    key_with_result: int


def reform_summary(qs: QuerySet[ReformMeasure], *, results_by: dt.date | None = None) -> ReformSummary:
    """Counts of the measures of ``qs``; results (and "key with a result") dated by ``results_by``."""
    qs = qs.order_by()
    res = ReformResult.objects.filter(measure__in=qs.values("pk"))
    if results_by is not None:
        res = res.filter(date__lte=results_by)
    with_result = Exists(res.filter(measure=OuterRef("pk")))
    agg = qs.aggregate(
        measures=Count("id"),
        key=Count("id", filter=Q(is_key=True)),
        completed=Count("id", filter=Q(status=ReformStatus.COMPLETED)),
        in_progress=Count("id", filter=Q(status=ReformStatus.IN_PROGRESS)),
        not_started=Count("id", filter=Q(status=ReformStatus.NOT_STARTED)),
        key_with_result=Count("id", filter=Q(is_key=True) & Q(with_result)),
    )
    return ReformSummary(
        agg["measures"],
        agg["key"],
        agg["completed"],
        agg["in_progress"],
        agg["not_started"],
        res.count(),
        agg["key_with_result"],
    )


def reforms_as_of(
    path: str, as_of: dt.date | None = None, since: dt.date | None = None
) -> QuerySet[ReformMeasure]:
    qs = ReformMeasure.objects.filter(prefix_q(path))
    if as_of is not None:
        qs = qs.filter(Q(started_on__lte=as_of) | Q(started_on__isnull=True, created_at__date__lte=as_of))
    if since is not None:
        qs = qs.filter(started_on__gte=since)
    return qs


def reform_counts(path: str, as_of: dt.date | None = None, since: dt.date | None = None) -> ReformSummary:
    return reform_summary(reforms_as_of(path, as_of, since), results_by=as_of)


@dataclass(frozen=True)
class CommendationSummary:
    count: int
    people: int  # distinct honourees (unit + name)
    by_title: list[Bucket] = field(default_factory=list)
    by_year: list[Bucket] = field(default_factory=list)


def commendation_summary(qs: QuerySet[Commendation]) -> CommendationSummary:
    qs = qs.order_by()
    total = qs.count()
    people = qs.values("unit_id", "name").distinct().count()
    by_title = [
        Bucket(r["title"], r["title"], r["n"])
        for r in qs.values("title").annotate(n=Count("id")).order_by("-n", "title")
    ]
    by_year = [
        Bucket(str(r["year"]), str(r["year"]), r["n"])
        for r in qs.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    ]
    return CommendationSummary(total, people, by_title, by_year)


COUNTED_ON = "counted_on"


def with_counted_on(qs: QuerySet[Commendation]) -> QuerySet[Commendation]:
    """``qs`` annotated with ``counted_on``: the decision date when given, else the 表彰日期."""
    return qs.annotate(**{COUNTED_ON: Coalesce("decided_on", "date")})


def commendation_counts(
    path: str, start: dt.date | None = None, end: dt.date | None = None, title: str = ""
) -> int:
    """Commendations under ``path`` counted in [start, end] (either open), optionally of one title:
    on their decision date when they have one, else on their 表彰日期."""
    qs = with_counted_on(Commendation.objects.filter(prefix_q(path)))
    if start is not None:
        qs = qs.filter(**{f"{COUNTED_ON}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{COUNTED_ON}__lte": end})
    if title:
        qs = qs.filter(title=title)
    return qs.count()
