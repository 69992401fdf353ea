"""Units and the tree: ``/api/v1/units``. Each unit is addressed by its code (the 12-digit
division code for a territorial unit, or the unit's own code); only units in the caller's
subtree exist for it."""

from django.http import HttpRequest
from ninja import Router, Schema

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError
from minqing.api.pagination import Page, keyset_page
from minqing.api.scopes import Scope
from minqing.orgs import selectors
from minqing.orgs.models import Unit
from minqing.orgs.scoping import scoped

router = Router(tags=["单位 / units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    subkind: str
    division_code: str | None
    parent_code: str | None
    depth: int


class UnitCountsOut(Schema):
    children: int
    descendants: int
    households: int
    people: int
    assignments: int


def unit_out(unit: Unit, parent_code: str | None) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        subkind=unit.subkind,
        division_code=unit.division_code or None,
        parent_code=parent_code,
        depth=unit.depth,
    )


def _parent_codes(units: list[Unit]) -> dict[str, str]:
    """Each unit's parent code, in one query."""
    steplen = Unit.steplen
    parents = {u.path[:-steplen] for u in units if u.depth > 1}
    codes = dict(Unit.objects.filter(path__in=parents).values_list("path", "code"))
    return {u.path: codes.get(u.path[:-steplen], "") for u in units}


def unit_in_scope(request: HttpRequest, code: str) -> Unit:
    """The unit with ``code`` in the caller's subtree, else 404 (never 403: a unit outside it does
    not exist for the caller)."""
    actor = require_scope(request, Scope.READ)
    unit = selectors.unit_by_code(actor, code)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="code")
    return unit


@router.get("/", response=Page[UnitOut], summary="单位列表 / list units")
def list_units(
    request: HttpRequest,
    parent: str | None = None,
    q: str | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[UnitOut]:
    """The caller's top units, or the children of ``parent``, or units whose name contains ``q``
    (or whose code starts with it); optionally of one ``kind``."""
    actor = require_scope(request, Scope.READ)
    if parent:
        qs = selectors.unit_children(actor, unit_in_scope(request, parent))
    elif q:
        qs = selectors.unit_search_queryset(actor, q)
    else:
        qs = scoped(Unit.objects.filter(pk__in=[u.pk for u in selectors.unit_roots(actor)]), actor)
    if kind:
        qs = qs.filter(kind=kind)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    parents = _parent_codes(rows)
    return Page[UnitOut](items=[unit_out(u, parents[u.path] or None) for u in rows], next_cursor=next_cursor)


@router.get("/{code}", response=UnitOut, summary="单位 / one unit")
def get_unit(request: HttpRequest, code: str) -> UnitOut:
    unit = unit_in_scope(request, code)
    return unit_out(unit, _parent_codes([unit])[unit.path] or None)


@router.get("/{code}/counts", response=UnitCountsOut, summary="单位统计 / a unit's counts")
def unit_counts(request: HttpRequest, code: str) -> UnitCountsOut:
    actor = require_scope(request, Scope.READ)
    counts = selectors.unit_counts(actor, unit_in_scope(request, code))
    return UnitCountsOut(
        children=counts.children_total,
        descendants=counts.descendants_total,
        households=counts.households,
        people=counts.people,
        assignments=counts.assignments,
    )
