"""Problem figures of the dashboard, from the ledger.

Problems counted: those concerning a unit of the subtree (所属单位, the copied ``path``) that were
registered in the period (and belong to the campaign, when one is chosen). Their state is the
state as of the end of the period, from the append-only event log, so a past period keeps its
figures; while the period is still running it is the current state (the same thing, read from
the problem row). Merged duplicates are shown in the state table and left out of every other
figure (“problems after merging duplicates”).

- resolved: state 已办结 or 已销号; on the spot: of those, resolution kind 立行立改; the rate is
  on the spot / resolved.
- overdue: still open, and past the deadline (the ledger's own test while the period runs: the
  overdue flag or a due date before today; for a past period: a due date before its last day).

All the figures of one scope come from one GROUP BY query; the figures of many units (child
units, the map's counties) from one more, grouped by the path prefix of each unit.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext

from minqing.campaigns.models import Campaign
from minqing.core.paths import any_prefix_q, prefix_q
from minqing.ledger.asof import RESOLUTION, STATE, state_counts_as_of
from minqing.ledger.enums import DONE_STATES, OPEN_STATES, Channel, ResolutionKind, Source, State
from minqing.ledger.models import Problem
from minqing.orgs.models import Unit
from minqing.programmes.rollup import share_text
from minqing.reports.dashboard.period import Period

NO_CHANNEL = ""


@dataclass
class ProblemFigures:
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

    @property
    def on_the_spot_rate_text(self) -> str:
        """``62.5%``: one decimal place, half up, a trailing ``.0`` dropped; ``—`` with nothing resolved."""
        return share_text(self.on_the_spot, self.resolved)

    def add(self, state: str, source: str, channel: str, kind: str, late: bool, n: int) -> None:
        self.by_state[state] = self.by_state.get(state, 0) + n
        if state == State.MERGED:
            return
        self.total += n
        self.by_source[source] = self.by_source.get(source, 0) + n
        self.by_channel[channel] = self.by_channel.get(channel, 0) + n
        if state in DONE_STATES:
            self.resolved += n
            if kind == ResolutionKind.ON_THE_SPOT:
                self.on_the_spot += n
        elif state in OPEN_STATES and late:
            self.overdue += n

    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_state.get(s.value, 0)) for s in State]

    def source_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_source.get(s.value, 0)) for s in Source]

    def channel_rows(self) -> list[tuple[str, str, int]]:
        rows = [(c.value, str(c.label), self.by_channel.get(c.value, 0)) for c in Channel]
        rows.append((NO_CHANNEL, gettext("未注明渠道"), self.by_channel.get(NO_CHANNEL, 0)))
        return rows


def _base(period: Period, campaign: Campaign | None) -> QuerySet[Problem]:
    qs = Problem.objects.filter(registered_at__gte=period.start_at, registered_at__lt=period.end_at)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def _late(period: Period) -> Case:
    """Past the deadline as of the period's end (whether still open is decided with the state)."""
    # while the period runs, the ledger's own test (the queue's 已逾期 tab)
    late = (Q(overdue=True) | Q(due_date__lt=period.as_of_day)) if period.live else Q(due_date__lt=period.end)
    return Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())


def _counted(qs: QuerySet[Problem], period: Period, by: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """``(*by, source, channel, late, state, resolution kind, n)`` per group, as of the period's end:
    the problem row's own state while the period runs, else the event log's (``minqing.ledger.asof``,
    the reading the bulletins use)."""
    fields = (*by, "source", "channel", "late")
    qs = qs.annotate(late=_late(period))
    if period.live:
        rows = qs.values(*fields, "state", "resolution_kind").annotate(n=Count("id")).order_by()
        for r in rows:
            kind = r["resolution_kind"] if r["state"] in DONE_STATES else ""
            yield (*(r[f] for f in fields), r["state"], kind, r["n"])
        return
    for r in state_counts_as_of(qs, period.as_of, by=fields):
        yield (*(r[f] for f in fields), r[STATE], r[RESOLUTION], r["n"])


def _add(out: ProblemFigures, source: str, channel: str, late: bool, state: str, kind: str, n: int) -> None:
    if state:  # "": registered after the period's end (as of it, not there yet)
        out.add(state, source, channel or NO_CHANNEL, kind or "", bool(late), n)


def problem_figures(unit: Unit, period: Period, campaign: Campaign | None = None) -> ProblemFigures:
    """The figures of ``unit``'s subtree (the caller has checked that the actor may see the unit)."""
    out = ProblemFigures()
    if not period.valid:
        return out
    for source, channel, late, state, kind, n in _counted(
        _base(period, campaign).filter(prefix_q(unit.path)), period, ()
    ):
        _add(out, source, channel, late, state, kind, n)
    return out


def problem_figures_by_unit(
    units: Iterable[Unit], period: Period, campaign: Campaign | None = None
) -> dict[int, ProblemFigures]:
    """The figures of each unit's subtree (units not nested in one another), keyed by unit id."""
    units = list(units)
    out: dict[int, ProblemFigures] = {u.pk: ProblemFigures() for u in units}
    if not units or not period.valid:
        return out
    by_len: dict[int, dict[str, int]] = defaultdict(dict)
    for u in units:
        by_len[len(u.path)][u.path] = u.pk
    for length, paths in by_len.items():
        qs = _base(period, campaign).filter(any_prefix_q(paths)).annotate(key=Substr("path", 1, length))
        for key, source, channel, late, state, kind, n in _counted(qs, period, ("key",)):
            pk = paths.get(key)
            if pk is not None:
                _add(out[pk], source, channel, late, state, kind, n)
    return out
