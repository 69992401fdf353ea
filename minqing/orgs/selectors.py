"""Reads of the organisation network.

Every function takes the actor and goes through ``minqing.orgs.scoping``. An object outside
the actor's scope raises ``Http404``, exactly as a missing one does, so a page never tells a
user that something exists elsewhere. Subtree counts are prefix filters on the copied ``path``
columns (``minqing.core.paths.prefix_q``), one indexed range per query, never joins through
the tree.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.core.pages import paginate
from minqing.core.paths import prefix_q
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Rank, UnitKind, UnitSubkind
from minqing.orgs.masking import mask_id_number, mask_phone
from minqing.orgs.models import Assignment, Household, Person, PersonIdentity, Unit
from minqing.orgs.scoping import actor_prefixes, can_access_path, can_access_unit, root_units, scoped

SEARCH_LIMIT = 50

KIND_LABELS = dict(UnitKind.choices)
SUBKIND_LABELS = dict(UnitSubkind.choices)


def unit_for_code(code: str) -> Unit | None:
    """The unit with this 12-digit division code, a short form of one (``150900`` is
    ``150900000000``) or this own code (a non-territorial unit's); no scope check."""
    code = code.strip()
    if code.isdigit() and len(code) in (2, 4, 6, 9, 12):
        unit = Unit.objects.filter(division_code=code.ljust(12, "0")).first()
        if unit is not None:
            return unit
    return Unit.objects.filter(code=code).first() if code else None


NAME_MATCH_LIMIT = 8


@dataclass(frozen=True)
class UnitLookup:
    """What a typed unit resolves to: the unit, or why not (``candidates`` when several match)."""

    text: str
    unit: Unit | None = None
    candidates: tuple[Unit, ...] = ()

    @property
    def error(self) -> str:
        if self.unit is not None or not self.text:
            return ""
        if self.candidates:
            listed = "；".join(units_with_parents(self.candidates))
            return _("“{text}”对应多个单位，请选择其一：{units}").format(text=self.text, units=listed)
        message = _("找不到“{text}”，或该单位不在您的管辖范围内：请填写单位代码(如 150900)或单位名称")
        return message.format(text=self.text)


def units_with_parents(units: Sequence[Unit], levels: int = 2) -> list[str]:
    """``和平村民委员会 · 某某镇 · 某某旗`` for each unit: its name and its nearest parents' (one
    query for all of them)."""
    step = Unit.steplen

    def parents(unit: Unit) -> list[str]:
        n = len(unit.path)
        return [unit.path[: n - step * i] for i in range(1, levels + 1) if n > step * i]

    wanted = {p for u in units for p in parents(u)}
    names = dict(Unit.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return [" · ".join([u.name, *(names[p] for p in parents(u) if p in names)]) for u in units]


def resolve_unit(actor: Actor | None, text: str, roles: Iterable[str] | None = None) -> UnitLookup:
    """The one reader of a typed unit: the 12-digit code, the short division code (``150900``),
    a unit's own code, or its name (exact, else a unique partial match), in the actor's scope
    (for ``roles`` when given). A unit outside the scope reads exactly as a missing one."""
    text = (text or "").strip()[:100]
    if not text:
        return UnitLookup(text)
    unit = unit_for_code(text[:32])
    if unit is not None:
        return UnitLookup(text, unit if can_access_unit(actor, unit, roles) else None)
    in_scope = scoped(Unit.objects.all(), actor, roles=roles)
    exact = list(in_scope.filter(name=text).order_by("path")[: NAME_MATCH_LIMIT + 1])
    found = exact or list(in_scope.filter(name__contains=text).order_by("path")[: NAME_MATCH_LIMIT + 1])
    if len(found) == 1:
        return UnitLookup(text, found[0])
    return UnitLookup(text, None, tuple(found[:NAME_MATCH_LIMIT]))


def unit_by_code(actor: Actor | None, code: str, roles: Iterable[str] | None = None) -> Unit | None:
    """The unit ``resolve_unit`` reads in this text if the actor may see it, with one of
    ``roles`` when given; else None, exactly as for a missing one."""
    return resolve_unit(actor, code, roles).unit


def default_unit(actor: Actor, roles: Iterable[str] | None = None) -> Unit | None:
    """The first top unit of the actor's scope (for ``roles`` when given)."""
    prefixes = actor_prefixes(actor, roles)
    if prefixes is None:
        return root_units(actor).first()
    return Unit.objects.filter(path__in=prefixes).order_by("path").first()


def unit_filter(actor: Actor, text: str, fallback: bool = True) -> tuple[Unit | None, str]:
    """A list page's ``?unit=`` filter: (unit, inline error). A bad value is an error message
    and the top of the actor's scope (or None without ``fallback``), never a 404, so the page
    keeps its other filters."""
    found = resolve_unit(actor, text)
    if found.unit is not None:
        return found.unit, ""
    return (default_unit(actor) if fallback else None), found.error


def unit_matches(actor: Actor, q: str, limit: int = 10) -> list[dict[str, str]]:
    """The picker's suggestions: units in scope matching ``q`` with their parents."""
    found = resolve_unit(actor, q)
    units = [found.unit] if found.unit is not None else []
    units += [u for u in unit_search(actor, q, limit) if u not in units]
    units = units[:limit]
    return [
        {"code": u.division_code or u.code, "name": u.name, "label": label}
        for u, label in zip(units, units_with_parents(units), strict=True)
    ]


def _require_unit(actor: Actor, unit: Unit) -> None:
    if not can_access_unit(actor, unit):
        raise Http404


def active_assignments(today: date | None = None) -> QuerySet[Assignment]:
    today = today or timezone.localdate()
    return Assignment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)


# --- units -------------------------------------------------------------------------------


def unit_roots(actor: Actor) -> list[Unit]:
    """The top units of the actor's scope (the unit switcher and the tree's first level)."""
    return list(root_units(actor))


def unit_get(actor: Actor, pk: int) -> Unit:
    unit = scoped(Unit.objects.filter(pk=pk), actor).first()
    if unit is None:
        raise Http404
    return unit


def unit_children(actor: Actor, unit: Unit) -> QuerySet[Unit]:
    _require_unit(actor, unit)
    qs = Unit.objects.filter(prefix_q(unit.path), depth=unit.depth + 1)
    return scoped(qs, actor).order_by("path")


def unit_ancestors(actor: Actor, unit: Unit) -> list[tuple[Unit, bool]]:
    """The breadcrumb: each ancestor with whether the actor may open it (only those become links)."""
    _require_unit(actor, unit)
    return [(a, can_access_unit(actor, a)) for a in Unit.objects.get_ancestors(unit)]


def unit_search_queryset(actor: Actor, q: str) -> QuerySet[Unit]:
    """Units in scope whose name contains ``q`` or whose code or division code starts with it."""
    q = q.strip()
    if not q:
        return Unit.objects.none()
    match = Q(name__contains=q) | Q(code__startswith=q) | Q(division_code__startswith=q)
    return scoped(Unit.objects.filter(match), actor)


def unit_search(actor: Actor, q: str, limit: int = SEARCH_LIMIT) -> list[Unit]:
    """``unit_search_queryset`` in tree order, at most ``limit``."""
    return list(unit_search_queryset(actor, q).order_by("path")[:limit])


@dataclass
class KindCount:
    kind: str
    label: str
    subkind_label: str
    count: int


@dataclass
class UnitCounts:
    children: list[KindCount] = field(default_factory=list)
    descendants: list[KindCount] = field(default_factory=list)
    descendants_total: int = 0
    households: int = 0
    people: int = 0
    assignments: int = 0

    @property
    def children_total(self) -> int:
        return sum(c.count for c in self.children)

    @property
    def descendants_by_kind(self) -> list[tuple[str, int, list[KindCount]]]:
        """(kind label, total, sub-kind rows) in tree order: county, township, village, grid, ..."""
        order = {k: i for i, k in enumerate(UnitKind.values)}
        groups: dict[str, list[KindCount]] = {}
        for d in self.descendants:
            groups.setdefault(d.kind, []).append(d)
        return [
            (rows[0].label, sum(r.count for r in rows), [r for r in rows if r.subkind_label])
            for kind, rows in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
        ]


def unit_counts(actor: Actor, unit: Unit) -> UnitCounts:
    _require_unit(actor, unit)
    below = Unit.objects.filter(prefix_q(unit.path), depth__gt=unit.depth)
    below = scoped(below, actor)
    out = UnitCounts()
    for row in below.filter(depth=unit.depth + 1).values("kind").annotate(n=Count("pk")).order_by("kind"):
        out.children.append(KindCount(row["kind"], KIND_LABELS.get(row["kind"], row["kind"]), "", row["n"]))
    rows = below.values("kind", "subkind").annotate(n=Count("pk")).order_by("kind", "subkind")
    for row in rows:
        out.descendants.append(
            KindCount(
                row["kind"],
                KIND_LABELS.get(row["kind"], row["kind"]),
                SUBKIND_LABELS.get(row["subkind"], row["subkind"]) if row["subkind"] else "",
                row["n"],
            )
        )
    out.descendants_total = sum(d.count for d in out.descendants)
    out.households = scoped(Household.objects.filter(prefix_q(unit.path)), actor).count()
    out.people = scoped(Person.objects.filter(prefix_q(unit.path)), actor).count()
    out.assignments = scoped(active_assignments().filter(prefix_q(unit.path)), actor).count()
    return out


# --- people ------------------------------------------------------------------------------


def unit_people(
    actor: Actor, unit: Unit, page: Any = 1, *, q: str = "", rank: str = "", party: str = ""
) -> Page[Any]:
    """People of the unit's subtree, optionally by name / number, rank, and party membership."""
    _require_unit(actor, unit)
    qs = scoped(Person.objects.filter(prefix_q(unit.path)), actor).select_related("unit")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(number__startswith=q))
    if rank in Rank.values:
        qs = qs.filter(rank=rank)
    if party in ("yes", "no"):
        qs = qs.filter(is_party_member=party == "yes")
    return paginate(qs.order_by("path", "id"), page)


