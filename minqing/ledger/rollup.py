"""The problem rollup behind ``figures`` and ``satisfaction``: problems counted per unit down to
the county, local month of registration and every value the figures group by (and by their
latest judgement, for 满意率), so that a prefecture's or a province's year is counted from a few
thousand rows instead of every problem.

Problems change (their state above all), so the rollup is not followed by id like the activity
rollups: triggers on ``ledger_problem`` (migration 0013) write a ``ProblemRollupChange`` row, the
problem's path and registration time, for every new or deleted problem and every problem whose
counted values, judgement or latest event changed (its old place and its new one).
``rollup_refresh`` counts again each (cut path, month) bucket those rows name, with the latest
event of each bucket (``ProblemRollupBucket``), and removes the rows it read, in short
transactions.
Only writers run it (the minute job in ``tasks.py``, the demo, ``minqing rollup-problems``),
never a reader.

Readers (``plan``) take a period's whole local months from the rollup and the rest from the
problems:

- the days before the first and after the last whole month;
- the months with a change not folded in yet under the unit (with more than ``PENDING_LIMIT``
  changes, or before the first build, the whole period is read from the problems, slower but
  exact);
- for a state as of an earlier instant (a past period's figures, 满意率 before the period's
  end), the months with an event since under the unit (``ProblemRollupBucket.latest``): the
  rollup holds each problem in its state now.

The change rows are read before the rollup, so a refresh between the two reads loses nothing:
the rollup then already holds what the changes named.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Count, DateField, Expression, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from minqing.core.batching import chunked
from minqing.core.local_days import first_of_month, midnight, next_month
from minqing.core.paths import COUNTY_PATH, any_prefix_q, not_by_index, prefix_q
from minqing.ledger.enums import DONE_STATES, OPEN_STATES, Satisfaction
from minqing.ledger.models import (
    Problem,
    ProblemRollup,
    ProblemRollupBucket,
    ProblemRollupChange,
    ProblemRollupState,
)

STATE = "problems"
CUT = COUNTY_PATH  # path characters kept: province, prefecture, county
PENDING_LIMIT = 2_000  # more changes waiting than this: the figures read the problems alone
WRITE_BATCH = 2_000
SHORT_MONTHS = 3  # a period of at most this many whole months reads the rollup month first
BUCKETS_PER_TRANSACTION = 50  # a refresh's write transactions stay short

# a judgement (满意率) and the rollup's column counting the problems it is the latest of
JUDGED = {
    Satisfaction.SATISFIED: "satisfied",
    Satisfaction.BASICALLY: "basically",
    Satisfaction.UNSATISFIED: "unsatisfied",
}

Bucket = tuple[str, dt.date]  # cut path, first day of the local month
# source, channel, prominent, state, resolution kind, due date, overdue
Values = tuple[str, str, bool, str, str, dt.date | None, bool]
# source, channel, prominent, state, resolution kind, late (an open problem past its deadline)
Tallied = tuple[str, str, bool, str, str, bool]


def cut(path: str) -> str:
    return path[:CUT]


def month_of(at: dt.datetime) -> dt.date:
    """The first day of the local month of ``at``."""
    return first_of_month(timezone.localtime(at).date())


def whole_months(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The first days of the first whole local month in [start, end) and of the month after the
    last one; None without a whole month."""
    local = timezone.localtime(start)
    first = first_of_month(local.date())
    if local != midnight(first):
        first = next_month(first)
    last = first_of_month(timezone.localtime(end).date())
    if first >= last or midnight(last) > end:
        return None
    return first, last


def values(source: str, channel: str, prominent: bool, state: str, kind: str,
           due_date: dt.date | None, overdue: bool) -> Values:  # fmt: skip
    """The values as the rollup keeps them: a resolution kind only while resolved, a due date and
    the overdue flag only while open."""
    is_open = state in OPEN_STATES
    return (
        source, channel or "", bool(prominent), state, (kind or "") if state in DONE_STATES else "",
        due_date if is_open else None, bool(overdue) if is_open else False,
    )  # fmt: skip


