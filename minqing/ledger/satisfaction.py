"""满意率: problems by their latest judgement (the staff's 回访 or the reporter's rating by
tracking code, one transition for both: ``services/rating.py``).

A problem counts when it concerns a unit of the subtree, was registered in the period (and
carries the campaign, when one is given) and was judged before the end instant; its value is the
last judgement before that instant (a reopened problem judged again counts once, by the later
judgement). The bulletins' metrics ``problems.satisfaction.*`` read it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.fields.json import KeyTextTransform

from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.ledger.enums import Action, Satisfaction
from minqing.ledger.models import ProblemEvent
from minqing.ledger.periods import registered_in
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit

JUDGEMENTS = (Action.CALLBACK, Action.REOPEN)


@dataclass(frozen=True)
class SatisfactionCounts:
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    @property
    def judged(self) -> int:
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def rate(self) -> Decimal:
        """(满意 + 基本满意) / judged, 0 when nothing was judged."""
        return Decimal(self.satisfied + self.basically) / self.judged if self.judged else Decimal(0)


def satisfaction_counts(
    actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime, *, campaign: Campaign | None = None
) -> SatisfactionCounts:
    """The subtree's judged problems by their last judgement before ``end`` (nothing for a unit
    the actor may not see)."""
    if start >= end or not can_access_unit(actor, unit):
        return SatisfactionCounts()
    problems = registered_in(start, end, unit.path).filter(prefix_q(unit.path))
    if campaign is not None:
        problems = problems.filter(campaign=campaign)
    judged = ProblemEvent.objects.filter(problem__in=problems.values("pk"), action__in=list(JUDGEMENTS))
    events = (
        judged.filter(at__lt=end)
        .order_by("problem_id", "at", "id")
        .annotate(value=KeyTextTransform("satisfaction", "data"))  # the database reads the JSON
    )
    valid = frozenset(Satisfaction.values)  # (``.values`` builds a new list on each call)
    last: dict[int, str] = {}
    for problem_id, value in events.values_list("problem_id", "value").iterator(chunk_size=10_000):
        if value in valid:
            last[problem_id] = value
    values = list(last.values())
    return SatisfactionCounts(
        satisfied=values.count(Satisfaction.SATISFIED),
        basically=values.count(Satisfaction.BASICALLY),
        unsatisfied=values.count(Satisfaction.UNSATISFIED),
    )
