"""What the catalogue services share: required text, the bulk upsert used by the importers."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from minqing.catalogues.permissions import check_write
from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

M = TypeVar("M", bound=models.Model)


def required(value: str, field_name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=field_name)
    return value[:limit]


def choice(value: str, field_name: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field=field_name, value=value)
    return value


@dataclass(frozen=True)
class KeyedRow:
    """One row to upsert: its unit, the rest of its natural key, and the values it sets.

    ``values`` holds only the columns the file has: a column that is absent keeps what the
    existing record says (and the model's default for a new one).
    """

    unit: Unit
    key: tuple[tuple[str, Any], ...]
    values: dict[str, Any] = field(default_factory=dict)

    def natural_key(self) -> tuple[Any, ...]:
        return (self.unit.pk, *(v for _k, v in self.key))


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    results_added: int = 0  # reforms: results recorded by this upsert
    objects: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # natural key -> row


def _same(obj: models.Model, name: str, value: Any) -> bool:
    """Whether ``obj.name`` equals ``value``; a foreign key compares ids (no query)."""
    if obj._meta.get_field(name).is_relation:
        return bool(getattr(obj, f"{name}_id") == (value.pk if value is not None else None))
    return bool(getattr(obj, name) == value)


def upsert(
    model: type[M],
    *,
    actor: Actor,
    rows: Sequence[KeyedRow],
    key_fields: tuple[str, ...],
    clean: Callable[[KeyedRow], dict[str, Any]],
    has_updated_at: bool = True,
) -> UpsertResult:
    """Create the rows whose key is new, update those whose values differ; the caller's transaction.

    ``clean`` validates one row and returns its values (a ``DomainError`` fails everything).
    Every row's unit is checked for write permission first.
    """
    checked: set[str] = set()
    for row in rows:
        if row.unit.path not in checked:
            check_write(actor, row.unit.path)
            checked.add(row.unit.path)
    out = UpsertResult()
    existing: dict[tuple[Any, ...], M] = {}
    for chunk in chunked(sorted({r.unit.pk for r in rows})):
        for old in model._default_manager.filter(unit_id__in=chunk):
            existing[(old.unit_id, *(getattr(old, f) for f in key_fields))] = old  # type: ignore[attr-defined]
    new: list[M] = []
    now = timezone.now()
    for row in rows:
        nk = row.natural_key()
        if nk in out.objects:
            raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="/".join(key_fields), value=str(nk[1:]))
        values = clean(row)
        found = existing.get(nk)
        if found is None:
            obj = model(unit=row.unit, path=row.unit.path, **dict(row.key), **values)
            new.append(obj)
        else:
            obj = found
            changed = [k for k, v in values.items() if not _same(obj, k, v)]
            if changed:
                for k in changed:
                    setattr(obj, k, values[k])
                if has_updated_at:
                    obj.updated_at = now  # type: ignore[attr-defined]
                    changed.append("updated_at")
                obj.save(update_fields=changed)
                out.updated += 1
            else:
                out.unchanged += 1
        out.objects[nk] = obj
    model._default_manager.bulk_create(new, batch_size=500)
    out.created = len(new)
    return out


def audit_bulk(*, actor: Actor, object_type: str, source: str, result: UpsertResult, extra: str = "") -> None:
    audit(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type=object_type,
        detail=(
            f"{source}: created {result.created}, updated {result.updated}, unchanged {result.unchanged}"
            f"{extra}"
        ),
    )
