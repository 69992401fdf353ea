"""Shared pieces of the bulk writers (people, households, assignments).

Bulk rows carry a :class:`UnitRef` (id, code, path, kind) instead of a model instance, so a
loader can stream millions of rows without building ``Unit`` objects; ``unit_refs`` fetches
them by code in chunks.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_path, can_access_unit

T = TypeVar("T")

WRITE_ROLES = (Role.OFFICE, Role.UNIT_STAFF)


class UnitRef(NamedTuple):
    id: int
    code: str
    path: str
    kind: str
    subkind: str = ""


@dataclass
class BulkResult:
    created: int = 0
    skipped: int = 0


def ref_of(unit: Unit) -> UnitRef:
    return UnitRef(unit.pk, unit.code, unit.path, unit.kind, unit.subkind)


def unit_refs(codes: Iterable[str] | None = None) -> dict[str, UnitRef]:
    """``code -> UnitRef`` for the given codes (all units when ``codes`` is None)."""
    fields = ("id", "code", "path", "kind", "subkind")
    if codes is None:
        return {r[1]: UnitRef(*r) for r in Unit.objects.values_list(*fields).iterator(chunk_size=20000)}
    out: dict[str, UnitRef] = {}
    for chunk in chunked(dict.fromkeys(codes)):
        for r in Unit.objects.filter(code__in=chunk).values_list(*fields):
            out[r[1]] = UnitRef(*r)
    return out


def check_unit_write(actor: Any, unit: Unit) -> None:
    """A non-system actor needs the office or unit-staff role on ``unit`` or above it."""
    if actor is not None and not can_access_unit(actor, unit, roles=WRITE_ROLES):
        raise PermissionDeniedError()


def check_paths_write(actor: Any, paths: Sequence[str]) -> None:
    if actor is None:
        return
    for p in set(paths):
        if not can_access_path(actor, p, roles=WRITE_ROLES):
            raise PermissionDeniedError()


def audit_bulk(*, actor: Any, object_type: str, result: BulkResult, source: str) -> None:
    if actor is not None or source:
        audit(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type=object_type,
            detail=f"{source or 'bulk'}: created {result.created}, skipped {result.skipped}",
        )
