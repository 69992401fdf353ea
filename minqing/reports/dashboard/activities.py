"""Activity figures of the dashboard.

Per activity type (sessions 次/场, person-times 人次, distinct people 人) the figures come from
``minqing.activities.counting.activity_counts``, the one counting selector.

Sessions and person-times per month and per child unit read the same rollups in batches: one
GROUP BY for all the months of the unit, one for all its children, instead of one
``activity_counts`` call (seven queries) per month and per child, which cost a second for a
prefecture with its 95 child units. The dashboard's periods are whole local days, so only whole
day and month buckets are read; the rows added since the last rollup refresh (above the marks
in ``RollupState``) are counted from the tables, exactly as ``activity_counts`` does, with the
rollups and that tail read as of one refresh (``consistent_read``). The tests hold both
equal to ``activity_counts``.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from minqing.activities.counting import TypeCount, activity_counts, consistent_read, rollup_buckets_q
from minqing.activities.models import Activity, ActivityRollup, Attendance, RollupState
from minqing.activities.services.rollups import refresh_if_behind
from minqing.campaigns.models import Campaign
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit
from minqing.reports.dashboard.period import Period


@dataclass
class ActivityTotals:
    sessions: int = 0
    person_times: int = 0
    headcount_only: int = 0  # activities counted by their recorded headcount (no roster)


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
    actor: Any, unit: Unit, period: Period, campaign: Campaign | None = None
) -> list[TypeCount]:
    if not period.valid:
        return []
    return activity_counts(actor, unit, period.start_at, period.end_at, campaign=campaign)


# --- batched reads of the rollups -------------------------------------------------------------


def _rollup_rows(paths: list[str], period: Period, campaign: Campaign | None, by: str) -> Any:
    d0, d1 = period.start, period.end + dt.timedelta(days=1)
    qs = ActivityRollup.objects.filter(rollup_buckets_q(d0, d1), path__in=paths)
    if campaign is not None:
        qs = qs.filter(campaign_key=campaign.pk)
    return (
        qs.values_list(*by.split(","))
        .annotate(s=Sum("sessions"), h=Sum("headcount"), ho=Sum("headcount_only"), r=Sum("roster_rows"))
        .order_by()
    )


def _tail(
    st: RollupState, period: Period, campaign: Campaign | None
) -> tuple[list[tuple[str, dt.datetime, int | None]], Any]:
    """Activities (path, start, headcount) and attendance (path, start) above the marks ``st``.

    The caller reads the rollups and this tail in one ``consistent_read``, as ``activity_counts``
    does, so that a refresh committed meanwhile cannot lose or double rows."""
    lo, hi = period.start_at, period.end_at
    acts = Activity.objects.filter(id__gt=st.activity_mark, start__gte=lo, start__lt=hi)
    rows = Attendance.objects.filter(id__gt=st.attendance_mark, start__gte=lo, start__lt=hi)
    if campaign is not None:
        acts = acts.filter(campaign=campaign)
        rows = rows.filter(activity__campaign=campaign)
    return list(acts.values_list("path", "start", "headcount")), list(rows.values_list("path", "start"))


def activity_totals_by_unit(
    actor: Any, units: Iterable[Unit], period: Period, campaign: Campaign | None = None
) -> dict[int, ActivityTotals]:
    """Sessions and person-times of each unit's subtree (units not nested in one another)."""
    units = [u for u in units if actor is None or can_access_unit(actor, u)]
    out = {u.pk: ActivityTotals() for u in units}
    if not units or not period.valid:
        return out
    refresh_if_behind()  # writes, so before the snapshot
    by_path = {u.path: out[u.pk] for u in units}
    rollups, (acts, rows) = consistent_read(
        lambda st: (list(_rollup_rows(list(by_path), period, campaign, "path")), _tail(st, period, campaign))
    )
    for path, sessions, headcount, headcount_only, roster in rollups:
        t = by_path[path]
        t.sessions += sessions or 0
        t.person_times += (headcount or 0) + (roster or 0)
        t.headcount_only += headcount_only or 0
    lengths = sorted({len(p) for p in by_path})

    def owner(path: str) -> ActivityTotals | None:
        for n in lengths:
            t = by_path.get(path[:n])
            if t is not None:
                return t
        return None

    for path, _start, headcount in acts:
        found = owner(path)
        if found is not None:
            found.sessions += 1
            if headcount is not None:
                found.person_times += headcount
                found.headcount_only += 1
    for path, _start in rows:
        found = owner(path)
        if found is not None:
            found.person_times += 1
    return out


def activity_series(
    actor: Any, unit: Unit, period: Period, campaign: Campaign | None = None
) -> list[SeriesPoint]:
    """Sessions and person-times per month of the period (per year past three years)."""
    buckets = period.buckets()
    if not buckets or (actor is not None and not can_access_unit(actor, unit)):
        return []
    yearly = len(buckets[0][0]) == 4

    def label(day: dt.date) -> str:
        return str(day.year) if yearly else f"{day.year}-{day.month:02d}"

    acc = {b[0]: ActivityTotals() for b in buckets}
    refresh_if_behind()  # writes, so before the snapshot
    rollups, (acts, rows) = consistent_read(
        lambda st: (list(_rollup_rows([unit.path], period, campaign, "bucket")), _tail(st, period, campaign))
    )
    for bucket, sessions, headcount, _ho, roster in rollups:
        t = acc[label(bucket)]
        t.sessions += sessions or 0
        t.person_times += (headcount or 0) + (roster or 0)
    for path, start, headcount in acts:
        if path.startswith(unit.path):
            t = acc[label(timezone.localtime(start).date())]
            t.sessions += 1
            t.person_times += headcount or 0
    for path, start in rows:
        if path.startswith(unit.path):
            acc[label(timezone.localtime(start).date())].person_times += 1
    return [SeriesPoint(k, t.sessions, t.person_times) for k, t in acc.items()]
