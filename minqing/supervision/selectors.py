"""Reads of supervision; every function takes the actor and is scoped to their subtree.

- An inspection is visible when the inspected unit lies in the actor's subtree.
- A group is visible when its work touches the actor's subtree: it was sent by a unit there,
  or one of its assigned units lies there or above it (a township sees the city's group
  assigned to its county). Its counts and rounds only ever count visible inspections.

A record outside the actor's scope raises ``Http404``, exactly as a missing one does.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from minqing.campaigns.models import Campaign
from minqing.core.paths import any_prefix_q, prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, can_access_unit, scope_q
from minqing.supervision.enums import InspectionKind, MemberRole
from minqing.supervision.models import Finding, GroupMember, GroupUnit, GuidanceGroup, Inspection


def _require(actor: Actor, unit: Unit) -> None:
    if not can_access_unit(actor, unit):
        raise Http404


def _ancestors_and_self(prefixes: list[str]) -> list[str]:
    step = Unit.steplen
    return sorted({p[:k] for p in prefixes for k in range(step, len(p) + 1, step)})


def _touching_q(actor: Actor, field: str) -> Q:
    """``field`` (a unit path) lies in the actor's subtree or above it."""
    prefixes = actor_prefixes(actor)
    if prefixes is None:
        return Q()
    return any_prefix_q(prefixes, field) | Q(**{f"{field}__in": _ancestors_and_self(prefixes)})


def group_scope_q(actor: Actor) -> Q:
    prefixes = actor_prefixes(actor)
    if prefixes is None:
        return Q()
    touching = GroupUnit.objects.filter(_touching_q(actor, "path")).values("group_id")
    return any_prefix_q(prefixes, "path") | Q(pk__in=touching)


def visible_groups(actor: Actor) -> QuerySet[GuidanceGroup]:
    return GuidanceGroup.objects.filter(group_scope_q(actor))


def inspection_scope_q(actor: Actor, field: str = "path") -> Q:
    return scope_q(actor, field)


# --- groups ----------------------------------------------------------------------------------


def group_list(actor: Actor, *, campaign: Campaign | None = None, q: str = "") -> QuerySet[GuidanceGroup]:
    """Visible groups with the number of visible inspections, rounds and the last date."""
    qs = visible_groups(actor)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if q.strip():
        qs = qs.filter(name__contains=q.strip())
    seen = inspection_scope_q(actor, "inspections__path")
    return (
        qs.select_related("campaign", "unit")
        .annotate(
            n_inspections=Count("inspections", filter=seen),
            n_rounds=Count("inspections__round", filter=seen, distinct=True),
            last_date=Max("inspections__date", filter=seen),
            leader_name=Subquery(
                GroupMember.objects.filter(group=OuterRef("pk"), role=MemberRole.LEADER).values("name")[:1]
            ),
        )
        .order_by("campaign__name", "name", "id")
    )


def group_get(actor: Actor, pk: int) -> GuidanceGroup:
    group = visible_groups(actor).filter(pk=pk).select_related("campaign", "unit").first()
    if group is None:
        raise Http404
    return group


def groups_for_recording(actor: Actor) -> QuerySet[GuidanceGroup]:
    """The groups the inspection form offers: visible ones, newest campaign first."""
    return visible_groups(actor).select_related("campaign").order_by("-campaign__start_date", "name")


def group_leader(group: GuidanceGroup) -> GroupMember | None:
    return GroupMember.objects.filter(group=group, role=MemberRole.LEADER).first()


def group_members(group: GuidanceGroup) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(group=group).select_related("person").order_by("position", "id")


def group_units(actor: Actor, group: GuidanceGroup) -> tuple[list[Unit], int]:
    """The assigned units that touch the actor's subtree, and how many others there are."""
    rows = GroupUnit.objects.filter(group=group).select_related("unit").order_by("path")
    mine = rows.filter(_touching_q(actor, "path"))
    return [r.unit for r in mine], rows.count() - mine.count()


@dataclass
class RoundBlock:
    """One round of a group: its visible inspections, oldest first."""

    number: int
    inspections: list[Inspection] = field(default_factory=list)

    @property
    def units(self) -> int:
        return len({i.unit_id for i in self.inspections})

    @property
    def first(self) -> dt.date:
        return min(i.date for i in self.inspections)

    @property
    def last(self) -> dt.date:
        return max(i.date for i in self.inspections)

    @property
    def findings(self) -> int:
        return sum(getattr(i, "n_findings", 0) for i in self.inspections)


def group_rounds(actor: Actor, group: GuidanceGroup) -> list[RoundBlock]:
    """The group's visible inspections grouped by round number, round 1 first."""
    qs = (
        Inspection.objects.filter(Q(group=group) & inspection_scope_q(actor))
        .select_related("unit")
        .annotate(n_findings=Count("findings"))
        .order_by("round", "date", "unit__path", "id")
    )
    blocks: dict[int, RoundBlock] = {}
    for i in qs:
        blocks.setdefault(i.round, RoundBlock(i.round)).inspections.append(i)
    return list(blocks.values())


