"""The one counting selector: sessions, person-times and distinct people per activity type.

Used by the pages, the dashboard and the bulletins. Scope: activities whose organiser is in the
unit's subtree (and in the actor's scope) and whose start falls in [start, end).

``activity_counts`` reads the rollups (``services/rollups.py``) for the whole local days and
months inside the period, and the tables for the rest: a partial first or last day, and rows
added since the last refresh (the tail). ``direct_counts`` counts the same from the tables
alone; the tests hold the two equal and the benchmark measures one against the other.
``totals_by_unit`` and ``totals_by_month`` give sessions and person-times of many units or
many months in a few grouped queries (the dashboard's child units and chart).

Every read here only reads: the rollups are refreshed by the jobs and commands (see
``services/rollups.py``), never by a reader, so a read-only connection (a replica) serves them.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from pyroaring import BitMap

from minqing.activities.models import (
    Activity,
    ActivityRollup,
    ActivityType,
    Attendance,
    RollupLevel,
    RollupState,
)
from minqing.activities.services.rollups import TAIL_ROWS, pending_rows, read_state
from minqing.campaigns.models import Campaign
from minqing.core.batching import chunked
from minqing.core.local_days import first_of_month, midnight, next_month
from minqing.core.paths import any_prefix_q, prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit, scope_q


@dataclass
class TypeCount:
    type: ActivityType
    sessions: int = 0
    person_times: int = 0  # roster rows + headcounts of activities without a roster
    people: int = 0  # distinct persons on rosters
    headcount_only: int = 0  # activities counted by headcount (no roster)

    @property
    def has_headcount_only(self) -> bool:
        return self.headcount_only > 0


@dataclass
class _Acc:
    sessions: int = 0
    headcount: int = 0
    headcount_only: int = 0
    roster_rows: int = 0
    people: BitMap | None = None

    def add_people(self, people: BitMap) -> None:
        if self.people is None:
            self.people = BitMap()
        self.people |= people


def _types(types: list[ActivityType] | None) -> list[ActivityType]:
    return types if types is not None else list(ActivityType.objects.all())


def rollup_buckets_q(d0: dt.date, d1: dt.date) -> Q:
    """The rollup rows covering the local days [d0, d1): whole months by month, the rest by day."""
    m0 = d0 if d0.day == 1 else next_month(d0)
    m1 = first_of_month(d1)
    if m0 >= m1:
        return Q(level=RollupLevel.DAY, bucket__gte=d0, bucket__lt=d1)
    q = Q(level=RollupLevel.MONTH, bucket__gte=m0, bucket__lt=m1)
    if d0 < m0:
        q |= Q(level=RollupLevel.DAY, bucket__gte=d0, bucket__lt=m0)
    if m1 < d1:
        q |= Q(level=RollupLevel.DAY, bucket__gte=m1, bucket__lt=d1)
    return q


def _split(start: dt.datetime, end: dt.datetime) -> tuple[Q | None, list[tuple[dt.datetime, dt.datetime]]]:
    """The rollup buckets wholly inside [start, end), and the partial-day edges left over."""
    ls = timezone.localtime(start)
    d0 = ls.date() if ls.time() == dt.time() else ls.date() + dt.timedelta(days=1)
    d1 = timezone.localtime(end).date()
    if d0 >= d1:
        return None, [(start, end)] if start < end else []
    edges = []
    if start < midnight(d0):
        edges.append((start, midnight(d0)))
    if end > midnight(d1):
        edges.append((midnight(d1), end))
    return rollup_buckets_q(d0, d1), edges


def activity_counts(
    actor: Actor,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    campaign: Campaign | None = None,
    types: list[ActivityType] | None = None,
) -> list[TypeCount]:
    """Counts per type for ``unit``'s subtree in [start, end); nothing for a unit the actor may not see.

    An actor who may see ``unit`` sees its whole subtree (scopes are subtrees), so the actor's
    scope needs no further filter once ``can_access_unit`` holds."""
    if not can_access_unit(actor, unit):
        return []
    return consistent_read(
        lambda st, waiting: _counts(unit, start, end, campaign, types, st, waiting),
        lambda: direct_counts(actor, unit, start, end, campaign=campaign, types=types),
    )


READ_TRIES = 3
T = TypeVar("T")


def _marks(st: RollupState) -> tuple[int, int]:
    return st.activity_mark, st.attendance_mark


def consistent_read(read: Callable[[RollupState, bool], T], direct: Callable[[], T]) -> T:
    """``read(st, waiting)`` (the rollups, then the rows above the marks ``st``; ``waiting``: rows
    were above the marks when the read began, else it need not look) as of one refresh, else
    ``direct()`` (the same figures from the tables alone).

    A refresh commits its rollups and its new marks together, and marks only grow. If the marks
    are the same after the read as before it, no refresh committed in between, so no row was
    counted twice (in the rollups and in the tail) or not at all. This holds on either database,
    inside a transaction or not. Reads never refresh the rollups (the jobs do, see
    ``services/rollups.py``): when more than ``TAIL_ROWS`` rows wait above the marks, or when
    refreshes keep committing during ``READ_TRIES`` reads, ``direct()`` counts the tables alone,
    slower but exact. Nothing is written and nothing locked, so a read-only connection (a
    replica) serves every count."""
    for _ in range(READ_TRIES):
        st = read_state()
        waiting = pending_rows(TAIL_ROWS, st)
        if waiting > TAIL_ROWS:
            return direct()
        out = read(st, waiting > 0)
        if _marks(read_state()) == _marks(st):
            return out
    return direct()


def _counts(
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    campaign: Campaign | None,
    types: list[ActivityType] | None,
    st: RollupState,
    waiting: bool,
) -> list[TypeCount]:
    acc: dict[int, _Acc] = {}

    def get(type_id: int) -> _Acc:
        a = acc.get(type_id)
        if a is None:
            a = acc[type_id] = _Acc()
        return a

    buckets, edges = _split(start, end)
    if buckets is not None:
        qs = ActivityRollup.objects.filter(buckets, path=unit.path)
        if campaign is not None:
            qs = qs.filter(campaign_key=campaign.pk)
        for type_id, sessions, hc, hco, roster, people in qs.values_list(
            "type_id", "sessions", "headcount", "headcount_only", "roster_rows", "people"
        ):
            a = get(type_id)
            a.sessions += sessions
            a.headcount += hc
            a.headcount_only += hco
            a.roster_rows += roster
            if people:
                a.add_people(BitMap.deserialize(bytes(people)))

    campaign_id = campaign.pk if campaign is not None else None

    def keep(path: str, at: dt.datetime, camp: int | None) -> bool:
        return (
            path.startswith(unit.path) and start <= at < end and (campaign_id is None or camp == campaign_id)
        )

    # activities added since the last refresh, then those of the partial days
    def count_activity(type_id: int, headcount: int | None) -> None:
        a = get(type_id)
        a.sessions += 1
        if headcount is not None:
            a.headcount += headcount
            a.headcount_only += 1

    new_activities = Activity.objects.filter(id__gt=st.activity_mark) if waiting else Activity.objects.none()
    for path, at, camp, a_type, a_hc in new_activities.values_list(
        "path", "start", "campaign_id", "type_id", "headcount"
    ):
        if keep(path, at, camp):
            count_activity(a_type, a_hc)
    edge_ids: list[int] = []
    for lo, hi in edges:
        qs_a = Activity.objects.filter(
            prefix_q(unit.path), start__gte=lo, start__lt=hi, id__lte=st.activity_mark
        )
        if campaign is not None:
            qs_a = qs_a.filter(campaign=campaign)
        for pk, e_type, e_hc in qs_a.values_list("id", "type_id", "headcount"):
            count_activity(e_type, e_hc)
            edge_ids.append(pk)

    # attendance added since the last refresh, then that of the partial days' activities
    extra: dict[int, list[int]] = {}
    new_rows = Attendance.objects.filter(id__gt=st.attendance_mark) if waiting else Attendance.objects.none()
    tail = [
        row
        for row in new_rows.values_list("path", "start", "type_id", "activity_id", "person_id")
        if keep(row[0], row[1], campaign_id)  # the campaign is checked next, without a join
    ]
    in_campaign: set[int] | None = None
    if campaign is not None:
        in_campaign = set()
        for part in chunked(sorted({row[3] for row in tail})):
            in_campaign.update(
                Activity.objects.filter(id__in=part, campaign=campaign).values_list("id", flat=True)
            )
    for _path, _at, type_id, activity_id, person_id in tail:
        if in_campaign is None or activity_id in in_campaign:
            extra.setdefault(type_id, []).append(person_id)
    for part in chunked(edge_ids):
        for type_id, person_id in Attendance.objects.filter(
            activity_id__in=part, id__lte=st.attendance_mark
        ).values_list("type_id", "person_id"):
            extra.setdefault(type_id, []).append(person_id)
    for x_type, persons in extra.items():
        a = get(x_type)
        a.roster_rows += len(persons)
        a.add_people(BitMap(persons))

    out = []
    for t in _types(types):
        a = acc.get(t.pk, _Acc())
        out.append(
            TypeCount(
                t,
                sessions=a.sessions,
                person_times=a.headcount + a.roster_rows,
                people=len(a.people) if a.people is not None else 0,
                headcount_only=a.headcount_only,
            )
        )
    return out


def direct_counts(
    actor: Actor,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    campaign: Campaign | None = None,
    types: list[ActivityType] | None = None,
) -> list[TypeCount]:
    """``activity_counts`` from the tables alone (grouped queries, no rollups): the reference."""
    if not can_access_unit(actor, unit):
        return []
    acts = Activity.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    rows = Attendance.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    acts = acts.filter(scope_q(actor))
    rows = rows.filter(scope_q(actor))
    if campaign is not None:
        acts = acts.filter(campaign=campaign)
        rows = rows.filter(activity__campaign=campaign)
    out = {t.pk: TypeCount(t) for t in _types(types)}
    # an activity has a roster or a headcount, never both (attendance_check_in refuses it)
    for r in acts.values("type_id").annotate(
        n=Count("id"), hc=Sum("headcount"), hco=Count("id", filter=Q(headcount__isnull=False))
    ):
        if r["type_id"] in out:
            out[r["type_id"]].sessions = r["n"]
            out[r["type_id"]].person_times += r["hc"] or 0
            out[r["type_id"]].headcount_only = r["hco"]
    for r in rows.values("type_id").annotate(n=Count("id"), p=Count("person_id", distinct=True)):
        if r["type_id"] in out:
            out[r["type_id"]].person_times += r["n"]
            out[r["type_id"]].people = r["p"]
    return list(out.values())


# --- batched totals: many units, or many months, in a few grouped queries ----------------------


@dataclass
class ActivityTotals:
    sessions: int = 0
    person_times: int = 0
    headcount_only: int = 0  # activities counted by their recorded headcount (no roster)

    def add(self, sessions: int, headcount: int, headcount_only: int, roster_rows: int) -> None:
        self.sessions += sessions
        self.person_times += headcount + roster_rows
        self.headcount_only += headcount_only


Sums = tuple[Any, int, int, int, int]  # key, sessions, headcount, headcount_only, roster rows


def _rollup_sums(
    paths: list[str], d0: dt.date, d1: dt.date, campaign: Campaign | None, by: str
) -> list[Sums]:
    """The rollups of ``paths`` over the local days [d0, d1), summed per ``by`` (path or bucket)."""
    qs = ActivityRollup.objects.filter(rollup_buckets_q(d0, d1), path__in=paths)
    if campaign is not None:
        qs = qs.filter(campaign_key=campaign.pk)
    rows = (
        qs.values_list(by)
        .annotate(s=Sum("sessions"), h=Sum("headcount"), ho=Sum("headcount_only"), r=Sum("roster_rows"))
        .order_by()
    )
    return [(k, s or 0, h or 0, ho or 0, r or 0) for k, s, h, ho, r in rows]


def _table_sums(
    where: Q, d0: dt.date, d1: dt.date, campaign: Campaign | None, key: Any, above: RollupState | None
) -> list[Sums]:
    """Activities and attendance matching ``where`` that start in the local days [d0, d1), summed
    per the expression ``key``; with ``above``, only the rows above its marks (the tail)."""
    span = Q(start__gte=midnight(d0), start__lt=midnight(d1))
    all_acts = Activity.objects.filter(where, span)
    all_rows = Attendance.objects.filter(where, span)
    acts: QuerySet[Activity] | None = all_acts
    rows: QuerySet[Attendance] | None = all_rows
    if above is not None:
        # the tail by its ids (at most about TAIL_ROWS, read by the primary key): filtered by
        # ``id > mark`` alone, SQLite's planner reads the whole subtree's period by the path
        # index instead (0.45 s for a prefecture's year at the city tier, for a tail of 0 rows)
        acts = _tail(all_acts, Activity.objects.filter(id__gt=above.activity_mark))
        rows = _tail(all_rows, Attendance.objects.filter(id__gt=above.attendance_mark))
    if campaign is not None:
        acts = acts.filter(campaign=campaign) if acts is not None else None
        rows = rows.filter(activity__campaign=campaign) if rows is not None else None
    out: list[Sums] = []
    if acts is not None:
        out += [
            (k, n, hc or 0, hco, 0)
            for k, n, hc, hco in acts.annotate(k=key)
            .values_list("k")
            .annotate(n=Count("id"), hc=Sum("headcount"), hco=Count("headcount"))
            .order_by()
        ]
    if rows is not None:
        out += [
            (k, 0, 0, 0, n)
            for k, n in rows.annotate(k=key).values_list("k").annotate(n=Count("id")).order_by()
        ]
    return out


M = TypeVar("M", Activity, Attendance)


def _tail(qs: "QuerySet[M]", above: "QuerySet[M]") -> "QuerySet[M] | None":
    """``qs`` narrowed to the rows of ``above`` by their ids; ``None`` when there are none."""
    ids = list(above.order_by().values_list("id", flat=True))
    return qs.filter(id__in=ids) if ids else None


def totals_by_unit(
    actor: Actor, units: Iterable[Unit], start: dt.date, end: dt.date, *, campaign: Campaign | None = None
) -> dict[int, ActivityTotals]:
    """Sessions and person-times of each unit's subtree over the local days [start, end), by unit
    id (units not nested in one another; those the actor may not see are left out).

    One GROUP BY over the rollups for all the units and one over the tail per path length,
    instead of one ``activity_counts`` (seven queries) per unit."""
    units = [u for u in units if can_access_unit(actor, u)]
    out = {u.pk: ActivityTotals() for u in units}
    if not units or start >= end:
        return out
    by_path = {u.path: out[u.pk] for u in units}
    by_length: dict[int, list[str]] = {}
    for path in by_path:
        by_length.setdefault(len(path), []).append(path)

    def tables(above: RollupState | None) -> list[Sums]:
        sums: list[Sums] = []
        for length, paths in by_length.items():
            sums += _table_sums(any_prefix_q(paths), start, end, campaign, Substr("path", 1, length), above)
        return sums

    for path, *sums in consistent_read(
        lambda st, waiting: (
            _rollup_sums(list(by_path), start, end, campaign, "path") + (tables(st) if waiting else [])
        ),
        lambda: tables(None),
    ):
        if path in by_path:
            by_path[path].add(*sums)
    return out


def totals_by_month(
    actor: Actor, unit: Unit, start: dt.date, end: dt.date, *, campaign: Campaign | None = None
) -> dict[dt.date, ActivityTotals]:
    """Sessions and person-times of ``unit``'s subtree over the local days [start, end), by the
    first day of each local month (months without any are left out; nothing for a unit the
    actor may not see)."""
    out: dict[dt.date, ActivityTotals] = {}
    if start >= end or not can_access_unit(actor, unit):
        return out

    def tables(above: RollupState | None) -> list[Sums]:
        sums = _table_sums(prefix_q(unit.path), start, end, campaign, TruncMonth("start"), above)
        return [(timezone.localtime(k).date(), s, h, ho, r) for k, s, h, ho, r in sums]

    for day, *sums in consistent_read(
        lambda st, waiting: (
            _rollup_sums([unit.path], start, end, campaign, "bucket") + (tables(st) if waiting else [])
        ),
        lambda: tables(None),
    ):
        out.setdefault(first_of_month(day), ActivityTotals()).add(*sums)
    return dict(sorted(out.items()))