def person_get(actor: Actor, pk: int) -> Person:
    person = scoped(Person.objects.filter(pk=pk), actor).select_related("unit").first()
    if person is None:
        raise Http404
    return person


def person_assignments(actor: Actor, person: Person) -> QuerySet[Assignment]:
    """The person's assignments whose target the actor may see."""
    if not can_access_path(actor, person.path):
        raise Http404
    qs = Assignment.objects.filter(person=person).select_related("unit", "household")
    return scoped(qs, actor).order_by("-start_date", "id")


def can_reveal(actor: Actor, person: Person) -> bool:
    """Whether the actor may see the person's full phone and ID number."""
    return policy.has_role(actor, policy.PERSON_REVEALERS, person.path)


@dataclass(frozen=True)
class IdentityView:
    phone: str
    id_number: str
    revealed: bool
    exists: bool


def person_identity(
    actor: Actor, person: Person, request: HttpRequest | None = None, *, reveal: bool = False
) -> IdentityView:
    """Phone and ID number, masked; with ``reveal`` in full, which is audited (VIEW_PERSONAL).

    Out of scope raises Http404; in scope without a revealing role raises PermissionDenied.
    """
    if not can_access_path(actor, person.path):
        raise Http404
    if reveal and not can_reveal(actor, person):
        raise PermissionDenied
    ident = PersonIdentity.objects.filter(person=person).first()
    if ident is None:
        return IdentityView("", "", revealed=reveal, exists=False)
    if not reveal:
        return IdentityView(
            mask_phone(ident.phone), mask_id_number(ident.id_number), revealed=False, exists=True
        )
    audit(
        actor=actor,
        action=AuditEvent.Action.VIEW_PERSONAL,
        obj=person,
        detail="phone,id_number",
        request=request,
    )
    return IdentityView(ident.phone, ident.id_number, revealed=True, exists=True)


