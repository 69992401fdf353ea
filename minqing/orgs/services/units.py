"""Writes to the unit tree.

``units_upsert`` loads many units at once (imports, the demo): it computes materialized paths
itself and writes with bulk statements, so the 16,000 units of a region or 150,000 grids load
in seconds, while keeping treebeard's invariants (path, depth, numchild) so that treebeard's
own methods (children, ancestors, move) work on the result. It is idempotent: a second run
with the same rows changes nothing.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.core.paths import prefix_q
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_system
from minqing.orgs.enums import Duty
from minqing.orgs.models import Unit
from minqing.orgs.pathcopies import repath_copies
from minqing.orgs.selectors import unit_for_code

ALPHABET = Unit.alphabet
STEPLEN = Unit.steplen


@dataclass(frozen=True)
class UnitRow:
    """One unit to create or update; ``parent_code`` empty for a root."""

    code: str
    name: str
    kind: str
    parent_code: str = ""
    subkind: str = ""
    division_code: str | None = None
    has_party_org: bool = False
    party_category: str = ""
    row_number: int = 0  # where it came from, for error messages


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    created_codes: list[str] = field(default_factory=list)


UPDATABLE = ("name", "kind", "subkind", "division_code", "has_party_org", "party_category")


def step(n: int) -> str:
    """The ``n``-th (1-based) step of a path, base 36, zero-padded to ``STEPLEN``."""
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    if len(digits) > STEPLEN:
        raise OverflowError("too many children under one unit")
    return digits.rjust(STEPLEN, ALPHABET[0])


def step_value(path: str) -> int:
    n = 0
    for ch in path[-STEPLEN:]:
        n = n * len(ALPHABET) + ALPHABET.index(ch)
    return n


def _order_new(rows: Sequence[UnitRow], existing: dict[str, Unit]) -> list[UnitRow]:
    """New rows, parents before children; raises on an unknown parent or a cycle."""
    by_code = {r.code: r for r in rows}
    ordered: list[UnitRow] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    for start in rows:
        if start.code in existing or state.get(start.code) == 2:
            continue
        chain: list[UnitRow] = []
        cur: UnitRow | None = start
        while cur is not None and cur.code not in existing and state.get(cur.code) != 2:
            if state.get(cur.code) == 1:
                raise DomainError(ErrorCode.IMPORT_PARENT_CYCLE)
            state[cur.code] = 1
            chain.append(cur)
            pc = cur.parent_code
            if not pc or pc in existing:
                cur = None
            elif pc in by_code:
                cur = by_code[pc]
            else:
                raise DomainError(ErrorCode.IMPORT_UNKNOWN_PARENT, value=pc)
        for r in reversed(chain):
            state[r.code] = 2
            ordered.append(r)
    return ordered


def unit_moved(unit: Unit, old_path: str) -> None:
    """After ``unit`` moved in the tree from ``old_path`` (here or in treebeard's admin), the
    copied paths under it (households, people, assignments, ...) follow it."""
    unit.refresh_from_db()
    if unit.path != old_path:
        repath_copies(old_path, unit.path)


@transaction.atomic
def unit_move(unit: Unit, target: Unit, pos: str = "last-child") -> None:
    """Move ``unit`` under or beside ``target`` (treebeard's ``pos``), its copied paths with it."""
    old_path = unit.path
    Unit.objects.move(unit, target, pos=pos)
    unit_moved(unit, old_path)


def check_tree_write(actor: Actor) -> None:
    """Only the system administrator (系统管理员; ``SYSTEM`` for commands and the demo) writes the
    unit tree: a unit role, even the office's, does not (``minqing import units --user``)."""
    if not policy.has_duty(actor, Duty.SYSTEM):
        raise PermissionDeniedError()


@transaction.atomic
def units_upsert(*, rows: Sequence[UnitRow], actor: Actor, source: str = "") -> UpsertResult:
    """Create or update units by code. Parents may come earlier or later in ``rows`` or exist already.
    The unit tree is the system administrator's (``check_tree_write``)."""
    check_tree_write(actor)
    result = UpsertResult()
    codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    existing: dict[str, Unit] = {}
    for chunk in chunked(codes):
        for u in Unit.objects.filter(code__in=chunk):
            existing[u.code] = u

    # 1. updates and moves of existing units
    to_update: list[Unit] = []
    to_move: list[tuple[Unit, str]] = []
    for r in rows:
        u = existing.get(r.code)
        if u is None:
            continue
        changed = False
        for f in UPDATABLE:
            if getattr(u, f) != getattr(r, f):
                setattr(u, f, getattr(r, f))
                changed = True
        parent_path = u.path[:-STEPLEN]
        if r.parent_code:
            want = existing.get(r.parent_code)
            if want is None or want.path != parent_path:
                to_move.append((u, r.parent_code))
        elif u.depth != 1:
            raise DomainError(ErrorCode.IMPORT_BAD_VALUE, value=r.parent_code or "—")
        if changed:
            to_update.append(u)
        elif not any(m[0] is u for m in to_move):
            result.unchanged += 1
    if to_update:
        Unit.objects.bulk_update(to_update, list(UPDATABLE), batch_size=2000)
        result.updated = len(to_update)

    # 2. new units, parents first, with computed paths
    new_rows = _order_new(rows, existing)
    next_step: dict[str, int] = {}  # parent path -> next step number ("" for roots)
    numchild_add: dict[str, int] = defaultdict(int)
    created: list[Unit] = []
    path_of: dict[str, str] = {c: u.path for c, u in existing.items()}
    for r in new_rows:
        parent_path = path_of[r.parent_code] if r.parent_code else ""
        if parent_path not in next_step:
            last = (
                Unit.objects.filter(depth=len(parent_path) // STEPLEN + 1)
                .filter(prefix_q(parent_path) if parent_path else prefix_q(""))
                .aggregate(m=Max("path"))["m"]
            )
            next_step[parent_path] = step_value(last) + 1 if last else 1
        path = parent_path + step(next_step[parent_path])
        next_step[parent_path] += 1
        numchild_add[parent_path] += 1
        path_of[r.code] = path
        created.append(
            Unit(
                path=path,
                depth=len(path) // STEPLEN,
                numchild=0,
                code=r.code,
                name=r.name,
                kind=r.kind,
                subkind=r.subkind,
                division_code=r.division_code,
                has_party_org=r.has_party_org,
                party_category=r.party_category,
            )
        )
    for u in created:
        u.numchild = numchild_add.get(u.path, 0)
    Unit.objects.bulk_create(created, batch_size=2000)
    result.created = len(created)
    result.created_codes = [u.code for u in created]
    existing_parents = [u for u in existing.values() if numchild_add.get(u.path)]
    for u in existing_parents:
        u.numchild += numchild_add[u.path]
    if existing_parents:
        Unit.objects.bulk_update(existing_parents, ["numchild"], batch_size=2000)

    # 3. moves (rare: a unit re-parented by a later file) through treebeard, then fix the copies
    for u, parent_code in to_move:
        u.refresh_from_db()
        target = Unit.objects.get(code=parent_code)
        unit_move(u, target)
        result.moved += 1

    if not is_system(actor) or source:
        audit(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="orgs.unit",
            detail=f"{source}: created {result.created}, updated {result.updated}, moved {result.moved}",
        )
    return result


def resolve_unit(code: str) -> Unit:
    """A unit by its 12-digit division code, the short form of one (150900 = 150900000000) or own code."""
    code = code.strip()
    u = unit_for_code(code)
    if u is None:
        raise DomainError(ErrorCode.UNIT_NOT_FOUND, code=code)
    return u
