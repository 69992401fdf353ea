"""Writes to assignments: a cadre on a unit or grid (contact point, demonstration) or a household."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.enums import AssignmentKind
from minqing.orgs.models import Assignment, Household, Person, Unit
from minqing.orgs.services.bulk import (
    BulkResult,
    UnitRef,
    audit_bulk,
    check_paths_write,
    check_unit_write,
)


@transaction.atomic
def assignment_create(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    start_date: datetime.date,
    unit: Unit | None = None,
    household: Household | None = None,
    end_date: datetime.date | None = None,
) -> Assignment:
    """Assign ``person`` to exactly one of ``unit`` or ``household``; the target's path is copied."""
    if (unit is None) == (household is None):
        raise DomainError(ErrorCode.ASSIGNMENT_ONE_TARGET)
    if end_date is not None and end_date < start_date:
        raise DomainError(ErrorCode.BAD_DATE_RANGE)
    target_unit = unit if unit is not None else household.grid  # type: ignore[union-attr]
    check_unit_write(actor, target_unit)
    a = Assignment.objects.create(
        person=person,
        kind=AssignmentKind(kind),
        unit=unit,
        household=household,
        path=unit.path if unit is not None else household.path,  # type: ignore[union-attr]
        start_date=start_date,
        end_date=end_date,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=a, detail=f"{person.number} {kind} {a.path}")
    return a


@dataclass(frozen=True)
class AssignmentRow:
    """``unit`` for a unit or grid target; ``household_id`` + ``household_path`` for a household."""

    person_id: int
    kind: str
    start_date: datetime.date
    unit: UnitRef | None = None
    household_id: int | None = None
    household_path: str = ""
    end_date: datetime.date | None = None

    @property
    def key(self) -> tuple[int, str, int | None, int | None]:
        return (self.person_id, self.kind, self.unit.id if self.unit else None, self.household_id)

    @property
    def path(self) -> str:
        return self.unit.path if self.unit is not None else self.household_path


@transaction.atomic
def assignments_bulk_create(
    *, actor: Actor, rows: Iterable[AssignmentRow], batch_size: int = 10000, source: str = ""
) -> BulkResult:
    """Create many assignments; one that exists already (same person, kind and target) is skipped."""
    result = BulkResult()
    for batch in chunked(rows, batch_size):
        for r in batch:
            if (r.unit is None) == (r.household_id is None):
                raise DomainError(ErrorCode.ASSIGNMENT_ONE_TARGET)
        check_paths_write(actor, [r.path for r in batch])
        person_ids = sorted({r.person_id for r in batch})
        existing: set[tuple[int, str, int | None, int | None]] = set()
        for chunk in chunked(person_ids):
            existing.update(
                Assignment.objects.filter(person_id__in=chunk).values_list(
                    "person_id", "kind", "unit_id", "household_id"
                )
            )
        new: list[Assignment] = []
        for r in batch:
            if r.key in existing:
                result.skipped += 1
                continue
            existing.add(r.key)
            new.append(
                Assignment(
                    person_id=r.person_id,
                    kind=r.kind,
                    unit_id=r.unit.id if r.unit else None,
                    household_id=r.household_id,
                    path=r.path,
                    start_date=r.start_date,
                    end_date=r.end_date,
                )
            )
        Assignment.objects.bulk_create(new, batch_size=batch_size)
        result.created += len(new)
    audit_bulk(actor=actor, object_type="orgs.assignment", result=result, source=source)
    return result
