"""The ledger's problem figures: what the dashboard and the bulletins count, from one selector.

Problems counted: those concerning a unit of the subtree (所属单位, the copied ``path``) that were
registered in [start, end) (and belong to the campaign, when one is given). Their state and
resolution kind are those as of ``as_of``:

- a date: at the end of that local day, from the append-only event log
  (``minqing.ledger.asof``), so a past date keeps its figures; a problem registered after it has
  no state then and is not counted;
- ``None``: now, read from the problem rows (the same thing while a period is still running,
  without the log's subqueries).

Merged duplicates (已合并) are shown in ``by_state`` and left out of every other figure.

- resolved: state 已办结 or 已销号; on the spot: of those, resolution kind 立行立改; the rate is
  on the spot / resolved;
- overdue: still open, and past the deadline: with a date, a due date before it; now, the
  ledger's own test (the overdue flag or a due date before today, the queue's 已逾期 tab).

Every figure of one scope comes from grouped counts (by source, channel, prominent flag,
lateness, state and resolution kind); the figures of many units from one more set per path
length, grouped by the path prefix of each unit. For a county or anything above it, a period's
whole months are counted from the problem rollup (``rollup``: a few rows per unit and month) and
only the rest from the problems: the days outside those months, and the months with changes
not folded in yet or (as of a date) with an event after it. ``ProblemFigures.count`` answers any
other question over those groups (the bulletin's metrics).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from minqing.campaigns.models import Campaign
from minqing.core.paths import any_prefix_q
from minqing.ledger import rollup
from minqing.ledger.asof import RESOLUTION, STATE, end_of, state_counts_as_of
from minqing.ledger.enums import DONE_STATES, OPEN_STATES, Channel, ResolutionKind, Source, State
from minqing.ledger.models import Problem
from minqing.ledger.periods import registered_in
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit

NO_CHANNEL = ""
GROUPS = ("source", "channel", "prominent", "late")


@dataclass(frozen=True)
class Cell:
    """One group of problems: ``n`` problems alike in all of these."""

    source: str
    channel: str  # "" : no channel (not feedback)
    prominent: bool
    late: bool  # an open problem past the deadline as of the date (False in any other state)
    state: str
    kind: str  # the resolution kind while resolved, else ""
    n: int

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES

    @property
    def on_the_spot(self) -> bool:
        return self.done and self.kind == ResolutionKind.ON_THE_SPOT


@dataclass
class ProblemFigures:
    cells: list[Cell] = field(default_factory=list)  # merged duplicates included
    by_state: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)  # "" : no channel (not feedback)
    total: int = 0  # merged duplicates excluded
    resolved: int = 0
    on_the_spot: int = 0
    overdue: int = 0

    @property
    def merged(self) -> int:
        return self.by_state.get(State.MERGED, 0)

    @property
    def on_the_spot_rate(self) -> float | None:
        return self.on_the_spot / self.resolved if self.resolved else None

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)
        n, state = cell.n, cell.state
        self.by_state[state] = self.by_state.get(state, 0) + n
        if state == State.MERGED:
            return
        self.total += n
        self.by_source[cell.source] = self.by_source.get(cell.source, 0) + n
        self.by_channel[cell.channel] = self.by_channel.get(cell.channel, 0) + n
        if cell.done:
            self.resolved += n
            self.on_the_spot += n if cell.on_the_spot else 0
        elif state in OPEN_STATES and cell.late:
            self.overdue += n

    def count(self, keep: Callable[[Cell], bool]) -> int:
        """Problems (merged duplicates left out) of the groups that pass ``keep``."""
        return sum(c.n for c in self.cells if c.state != State.MERGED and keep(c))

    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_state.get(s.value, 0)) for s in State]

    def source_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_source.get(s.value, 0)) for s in Source]

    def channel_rows(self) -> list[tuple[str, str, int]]:
        rows = [(c.value, str(c.label), self.by_channel.get(c.value, 0)) for c in Channel]
        rows.append((NO_CHANNEL, gettext("未注明渠道"), self.by_channel.get(NO_CHANNEL, 0)))
        return rows


F = TypeVar("F", bound=ProblemFigures)


def _base(start: dt.datetime, end: dt.datetime, campaign: Campaign | None, subtree: str) -> QuerySet[Problem]:
    """Problems registered in [start, end), to be filtered by the subtree ``subtree`` (``periods``)."""
    qs = registered_in(start, end, subtree)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def _late(as_of: dt.date | None) -> Case:
    """Past the deadline as of the date (now: the ledger's own test)."""
    late = (
        (Q(overdue=True) | Q(due_date__lt=timezone.localdate())) if as_of is None else Q(due_date__lt=as_of)
    )
    return Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())