# --- households --------------------------------------------------------------------------


def unit_households(actor: Actor, unit: Unit, page: Any = 1, *, q: str = "") -> Page[Any]:
    """Households of the unit's subtree, optionally by number (prefix) or head of household."""
    _require_unit(actor, unit)
    qs = scoped(Household.objects.filter(prefix_q(unit.path)), actor).select_related("grid")
    q = q.strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(head_name__contains=q))
    return paginate(qs.order_by("path", "id"), page)


def household_get(actor: Actor, pk: int) -> Household:
    household = scoped(Household.objects.filter(pk=pk), actor).select_related("grid").first()
    if household is None:
        raise Http404
    return household


def household_open(actor: Actor, pk: int, request: HttpRequest | None = None) -> Household:
    """The household for its own page (head's full name, address): an audited read of personal data."""
    household = household_get(actor, pk)
    audit(
        actor=actor,
        action=AuditEvent.Action.VIEW_PERSONAL,
        obj=household,
        detail="household page",
        request=request,
    )
    return household


def household_assignments(actor: Actor, household: Household) -> QuerySet[Assignment]:
    if not can_access_path(actor, household.path):
        raise Http404
    qs = Assignment.objects.filter(household=household).select_related("person")
    return scoped(qs, actor).order_by("-start_date", "id")


# --- the tree browser --------------------------------------------------------------------

TREE_CHILDREN_LIMIT = 200
TREE_MAX_INDENT = 11  # app.css has a .indent-N class (N em of padding) for N up to this


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    level: int
    is_open: bool
    more: int = 0  # children left out of an expanded level (see the unit's own page)

    @property
    def indent(self) -> int:
        """The CSS indent class's number (no inline style: the CSP forbids it)."""
        return min(self.level, TREE_MAX_INDENT)


def unit_tree_rows(actor: Actor, open_unit: Unit | None = None) -> list[TreeRow]:
    """The roots of the actor's scope, with the path down to ``open_unit`` expanded."""
    expanded: set[str] = set()
    if open_unit is not None:
        _require_unit(actor, open_unit)
        expanded = {a.path for a, ok in unit_ancestors(actor, open_unit) if ok} | {open_unit.path}
    rows: list[TreeRow] = []

    def walk(units: list[Unit], level: int) -> None:
        for u in units:
            is_open = u.path in expanded and u.numchild > 0
            if not is_open:
                rows.append(TreeRow(u, level, False))
                continue
            children = list(unit_children(actor, u)[: TREE_CHILDREN_LIMIT + 1])
            more = max(0, u.numchild - TREE_CHILDREN_LIMIT) if len(children) > TREE_CHILDREN_LIMIT else 0
            rows.append(TreeRow(u, level, True, more))
            walk(children[:TREE_CHILDREN_LIMIT], level + 1)

    walk(unit_roots(actor), 0)
    return rows
