"""Writes for the administrative power list: one item per (department, category, name)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from minqing.catalogues.models import PowerCategory, PowerItem
from minqing.catalogues.permissions import check_write
from minqing.catalogues.services._common import (
    KeyedRow,
    UpsertResult,
    audit_bulk,
    choice,
    required,
    upsert,
)
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

NAME_MAX, CODE_MAX = 200, 64


def _exists_error(unit: Unit, category: str, name: str) -> DomainError:
    return DomainError(
        ErrorCode.CATALOGUE_POWER_EXISTS, unit=unit.name, category=PowerCategory(category).label, name=name
    )


def _taken(unit: Unit, category: str, name: str, exclude: int | None = None) -> bool:
    qs = PowerItem.objects.filter(unit=unit, category=category, name=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def power_item_create(
    *,
    actor: Actor,
    unit: Unit,
    category: str,
    name: str,
    legal_basis: str = "",
    code: str = "",
    published_on: dt.date | None = None,
    is_active: bool = True,
) -> PowerItem:
    """A new item of ``unit``'s power list (office of the unit or above, or the unit's staff)."""
    check_write(actor, unit.path)
    category = choice(category, "category", PowerCategory.values)
    name = required(name, "name", NAME_MAX)
    if _taken(unit, category, name):
        raise _exists_error(unit, category, name)
    item = PowerItem.objects.create(
        unit=unit,
        path=unit.path,
        category=category,
        name=name,
        code=code.strip()[:CODE_MAX],
        legal_basis=legal_basis.strip(),
        published_on=published_on,
        is_active=is_active,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=item, detail=f"{unit.code} {name}")
    return item


@transaction.atomic
def power_item_update(
    *,
    actor: Actor,
    item: PowerItem,
    category: str,
    name: str,
    legal_basis: str = "",
    code: str = "",
    published_on: dt.date | None = None,
    is_active: bool = True,
) -> PowerItem:
    """Change an item (its department stays); the same permission as creating one."""
    check_write(actor, item.path)
    item = PowerItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
    category = choice(category, "category", PowerCategory.values)
    name = required(name, "name", NAME_MAX)
    if _taken(item.unit, category, name, exclude=item.pk):
        raise _exists_error(item.unit, category, name)
    item.category, item.name, item.code = category, name, code.strip()[:CODE_MAX]
    item.legal_basis, item.published_on, item.is_active = legal_basis.strip(), published_on, is_active
    item.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=item, detail=f"{item.unit.code} {name}")
    return item


def power_row(*, unit: Unit, category: str, name: str, values: dict[str, Any] | None = None) -> KeyedRow:
    """A row for :func:`power_items_upsert`; ``values`` ⊆ code, legal_basis, published_on, is_active."""
    return KeyedRow(unit, (("category", category), ("name", name)), dict(values or {}))


def _clean(row: KeyedRow) -> dict[str, Any]:
    key = dict(row.key)
    choice(key["category"], "category", PowerCategory.values)
    required(key["name"], "name", NAME_MAX)
    return row.values


@transaction.atomic
def power_items_upsert(*, actor: Actor, rows: Sequence[KeyedRow], source: str = "") -> UpsertResult:
    """Create or update many items at once (the importer), with one audit record."""
    result = upsert(PowerItem, actor=actor, rows=rows, key_fields=("category", "name"), clean=_clean)
    audit_bulk(actor=actor, object_type="catalogues.poweritem", source=source, result=result)
    return result
