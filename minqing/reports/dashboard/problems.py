"""Problem figures of the dashboard, from the ledger's one selector (``minqing.ledger.figures``,
which the bulletins use too).

Problems counted: those concerning a unit of the subtree registered in the period (and of the
campaign, when one is chosen), in their state as of the end of the period: from the event log
for a past period (so it keeps its figures), from the problem rows while the period is still
running (the same thing). Overdue: still open and past the deadline (for a past period: a due
date before its last day; while it runs, the ledger's own test).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from minqing.campaigns.models import Campaign
from minqing.ledger import figures
from minqing.ledger.satisfaction import SatisfactionCounts, satisfaction_counts
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.programmes.rollup import share_text
from minqing.reports.dashboard.period import Period


class ProblemFigures(figures.ProblemFigures):
    @property
    def on_the_spot_rate_text(self) -> str:
        """``62.5%``: one decimal place, half up, a trailing ``.0`` dropped; ``—`` with nothing resolved."""
        return share_text(self.on_the_spot, self.resolved)


@dataclass(frozen=True)
class Satisfaction:
    """满意率 of the period's problems (``minqing.ledger.satisfaction``), for the dashboard."""

    counts: SatisfactionCounts = field(default_factory=SatisfactionCounts)

    @property
    def rate_text(self) -> str:
        """``66.7%``; ``—`` with nothing judged."""
        return share_text(self.counts.satisfied + self.counts.basically, self.counts.judged)


def satisfaction(actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None) -> Satisfaction:
    """The subtree's problems registered in ``period`` by their last judgement before its end."""
    return Satisfaction(satisfaction_counts(actor, unit, period.start_at, period.end_at, campaign=campaign))


def _span(period: Period) -> tuple[dt.datetime, dt.datetime, dt.date | None]:
    """The period's instants, and the date of the states: now while it runs, else its last day."""
    return period.start_at, period.end_at, None if period.live else period.end


def problem_figures(
    actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None
) -> ProblemFigures:
    """The figures of ``unit``'s subtree (nothing for a unit the actor may not see)."""
    start, end, as_of = _span(period)
    return figures.problem_figures(
        actor, unit, start, end, as_of=as_of, campaign=campaign, make=ProblemFigures
    )


def problem_figures_by_unit(
    actor: Actor, units: Iterable[Unit], period: Period, campaign: Campaign | None = None
) -> dict[int, ProblemFigures]:
    """The figures of each unit's subtree (units not nested in one another), keyed by unit id."""
    start, end, as_of = _span(period)
    return figures.problem_figures_by_unit(
        actor, units, start, end, as_of=as_of, campaign=campaign, make=ProblemFigures
    )


def problem_figures_with_children(
    actor: Actor, unit: Unit, children: Iterable[Unit], period: Period, campaign: Campaign | None = None
) -> tuple[ProblemFigures, dict[int, ProblemFigures]]:
    """The unit's figures and its direct children's, from one query (``figures``)."""
    start, end, as_of = _span(period)
    return figures.problem_figures_with_children(
        actor, unit, children, start, end, as_of=as_of, campaign=campaign, make=ProblemFigures
    )