# --- the reader's side ---------------------------------------------------------------------------


def read_state() -> ProblemRollupState | None:
    return ProblemRollupState.objects.filter(name=STATE, built=True).first()


def pending() -> frozenset[Bucket] | None:
    """The buckets named by changes not folded in yet; None (the rollup cannot serve) before the
    first build or with more than ``PENDING_LIMIT`` changes waiting. Read before the rollup
    itself (see the module's note)."""
    if read_state() is None:
        return None
    rows = list(
        ProblemRollupChange.objects.order_by("id").values_list("path", "registered_at")[: PENDING_LIMIT + 1]
    )
    if len(rows) > PENDING_LIMIT:
        return None
    return frozenset((cut(p), month_of(at)) for p, at in rows)


def bucket_q(bucket: Bucket) -> Q:
    """The problems of one bucket: a cut path names its own problems only when shorter than
    ``CUT`` (a unit above the county), else its whole subtree."""
    path, month = bucket
    where = prefix_q(path) if len(path) >= CUT else Q(path=path)
    return where & Q(registered_at__gte=midnight(month), registered_at__lt=midnight(next_month(month)))


Span = tuple[dt.date, dt.date]  # months [first, last)
Range = tuple[dt.datetime, dt.datetime]  # instants [start, end)


@dataclass(frozen=True)
class Plan:
    """How a period is read: the months of ``rolled`` from the rollup, the instants of ``direct``
    from the problems (the days outside the whole months, and each month with a change waiting
    or, for a state as of an earlier instant, with an event since)."""

    rolled: tuple[Span, ...]
    direct: tuple[Range, ...]


def _runs(months: Iterable[dt.date]) -> list[Span]:
    """Months as spans [first, last) of consecutive months."""
    out: list[Span] = []
    for m in sorted(months):
        if out and out[-1][1] == m:
            out[-1] = (out[-1][0], next_month(m))
        else:
            out.append((m, next_month(m)))
    return out


def _merged(ranges: Iterable[Range]) -> list[Range]:
    """Non-empty ranges in order, those that touch joined."""
    out: list[Range] = []
    for a, b in sorted(ranges):
        if a >= b:
            continue
        if out and out[-1][1] >= a:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


PlanKey = tuple[tuple[str, ...], dt.datetime, dt.datetime, dt.datetime | None, int | None]
_shared: ContextVar[dict[PlanKey, "Plan | None"] | None] = ContextVar("problem_rollup_plans", default=None)


