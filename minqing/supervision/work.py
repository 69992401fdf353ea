"""The home page's block of inspections to record (待记录的督导), for inspectors.

The units assigned to the guidance groups the user is a member of (through their person) that
the group has not inspected yet: each links to the inspection form with the group and the unit
filled in. One query, at most ``LIMIT`` rows (the page says "more" beyond).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.supervision.models import GroupUnit, Inspection

LIMIT = 20


@dataclass(frozen=True)
class InspectionsToRecord:
    rows: list[GroupUnit]
    more: bool

    @property
    def count(self) -> int:
        return len(self.rows)


def inspections_to_record(actor: Actor) -> InspectionsToRecord | None:
    """``None`` for an actor who records no inspections (no block on the page)."""
    user = user_of(actor)
    if user is None or not policy.has_role(actor, policy.INSPECTORS):
        return None
    done = Inspection.objects.filter(group_id=OuterRef("group_id"), unit_id=OuterRef("unit_id"))
    rows = list(
        GroupUnit.objects.filter(group__members__person__user=user)
        .exclude(Exists(done))
        .select_related("unit", "group")
        .order_by("group__name", "path", "id")
        .distinct()[: LIMIT + 1]
    )
    return InspectionsToRecord(rows[:LIMIT], len(rows) > LIMIT)
