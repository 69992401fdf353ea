"""满意率: problems by their latest judgement (the staff's 回访 or the reporter's rating by
tracking code, one transition for both: ``services/rating.py``).

A problem counts when it concerns a unit of the subtree, was registered in the period (and
carries the campaign, when one is given) and was judged before the end instant; its value is the
last judgement before that instant (a reopened problem judged again counts once, by the later
judgement). The bulletins' metrics ``problems.satisfaction.*`` read it.

The problem's ``judged_at`` and ``judgement`` (its latest judgement in the log, kept by triggers:
ledger migration 0012) answer it from the problems alone for every problem not judged again
since the end instant, from the figures' covering index (``ledger_problem_reg_figures``).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Subquery, When
from django.db.models.fields.json import KeyTextTransform

from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.ledger import rollup
from minqing.ledger.enums import Action, Satisfaction
from minqing.ledger.models import ProblemEvent
from minqing.ledger.periods import registered_in
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit

JUDGEMENTS = (Action.CALLBACK, Action.REOPEN)
JUDGED = frozenset(Satisfaction.values)  # the values a judgement counts with (others are ignored)


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


def _last_valid(end: dt.datetime) -> Subquery:
    """The value of the problem's last valid judgement before ``end`` (``None`` without one)."""
    events = (
        ProblemEvent.objects.filter(
            problem=OuterRef("pk"),
            action__in=list(JUDGEMENTS),
            at__lt=end,
            data__satisfaction__in=sorted(JUDGED),
        )
        .annotate(value=KeyTextTransform("satisfaction", "data"))  # the database reads the JSON
        .order_by("-at", "-id")
    )
    return Subquery(events.values("value")[:1], output_field=CharField())


def _from_problems(
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    since: dt.datetime,
    campaign: Campaign | None,
) -> Counter[str]:
    """Problems registered in [start, end) under the unit by their last judgement before ``since``."""
    if start >= end:
        return Counter()
    problems = registered_in(start, end, unit.path).filter(prefix_q(unit.path), judged_at__isnull=False)
    if campaign is not None:
        problems = problems.filter(campaign=campaign)
    value = Case(
        When(judged_at__lt=since, then=F("judgement")), default=_last_valid(since), output_field=CharField()
    )
    rows = problems.annotate(value=value).values("value").annotate(n=Count("id")).order_by()
    return Counter({row["value"]: row["n"] for row in rows})


def satisfaction_counts(
    actor: Actor, unit: Unit, start: dt.datetime, end: dt.datetime, *, campaign: Campaign | None = None
) -> SatisfactionCounts:
    """The subtree's judged problems by their last judgement before ``end`` (nothing for a unit
    the actor may not see). A problem last judged before ``end`` (``judged_at``, kept by triggers
    on the log) gives its row's ``judgement``; only one judged since reads the log, and one never
    judged counts nowhere. A county's or larger unit's whole months come from the problem rollup
    (``rollup``), but for the months with an event since ``end``."""
    if start >= end or not can_access_unit(actor, unit):
        return SatisfactionCounts()
    plan = rollup.plan([unit.path], start, end, since=end, length=None)
    if plan is None:
        n = _from_problems(unit, start, end, end, campaign)
    else:
        n = Counter()
        for lo, hi in plan.direct:
            n += _from_problems(unit, lo, hi, end, campaign)
        n += rollup.rollup_judgements([unit.path], plan.rolled, campaign.pk if campaign is not None else None)
    return SatisfactionCounts(
        satisfied=n[Satisfaction.SATISFIED],
        basically=n[Satisfaction.BASICALLY],
        unsatisfied=n[Satisfaction.UNSATISFIED],
    )
