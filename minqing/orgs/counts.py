"""What is under a unit: units by kind and subkind, households, people, assignments.

One query per table, each a prefix filter on the copied ``path`` column grouped by kind, so a
count under a prefecture with 560,000 households is an index range scan, not a tree walk.
Used by ``minqing tree`` and the benchmarks.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from minqing.core.paths import prefix_q
from minqing.orgs.models import Assignment, Household, Person, Unit


@dataclass
class SubtreeCounts:
    unit: Unit
    units: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> subkind -> n
    households: int = 0
    people: int = 0
    party_members: int = 0
    assignments: dict[str, int] = field(default_factory=dict)  # kind -> n

    @property
    def units_total(self) -> int:
        return sum(sum(v.values()) for v in self.units.values())

    def as_dict(self) -> dict[str, Any]:
        u = self.unit
        return {
            "unit": {"code": u.code, "name": u.name, "kind": u.kind, "subkind": u.subkind, "path": u.path},
            "units": {
                "total": self.units_total,
                "by_kind": {
                    k: {"total": sum(subs.values()), "by_subkind": dict(sorted(subs.items()))}
                    for k, subs in sorted(self.units.items())
                },
            },
            "households": self.households,
            "people": {"total": self.people, "party_members": self.party_members},
            "assignments": {
                "total": sum(self.assignments.values()),
                "by_kind": dict(sorted(self.assignments.items())),
            },
        }


def subtree_counts(unit: Unit) -> SubtreeCounts:
    """Counts of everything strictly below ``unit`` (units) or anywhere in its subtree (the rest)."""
    c = SubtreeCounts(unit=unit)
    below = prefix_q(unit.path) & ~Q(pk=unit.pk)
    for kind, subkind, n in (
        Unit.objects.filter(below).values_list("kind", "subkind").annotate(n=Count("id")).order_by()
    ):
        c.units.setdefault(kind, {})[subkind] = n
    c.households = Household.objects.filter(prefix_q(unit.path)).count()
    agg = Person.objects.filter(prefix_q(unit.path)).aggregate(
        n=Count("id"), party=Count("id", filter=Q(is_party_member=True))
    )
    c.people, c.party_members = agg["n"], agg["party"]
    c.assignments = dict(
        Assignment.objects.filter(prefix_q(unit.path)).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return c