def _cells(qs: QuerySet[Problem], as_of: dt.date | None, by: tuple[str, ...]) -> Iterator[tuple[Any, Cell]]:
    """``(key, cell)`` per group (the key: the values of ``by``); problems with no state as of
    the date (registered later) are left out."""
    fields = (*by, *GROUPS)
    qs = qs.annotate(late=_late(as_of))
    if as_of is None:
        rows = qs.values(*fields, "state", "resolution_kind").annotate(n=Count("id")).order_by()
        found = ((r, r["state"], r["resolution_kind"] if r["state"] in DONE_STATES else "") for r in rows)
    else:
        found = ((r, r[STATE], r[RESOLUTION]) for r in state_counts_as_of(qs, end_of(as_of), by=fields))
    for r, state, kind in found:
        if state:
            late = bool(r["late"]) and state in OPEN_STATES  # only an open problem's lateness counts
            cell = Cell(
                r["source"], r["channel"] or NO_CHANNEL, bool(r["prominent"]), late, state,
                kind or "", r["n"],
            )  # fmt: skip
            yield tuple(r[f] for f in by), cell


def _direct(
    prefixes: list[str], start: dt.datetime, end: dt.datetime, as_of: dt.date | None,
    campaign: Campaign | None, length: int | None,
) -> Iterator[tuple[str, Cell]]:  # fmt: skip
    """``(key, cell)`` counted from the problems registered in [start, end) under ``prefixes``
    (the key: the path cut to ``length``, or "")."""
    if start >= end:
        return
    qs = _base(start, end, campaign, min(prefixes, key=len)).filter(any_prefix_q(prefixes))
    if length is None:
        for _key, cell in _cells(qs, as_of, ()):
            yield "", cell
        return
    for (key,), cell in _cells(qs.annotate(key=Substr("path", 1, length)), as_of, ("key",)):
        yield key, cell


def _gather(
    prefixes: list[str], start: dt.datetime, end: dt.datetime, as_of: dt.date | None,
    campaign: Campaign | None, length: int | None,
) -> Iterator[tuple[str, Cell]]:  # fmt: skip
    """The cells of the problems registered in [start, end) under ``prefixes``: the whole months
    from the rollup where it can serve, the rest from the problems (``rollup``'s note)."""
    since = end_of(as_of) if as_of is not None else None
    plan = rollup.plan(prefixes, start, end, since=since, length=length)
    if plan is None:
        yield from _direct(prefixes, start, end, as_of, campaign, length)
        return
    for a, b in plan.direct:
        yield from _direct(prefixes, a, b, as_of, campaign, length)
    campaign_id = campaign.pk if campaign is not None else None
    # the rollup keeps a due date and the overdue flag for open problems only: the same test of
    # lateness leaves every other state on time
    for key, t, n in rollup.rollup_rows(prefixes, plan.rolled, campaign_id, length, _late(as_of)):
        yield key, Cell(t[0], t[1] or NO_CHANNEL, t[2], t[5], t[3], t[4], n)


def problem_figures(
    actor: Actor,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    as_of: dt.date | None,
    campaign: Campaign | None,
    make: type[F],
) -> F:
    """The figures of ``unit``'s subtree as ``make`` (``ProblemFigures`` or a subclass); empty
    for a unit the actor may not see (a visible unit's subtree is visible: scopes are subtrees)."""
    out = make()
    if start >= end or not can_access_unit(actor, unit):
        return out
    for _key, cell in _gather([unit.path], start, end, as_of, campaign, None):
        out.add(cell)
    return out


def problem_figures_by_unit(
    actor: Actor,
    units: Iterable[Unit],
    start: dt.datetime,
    end: dt.datetime,
    *,
    as_of: dt.date | None,
    campaign: Campaign | None,
    make: type[F],
) -> dict[int, F]:
    """The figures of each unit's subtree (units not nested in one another; those the actor may
    not see are left out), keyed by unit id."""
    units = [u for u in units if can_access_unit(actor, u)]
    out = {u.pk: make() for u in units}
    if not units or start >= end:
        return out
    by_len: dict[int, dict[str, int]] = defaultdict(dict)
    for u in units:
        by_len[len(u.path)][u.path] = u.pk
    for length, paths in by_len.items():
        for key, cell in _gather(sorted(paths), start, end, as_of, campaign, length):
            pk = paths.get(key)
            if pk is not None:
                out[pk].add(cell)
    return out


def problem_figures_with_children(
    actor: Actor,
    unit: Unit,
    children: Iterable[Unit],
    start: dt.datetime,
    end: dt.datetime,
    *,
    as_of: dt.date | None,
    campaign: Campaign | None,
    make: type[F],
) -> tuple[F, dict[int, F]]:
    """``unit``'s figures and those of its direct ``children`` (keyed by id) from one grouped
    query over ``unit``'s subtree (by the children's path prefix), instead of one for the unit
    and one for the children: the same figures as ``problem_figures`` and
    ``problem_figures_by_unit`` at half the rows read. Children the actor may not see are left
    out of the dict (their problems count in the unit's own figures, as they always do)."""
    children = [c for c in children if can_access_unit(actor, c)]
    own, out = make(), {c.pk: make() for c in children}
    if start >= end or not can_access_unit(actor, unit):
        return own, {}
    by_path = {c.path: out[c.pk] for c in children}
    lengths = {len(p) for p in by_path}
    if len(lengths) > 1 or any(not p.startswith(unit.path) for p in by_path):
        raise ValueError("children must be direct children of the unit")
    length = lengths.pop() if lengths else len(unit.path)
    for key, cell in _gather([unit.path], start, end, as_of, campaign, length):
        own.add(cell)
        child = by_path.get(key)
        if child is not None:
            child.add(cell)
    return own, out
