"""Writes for commendations (表彰): a person (in the system or only named) of a unit, a title, a date.

The optional decision date (表彰决定日期, ``decided_on``) may not be after the 表彰日期.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import Commendation
from minqing.catalogues.permissions import check_write
from minqing.catalogues.services._common import KeyedRow, UpsertResult, audit_bulk, required, upsert
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.scoping import can_access_path

NAME_MAX, TITLE_MAX, AWARDED_BY_MAX = 50, 100, 100


def resolve_name(actor: Actor, name: str, person: Person | None) -> str:
    """The honouree's name: the person's name when one is given (a different name is an error)."""
    name = (name or "").strip()
    if person is None:
        return required(name, "name", NAME_MAX)
    if not can_access_path(actor, person.path):
        raise PermissionDeniedError()
    if name and name != person.name:
        raise DomainError(
            ErrorCode.CATALOGUE_PERSON_NAME_MISMATCH, value=name, number=person.number, name=person.name
        )
    return person.name[:NAME_MAX]


def check_decided_on(decided_on: dt.date | None, date: dt.date) -> dt.date | None:
    """The decision date, which may not be after the commendation's date."""
    if decided_on is not None and decided_on > date:
        raise DomainError(
            ErrorCode.CATALOGUE_DECIDED_AFTER_DATE, value=decided_on.isoformat(), date=date.isoformat()
        )
    return decided_on


def _exists_error(unit: Unit, name: str, title: str, date: dt.date) -> DomainError:
    return DomainError(
        ErrorCode.CATALOGUE_COMMENDATION_EXISTS, unit=unit.name, name=name, title=title, date=date.isoformat()
    )


def _taken(unit: Unit, name: str, title: str, date: dt.date, exclude: int | None = None) -> bool:
    qs = Commendation.objects.filter(unit=unit, name=name, title=title, date=date)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def commendation_create(
    *,
    actor: Actor,
    unit: Unit,
    title: str,
    date: dt.date,
    name: str = "",
    person: Person | None = None,
    awarded_by: str = "",
    campaign: Campaign | None = None,
    decided_on: dt.date | None = None,
) -> Commendation:
    """A commendation of ``person`` (or of ``name``, someone not in the system) of ``unit``."""
    check_write(actor, unit.path)
    name = resolve_name(actor, name, person)
    title = required(title, "title", TITLE_MAX)
    check_decided_on(decided_on, date)
    if _taken(unit, name, title, date):
        raise _exists_error(unit, name, title, date)
    row = Commendation.objects.create(
        person=person,
        name=name,
        unit=unit,
        path=unit.path,
        title=title,
        date=date,
        decided_on=decided_on,
        awarded_by=awarded_by.strip()[:AWARDED_BY_MAX],
        campaign=campaign,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=row, detail=f"{unit.code} {title}")
    return row


@transaction.atomic
def commendation_update(
    *,
    actor: Actor,
    commendation: Commendation,
    title: str,
    date: dt.date,
    name: str = "",
    person: Person | None = None,
    awarded_by: str = "",
    campaign: Campaign | None = None,
    decided_on: dt.date | None = None,
) -> Commendation:
    """Change a commendation (its unit stays); a blank ``decided_on`` clears the decision date."""
    check_write(actor, commendation.path)
    row = Commendation.objects.select_for_update().select_related("unit").get(pk=commendation.pk)
    name = resolve_name(actor, name, person)
    title = required(title, "title", TITLE_MAX)
    check_decided_on(decided_on, date)
    if _taken(row.unit, name, title, date, exclude=row.pk):
        raise _exists_error(row.unit, name, title, date)
    row.person, row.name, row.title, row.date, row.decided_on = person, name, title, date, decided_on
    row.awarded_by, row.campaign = awarded_by.strip()[:AWARDED_BY_MAX], campaign
    row.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=row, detail=f"{row.unit.code} {title}")
    return row


def commendation_row(
    *, unit: Unit, name: str, title: str, date: dt.date, values: dict[str, Any] | None = None
) -> KeyedRow:
    """A row for :func:`commendations_upsert`; ``values`` ⊆ person, awarded_by, campaign, decided_on
    (a key left out keeps what the existing record says)."""
    return KeyedRow(unit, (("name", name), ("title", title), ("date", date)), dict(values or {}))


def _clean(row: KeyedRow) -> dict[str, Any]:
    key = dict(row.key)
    required(key["name"], "name", NAME_MAX)
    required(key["title"], "title", TITLE_MAX)
    check_decided_on(row.values.get("decided_on"), key["date"])
    return row.values


@transaction.atomic
def commendations_upsert(*, actor: Actor, rows: Sequence[KeyedRow], source: str = "") -> UpsertResult:
    """Create or update many commendations at once (the importer), with one audit record."""
    for row in rows:
        person = row.values.get("person")
        if person is not None:
            resolve_name(actor, dict(row.key)["name"], person)
    result = upsert(Commendation, actor=actor, rows=rows, key_fields=("name", "title", "date"), clean=_clean)
    audit_bulk(actor=actor, object_type="catalogues.commendation", source=source, result=result)
    return result
