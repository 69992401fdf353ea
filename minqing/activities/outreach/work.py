"""The home page's block of work plans to review (工作方案待审核), for the office.

One row per unit where the actor holds the office role: the plans filed (报送, not yet passed or
returned) in that unit's subtree, counted in one query, linked to the plan list filtered to
exactly them (``outreach:plans?unit=<code>&state=filed``).
"""

from dataclasses import dataclass

from django.db.models import Count

from minqing.activities.models import WorkPlan, WorkPlanState
from minqing.core.paths import prefix_q
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, root_units

UNITS_LIMIT = 20


@dataclass(frozen=True)
class PlansToReview:
    unit: Unit
    count: int


def plans_to_review(actor: Actor) -> list[PlansToReview]:
    """Empty for an actor without the office role."""
    if not policy.has_role(actor, policy.OFFICE):
        return []
    prefixes = actor_prefixes(actor, policy.OFFICE)
    units_qs = root_units(actor) if prefixes is None else Unit.objects.filter(path__in=prefixes)
    units = list(units_qs.order_by("path")[:UNITS_LIMIT])
    if not units:
        return []
    filed = WorkPlan.objects.filter(state=WorkPlanState.FILED)
    row = filed.aggregate(**{f"n{u.pk}": Count("id", filter=prefix_q(u.path)) for u in units})
    return [PlansToReview(u, row[f"n{u.pk}"] or 0) for u in units]
