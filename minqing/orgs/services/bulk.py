"""Shared pieces of the bulk writers (people, households, assignments).

Bulk rows carry a :class:`UnitRef` (id, code, path, kind) instead of a model instance, so a
loader can stream millions of rows without building ``Unit`` objects; ``unit_refs`` fetches
them by code in chunks.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_system
from minqing.orgs.models import Unit

T = TypeVar("T")


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


def check_unit_write(actor: Actor, unit: Unit) -> None:
    """The actor needs the office or unit-staff role on ``unit`` or above it (or is ``SYSTEM``)."""
    check_paths_write(actor, [unit.path])


def check_paths_write(actor: Actor, paths: Sequence[str]) -> None:
    for p in set(paths):
        if not policy.has_role(actor, policy.UNIT_WRITERS, p):
            raise PermissionDeniedError()


def audit_bulk(*, actor: Actor, object_type: str, result: BulkResult, source: str) -> None:
    """One audit row for a bulk write (none for the system without a named source)."""
    if not is_system(actor) or source:
        audit(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type=object_type,
            detail=f"{source or 'bulk'}: created {result.created}, skipped {result.skipped}",
        )