def campaign_round_summary(actor: Actor, unit: Unit, campaign: Campaign) -> tuple[int, int | None]:
    """(groups of the campaign sent by units of the subtree, the smallest number of rounds of
    any of them; ``None`` without groups). Rounds never skip numbers, so a group's rounds are its
    latest round (0 before its first inspection)."""
    _require(actor, unit)
    qs = visible_groups(actor).filter(prefix_q(unit.path), campaign=campaign)
    rounds = list(qs.annotate(n=Max("inspections__round")).values_list("n", flat=True))
    return len(rounds), min((r or 0 for r in rounds), default=None)


# --- inspections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionFilters:
    campaign: Campaign | None = None
    group: GuidanceGroup | None = None
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def inspection_list(
    actor: Actor, unit: Unit, filters: InspectionFilters | None = None
) -> QuerySet[Inspection]:
    """Visible inspections of the subtree, newest first, with their number of findings."""
    _require(actor, unit)
    f = filters or InspectionFilters()
    qs = Inspection.objects.filter(prefix_q(unit.path) & inspection_scope_q(actor))
    if f.campaign is not None:
        qs = qs.filter(group__campaign=f.campaign)
    if f.group is not None:
        qs = qs.filter(group=f.group)
    if f.kind in InspectionKind.values:
        qs = qs.filter(kind=f.kind)
    if f.start is not None:
        qs = qs.filter(date__gte=f.start)
    if f.end is not None:
        qs = qs.filter(date__lte=f.end)
    return (
        qs.select_related("group", "group__campaign", "unit")
        .annotate(n_findings=Count("findings"))
        .order_by("-date", "-id")
    )


def inspection_get(actor: Actor, pk: int) -> Inspection:
    inspection = (
        Inspection.objects.filter(Q(pk=pk) & inspection_scope_q(actor))
        .select_related("group", "group__campaign", "group__unit", "unit", "recorded_by")
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def inspection_findings(inspection: Inspection) -> QuerySet[Finding]:
    return Finding.objects.filter(inspection=inspection).select_related("category", "problem")


# --- per unit --------------------------------------------------------------------------------


@dataclass
class UnitRounds:
    """One inspected unit: inspections, rounds (distinct group rounds it was visited in), last date, kinds."""

    unit: Unit
    inspections: int = 0
    rounds: int = 0
    last_date: dt.date | None = None
    kinds: list[str] = field(default_factory=list)  # labels, in the kinds' order

    @property
    def kind_labels(self) -> str:
        return "、".join(self.kinds)


def unit_rounds(
    actor: Actor, unit: Unit, *, campaign: Campaign | None = None, level: str = ""
) -> list[UnitRounds]:
    """Per inspected unit of the subtree (of kind ``level`` when given), in tree order."""
    _require(actor, unit)
    qs = Inspection.objects.filter(prefix_q(unit.path) & inspection_scope_q(actor))
    if campaign is not None:
        qs = qs.filter(group__campaign=campaign)
    if level:
        qs = qs.filter(unit__kind=level)
    n: dict[int, int] = defaultdict(int)
    rounds: dict[int, set[tuple[int, int]]] = defaultdict(set)
    last: dict[int, dt.date] = {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for unit_id, group_id, number, kind, date in qs.values_list(
        "unit_id", "group_id", "round", "kind", "date"
    ).iterator(chunk_size=5000):
        n[unit_id] += 1
        rounds[unit_id].add((group_id, number))
        last[unit_id] = max(date, last.get(unit_id, date))
        kinds[unit_id].add(kind)
    units = Unit.objects.in_bulk(list(n))
    rows = [
        UnitRounds(
            unit=units[pk],
            inspections=n[pk],
            rounds=len(rounds[pk]),
            last_date=last[pk],
            kinds=[str(label) for value, label in InspectionKind.choices if value in kinds[pk]],
        )
        for pk in n
    ]
    return sorted(rows, key=lambda r: r.unit.path)


def never_inspected(
    actor: Actor, unit: Unit, *, campaign: Campaign, level: str, below: bool = False
) -> QuerySet[Unit]:
    """Units of kind ``level`` in the subtree that no group of ``campaign`` has inspected.

    With ``below`` an inspection of a unit under it counts too (the group went down there)."""
    _require(actor, unit)
    units = Unit.objects.filter(prefix_q(unit.path) & scope_q(actor), kind=level)
    done = Inspection.objects.filter(group__campaign=campaign)
    # below: an inspection anywhere under the unit; else of the unit itself
    done = done.filter(path__startswith=OuterRef("path")) if below else done.filter(unit_id=OuterRef("pk"))
    return units.filter(~Exists(done)).order_by("path")


def unit_kind_counts(actor: Actor, unit: Unit, level: str) -> int:
    _require(actor, unit)
    return Unit.objects.filter(prefix_q(unit.path) & scope_q(actor), kind=level).count()