@contextmanager
def plans_shared() -> Iterator[None]:
    """Within the block, a period is planned once for the same units (a bulletin's figures and its
    满意率 read the rollup's state once, not once each)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def plan(
    prefixes: list[str],
    start: dt.datetime,
    end: dt.datetime,
    *,
    since: dt.datetime | None,
    length: int | None,
) -> Plan | None:
    """How to read [start, end) under ``prefixes`` (by keys of ``length`` characters), with the
    state as of ``since`` (None: now); None when the rollup cannot serve (a prefix or key below
    the county, no whole month left to it, not built, too many changes waiting)."""
    memo = _shared.get()
    if memo is None:
        return _plan(prefixes, start, end, since=since, length=length)
    key = (tuple(prefixes), start, end, since, length)
    if key not in memo:
        memo[key] = _plan(prefixes, start, end, since=since, length=length)
    return memo[key]


def _plan(
    prefixes: list[str],
    start: dt.datetime,
    end: dt.datetime,
    *,
    since: dt.datetime | None,
    length: int | None,
) -> Plan | None:
    if any(len(p) > CUT for p in prefixes) or (length is not None and length > CUT):
        return None
    months = whole_months(start, end)
    waiting = pending() if months is not None else None
    if months is None or waiting is None:
        return None
    first, last = months
    # a waiting bucket's problems lie under a prefix when its cut path starts with it
    stale = {m for path, m in waiting if first <= m < last and any(path.startswith(p) for p in prefixes)}
    if since is not None:
        buckets = ProblemRollupBucket.objects.filter(any_prefix_q(prefixes), month__gte=first, month__lt=last)
        stale |= set(buckets.filter(latest__gte=since).values_list("month", flat=True).distinct())
    every, m = [], first
    while m < last:
        every.append(m)
        m = next_month(m)
    rolled = _runs(m for m in every if m not in stale)
    if not rolled:
        return None
    edges = [(start, midnight(first)), (midnight(last), end)]
    edges += [(midnight(a), midnight(b)) for a, b in _runs(stale)]
    return Plan(tuple(rolled), tuple(_merged(edges)))


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _rollup(prefixes: list[str], rolled: Iterable[Span], campaign_id: int | None) -> QuerySet[ProblemRollup]:
    """The rollup rows of the months ``rolled`` under ``prefixes``. A few months are read by the
    (month, path) index, more by the (path, month) one: on SQLite, whose planner rates both
    ranges alike, the other column is hidden from it (``not_by_index``); PostgreSQL chooses."""
    rolled = list(rolled)
    short = sum(_months_between(a, b) for a, b in rolled) <= SHORT_MONTHS
    qs = ProblemRollup.objects.alias(
        by_path=not_by_index("path", CharField()) if short else F("path"),
        by_month=F("month") if short else not_by_index("month", DateField()),
    )
    months = Q(pk__in=[])
    for first, last in rolled:
        months |= Q(by_month__gte=first, by_month__lt=last)
    qs = qs.filter(any_prefix_q(prefixes, "by_path"), months)
    if campaign_id is not None:
        qs = qs.filter(campaign_key=campaign_id)
    return qs


def rollup_judgements(prefixes: list[str], rolled: Iterable[Span], campaign_id: int | None) -> Counter[str]:
    """Judged problems of the rollup's months ``rolled``, by their latest judgement."""
    sums = _rollup(prefixes, rolled, campaign_id).aggregate(**{f: Sum(f) for f in JUDGED.values()})
    return Counter({value: sums[f] or 0 for value, f in JUDGED.items()})


def rollup_rows(
    prefixes: list[str], rolled: Iterable[Span], campaign_id: int | None, length: int | None, late: Expression
) -> Iterator[tuple[str, Tallied, int]]:
    """``(key, tallied, n)``: the rollup's counts for the months ``rolled`` under ``prefixes``
    (the key: the path cut to ``length``, or "" without); ``late`` tells an open problem past its
    deadline from the due date and overdue flag."""
    qs = _rollup(prefixes, rolled, campaign_id).annotate(late=late)
    fields = ("source", "channel", "prominent", "state", "kind", "late")
    if length is not None:
        qs = qs.annotate(key=Substr("path", 1, length))
    for r in (
        qs.values(*(("key",) if length is not None else ()), *fields).annotate(total=Sum("n")).order_by()
    ):
        t: Tallied = (r["source"], r["channel"], bool(r["prominent"]), r["state"], r["kind"], bool(r["late"]))
        yield (r["key"] if length is not None else ""), t, r["total"]


# --- the writer's side ---------------------------------------------------------------------------


@dataclass
class RefreshResult:
    changes: int = 0
    buckets: int = 0
    rows_written: int = 0
    rebuilt: bool = False


# the problems of a row, and of those how many are judged how (their latest judgement)
COUNTED = {"n": Q(), **{f: Q(judgement=value) for value, f in JUDGED.items()}}
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)  # a problem without an event: always "changed since"


