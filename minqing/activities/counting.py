"""The one counting selector: sessions, person-times and distinct people per activity type.

Used by the pages now and by bulletins later. Scope: activities whose organiser is in the
unit's subtree (and in the actor's scope) and whose start falls in [start, end).

``activity_counts`` reads the rollups (``services/rollups.py``) for the whole local days and
months inside the period, and the tables for the rest: a partial first or last day, and rows
added since the last refresh. ``direct_counts`` counts the same from the tables alone; the
tests hold the two equal and the benchmark measures one against the other.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Q, Sum
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
from minqing.activities.services.rollups import first_of_month, refresh_if_behind, state
from minqing.campaigns.models import Campaign
from minqing.core.batching import chunked
from minqing.core.paths import prefix_q
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


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def rollup_buckets_q(d0: dt.date, d1: dt.date) -> Q:
    """The rollup rows covering the local days [d0, d1): whole months by month, the rest by day."""
    m0 = d0 if d0.day == 1 else _next_month(d0)
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
    if start < _midnight(d0):
        edges.append((start, _midnight(d0)))
    if end > _midnight(d1):
        edges.append((_midnight(d1), end))
    return rollup_buckets_q(d0, d1), edges


def activity_counts(
    actor: Any,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    campaign: Campaign | None = None,
    types: list[ActivityType] | None = None,
) -> list[TypeCount]:
    """Counts per type for ``unit``'s subtree in [start, end); ``actor=None`` is the system.

    An actor who may see ``unit`` sees its whole subtree (scopes are subtrees), so the actor's
    scope needs no further filter once ``can_access_unit`` holds."""
    if actor is not None and not can_access_unit(actor, unit):
        return []
    refresh_if_behind()
    return consistent_read(lambda st: _counts(unit, start, end, campaign, types, st))


READ_TRIES = 3
T = TypeVar("T")


def _marks(st: RollupState) -> tuple[int, int]:
    return st.activity_mark, st.attendance_mark


def consistent_read(read: Callable[[RollupState], T]) -> T:
    """``read(st)`` (the rollups, then the rows above the marks ``st``) as of one refresh.

    A refresh commits its rollups and its new marks together, and marks only grow. If the marks
    are the same after the read as before it, no refresh committed in between, so no row was
    counted twice (in the rollups and in the tail) or not at all. This holds on either database,
    inside a transaction or not, and takes no lock. If refreshes keep committing, the last try
    holds the state row, which a refresh locks first, so none can commit during it."""
    for _ in range(READ_TRIES - 1):
        st = state()
        out = read(st)
        if _marks(state()) == _marks(st):
            return out
    with transaction.atomic():
        st = RollupState.objects.select_for_update().get(pk=state().pk)
        return read(st)


def _counts(
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    campaign: Campaign | None,
    types: list[ActivityType] | None,
    st: RollupState,
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

    for path, at, camp, a_type, a_hc in Activity.objects.filter(id__gt=st.activity_mark).values_list(
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
    tail = [
        row
        for row in Attendance.objects.filter(id__gt=st.attendance_mark).values_list(
            "path", "start", "type_id", "activity_id", "person_id"
        )
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
    actor: Any,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    campaign: Campaign | None = None,
    types: list[ActivityType] | None = None,
) -> list[TypeCount]:
    """``activity_counts`` from the tables alone (grouped queries, no rollups): the reference."""
    if actor is not None and not can_access_unit(actor, unit):
        return []
    acts = Activity.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    rows = Attendance.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    if actor is not None:
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
