"""Activity figures of the dashboard, all from the counting API (``minqing.activities.counting``).

Per activity type (sessions 次/场, person-times 人次, distinct people 人) the figures come from
``activity_counts``; sessions and person-times per month and per child unit from its batched
``totals_by_month`` and ``totals_by_unit`` (a few grouped queries instead of one
``activity_counts`` per month and per child, which cost a second for a prefecture with its 95
child units). The dashboard's periods are whole local days. The tests hold the batches equal
to ``activity_counts``.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from minqing.activities.counting import (
    ActivityTotals,
    TypeCount,
    activity_counts,
    totals_by_month,
    totals_by_unit,
)
from minqing.campaigns.models import Campaign
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit
from minqing.reports.dashboard.period import Period


@dataclass(frozen=True)
class SeriesPoint:
    label: str  # 2019-10, or 2019 for a long period
    sessions: int
    person_times: int


def totals(rows: Iterable[TypeCount]) -> ActivityTotals:
    rows = list(rows)
    return ActivityTotals(
        sessions=sum(r.sessions for r in rows),
        person_times=sum(r.person_times for r in rows),
        headcount_only=sum(r.headcount_only for r in rows),
    )


def activities_by_type(
    actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None
) -> list[TypeCount]:
    if not period.valid:
        return []
    return activity_counts(actor, unit, period.start_at, period.end_at, campaign=campaign)


def _days(period: Period) -> tuple[dt.date, dt.date]:
    """The period as local days [first, last + 1)."""
    return period.start, period.end + dt.timedelta(days=1)


def activity_totals_by_unit(
    actor: Actor, units: Iterable[Unit], period: Period, campaign: Campaign | None = None
) -> dict[int, ActivityTotals]:
    """Sessions and person-times of each unit's subtree (units not nested in one another)."""
    return totals_by_unit(actor, units, *_days(period), campaign=campaign)


def activity_series(
    actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None
) -> list[SeriesPoint]:
    """Sessions and person-times per month of the period (per year past three years)."""
    buckets = period.buckets()
    if not buckets or not can_access_unit(actor, unit):
        return []
    yearly = len(buckets[0][0]) == 4
    acc = {b[0]: ActivityTotals() for b in buckets}
    for month, t in totals_by_month(actor, unit, *_days(period), campaign=campaign).items():
        one = acc[str(month.year) if yearly else f"{month.year}-{month.month:02d}"]
        one.sessions += t.sessions
        one.person_times += t.person_times
    return [SeriesPoint(k, t.sessions, t.person_times) for k, t in acc.items()]