def _count_bucket(bucket: Bucket) -> tuple[list[ProblemRollup], ProblemRollupBucket | None]:
    """The bucket's rollup rows and its bucket row (None: no problem in it)."""
    tallies: dict[tuple[int, Values], Counter[str]] = defaultdict(Counter)
    latest: dt.datetime | None = None
    fields = ("source", "channel", "prominent", "state", "resolution_kind", "due_date", "overdue")
    counts = {name: Count("id", filter=q) for name, q in COUNTED.items()}
    rows = (
        Problem.objects.filter(bucket_q(bucket))
        .values("campaign_id", *fields)
        .annotate(**counts, latest=Max("last_event_at"), unlogged=Count("id", filter=Q(last_event_at=None)))
        .order_by()
    )
    for r in rows:  # rows differing only in values the rollup does not keep are added up
        tallies[r["campaign_id"] or 0, values(*(r[f] for f in fields))].update({c: r[c] for c in COUNTED})
        seen = NEVER if r["unlogged"] else r["latest"]
        latest = seen if latest is None or seen > latest else latest
    path, month = bucket
    out = [
        ProblemRollup(
            path=path,
            month=month,
            campaign_key=campaign,
            source=v[0],
            channel=v[1],
            prominent=v[2],
            state=v[3],
            kind=v[4],
            due_date=v[5],
            overdue=v[6],
            **{c: t[c] for c in COUNTED},
        )
        for (campaign, v), t in tallies.items()
    ]
    return out, (ProblemRollupBucket(path=path, month=month, latest=latest) if latest is not None else None)


def _all_buckets() -> set[Bucket]:
    rows = Problem.objects.order_by().values_list("path", "registered_at").iterator(chunk_size=20_000)
    return {(cut(p), month_of(at)) for p, at in rows}


def _recount(batch: list[Bucket]) -> int:
    """Replace the rollup rows and bucket rows of ``batch``; the rows written."""
    written, bucket_rows = 0, list[ProblemRollupBucket]()
    for path, month in batch:
        ProblemRollup.objects.filter(path=path, month=month).delete()
        ProblemRollupBucket.objects.filter(path=path, month=month).delete()
        rows, bucket_row = _count_bucket((path, month))
        for part in chunked(rows, WRITE_BATCH):
            ProblemRollup.objects.bulk_create(part)
        if bucket_row is not None:
            bucket_rows.append(bucket_row)
        written += len(rows)
    ProblemRollupBucket.objects.bulk_create(bucket_rows)
    return written


def _locked() -> ProblemRollupState:
    """The state row, locked until the transaction ends: refreshes take turns."""
    return ProblemRollupState.objects.select_for_update().get(name=STATE)


def rollup_refresh(*, rebuild: bool = False) -> RefreshResult:
    """Count again every bucket the waiting changes name (every bucket with ``rebuild`` or before
    the first build) and remove those changes.

    In short transactions of ``BUCKETS_PER_TRANSACTION`` buckets (SQLite's write lock is never
    held for long: the public keeps submitting during a refresh after a large import), each
    removing the changes it folded in; a bucket whose changes still wait is read from the
    problems meanwhile. A rebuild first marks the rollup unbuilt (figures read the problems alone
    until it is done)."""
    ProblemRollupState.objects.get_or_create(name=STATE)  # the row exists before it is locked
    with transaction.atomic():
        st = _locked()
        rebuild = rebuild or not st.built
        changes = list(ProblemRollupChange.objects.order_by("id").values_list("id", "path", "registered_at"))
        if rebuild:
            st.built = False
            st.save()
            ProblemRollup.objects.all().delete()
            ProblemRollupBucket.objects.all().delete()
    ids: dict[Bucket, list[int]] = {}
    for pk, path, at in changes:
        ids.setdefault((cut(path), month_of(at)), []).append(pk)
    buckets = sorted(_all_buckets() | set(ids) if rebuild else ids)
    written = 0
    for batch in chunked(buckets, BUCKETS_PER_TRANSACTION):
        with transaction.atomic():
            _locked()
            written += _recount(batch)
            done = [pk for bucket in batch for pk in ids.get(bucket, ())]
            for part in chunked(done, 500):  # those read, not later ones
                ProblemRollupChange.objects.filter(id__in=part).delete()
    with transaction.atomic():
        st = _locked()
        st.built, st.refreshed_at = True, timezone.now()
        st.save()
    return RefreshResult(changes=len(changes), buckets=len(buckets), rows_written=written, rebuilt=rebuild)


def refresh_if_waiting() -> RefreshResult | None:
    """Refresh when any change waits (the minute job); None when there is nothing to do."""
    if read_state() is not None and not ProblemRollupChange.objects.exists():
        return None
    return rollup_refresh()
