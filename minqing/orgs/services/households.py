"""Writes to households: flat rows under a grid, carrying a copy of the grid's path."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Household, Unit
from minqing.orgs.services.bulk import (
    BulkResult,
    UnitRef,
    audit_bulk,
    check_paths_write,
    check_unit_write,
)


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    grid: Unit,
    number: str,
    head_name: str = "",
    address: str = "",
    members: int = 1,
) -> Household:
    if grid.kind != UnitKind.GRID:
        raise DomainError(ErrorCode.NOT_A_GRID, code=grid.code)
    check_unit_write(actor, grid)
    if Household.objects.filter(grid=grid, number=number).exists():
        raise DomainError(ErrorCode.HOUSEHOLD_NUMBER_TAKEN, grid=grid.code, value=number)
    hh = Household.objects.create(
        grid=grid, path=grid.path, number=number, head_name=head_name, address=address, members=members
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=hh, detail=f"{number} @ {grid.code}")
    return hh


@dataclass(frozen=True)
class HouseholdRow:
    grid: UnitRef
    number: str
    head_name: str = ""
    address: str = ""
    members: int = 1


def _insert_sql() -> str:
    qn = connection.ops.quote_name
    cols = ("grid_id", "path", "number", "head_name", "address", "members")
    return (
        f"INSERT INTO {qn(Household._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
        f"VALUES ({', '.join(['%s'] * len(cols))}) ON CONFLICT DO NOTHING"
    )


@transaction.atomic
def households_bulk_create(
    *, actor: Actor, rows: Iterable[HouseholdRow], batch_size: int = 20000, source: str = ""
) -> BulkResult:
    """Insert many households with ``executemany`` in one transaction.

    Rows that exist already (same grid and number) are skipped, so a re-run adds nothing.
    ``rows`` may be a generator: it is consumed ``batch_size`` rows at a time. For millions of
    rows call this once per chunk, so each chunk commits on its own.
    """
    result = BulkResult()
    sql = _insert_sql()
    with connection.cursor() as cur:
        for batch in chunked(rows, batch_size):
            for r in batch:
                if r.grid.kind != UnitKind.GRID:
                    raise DomainError(ErrorCode.NOT_A_GRID, code=r.grid.code)
            check_paths_write(actor, [r.grid.path for r in batch])
            cur.executemany(
                sql, [(r.grid.id, r.grid.path, r.number, r.head_name, r.address, r.members) for r in batch]
            )
            n = max(cur.rowcount, 0)
            result.created += n
            result.skipped += len(batch) - n
    audit_bulk(actor=actor, object_type="orgs.household", result=result, source=source)
    return result
