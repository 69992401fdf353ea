"""Writes to people (cadres, party members) and their identity details."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person, PersonIdentity, Unit
from minqing.orgs.services.bulk import (
    BulkResult,
    UnitRef,
    audit_bulk,
    check_paths_write,
    check_unit_write,
)


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    number: str,
    name: str,
    unit: Unit,
    rank: str = Rank.NONE,
    is_party_member: bool = False,
    duties: str = "",
    phone: str = "",
    id_number: str = "",
    user: Any = None,
) -> Person:
    """Create one person on ``unit``; phone and ID number go to :class:`PersonIdentity`.

    ``user``: the person's login, if they have one (a leader claims problems as their person).
    """
    check_unit_write(actor, unit)
    if Person.objects.filter(number=number).exists():
        raise DomainError(ErrorCode.PERSON_NUMBER_TAKEN, value=number)
    person = Person.objects.create(
        number=number,
        name=name,
        unit=unit,
        path=unit.path,
        rank=Rank(rank),
        is_party_member=is_party_member,
        duties=duties,
        user=user,
    )
    if phone or id_number:
        PersonIdentity.objects.create(person=person, phone=phone, id_number=id_number)
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=person, detail=f"{number} @ {unit.code}")
    return person


@dataclass(frozen=True)
class PersonRow:
    number: str
    name: str
    unit: UnitRef
    rank: str = Rank.NONE
    is_party_member: bool = False
    duties: str = ""
    phone: str = ""
    id_number: str = ""


@transaction.atomic
def people_bulk_create(
    *, actor: Actor, rows: Iterable[PersonRow], batch_size: int = 5000, source: str = ""
) -> BulkResult:
    """Create many people at once; rows whose number exists already are skipped (idempotent)."""
    result = BulkResult()
    for batch in chunked(rows, batch_size):
        check_paths_write(actor, [r.unit.path for r in batch])
        numbers = [r.number for r in batch]
        taken: set[str] = set()
        for chunk in chunked(numbers):
            taken.update(Person.objects.filter(number__in=chunk).values_list("number", flat=True))
        new = [r for r in dict((r.number, r) for r in batch).values() if r.number not in taken]
        result.skipped += len(batch) - len(new)
        people = Person.objects.bulk_create(
            [
                Person(
                    number=r.number,
                    name=r.name,
                    unit_id=r.unit.id,
                    path=r.unit.path,
                    rank=r.rank,
                    is_party_member=r.is_party_member,
                    duties=r.duties,
                )
                for r in new
            ],
            batch_size=batch_size,
        )
        if any(p.pk is None for p in people):  # a backend that cannot return ids
            ids = dict(
                Person.objects.filter(number__in=[p.number for p in people]).values_list("number", "id")
            )
            for p in people:
                p.pk = ids[p.number]
        PersonIdentity.objects.bulk_create(
            [
                PersonIdentity(person_id=p.pk, phone=r.phone, id_number=r.id_number)
                for p, r in zip(people, new, strict=True)
                if r.phone or r.id_number
            ],
            batch_size=batch_size,
        )
        result.created += len(people)
    audit_bulk(actor=actor, object_type="orgs.person", result=result, source=source)
    return result
