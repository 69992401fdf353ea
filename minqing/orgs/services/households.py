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


COLUMNS = ("grid_id", "path", "number", "head_name", "address", "members")
STAGING = "minqing_household_in"  # PostgreSQL: a batch is copied here, then inserted in one statement


def _insert_sql() -> str:
    qn = connection.ops.quote_name
    return (
        f"INSERT INTO {qn(Household._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING"
    )


def _staging_sql() -> tuple[str, str, str]:
    """PostgreSQL: the staging table (dropped at commit), the COPY into it and the one INSERT that
    moves a batch on.

    One statement per batch instead of one per row: the round trips go, and the statement-level
    trigger that keeps ``GridHouseholds`` runs once per batch, so a grid's counter row is
    updated once, not once per household (a bulk load left that small table thousands of pages
    of dead rows)."""
    qn = connection.ops.quote_name
    fields = {f.column: f for f in Household._meta.concrete_fields}
    types = ", ".join(f"{qn(c)} {fields[c].db_type(connection)}" for c in COLUMNS)
    cols = ", ".join(qn(c) for c in COLUMNS)
    create = f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ({types}) ON COMMIT DROP"
    copy = f"COPY {STAGING} ({cols}) FROM STDIN"
    move = (
        f"INSERT INTO {qn(Household._meta.db_table)} ({cols}) SELECT {cols} FROM {STAGING} "
        "ON CONFLICT DO NOTHING"
    )
    return create, copy, move


@transaction.atomic
def households_bulk_create(
    *, actor: Actor, rows: Iterable[HouseholdRow], batch_size: int = 20000, source: str = ""
) -> BulkResult:
    """Insert many households in one transaction: ``executemany`` on SQLite; on PostgreSQL each
    batch is copied into a staging table and inserted in one statement (``_staging_sql``).

    Rows that exist already (same grid and number) are skipped, so a re-run adds nothing.
    ``rows`` may be a generator: it is consumed ``batch_size`` rows at a time. For millions of
    rows call this once per chunk, so each chunk commits on its own.
    """
    result = BulkResult()
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:
            create, copy_sql, move = _staging_sql()
            cur.execute(create)  # once per call: a batch empties it and fills it again
        else:
            insert = _insert_sql()
        for batch in chunked(rows, batch_size):
            for r in batch:
                if r.grid.kind != UnitKind.GRID:
                    raise DomainError(ErrorCode.NOT_A_GRID, code=r.grid.code)
            check_paths_write(actor, [r.grid.path for r in batch])
            values = [(r.grid.id, r.grid.path, r.number, r.head_name, r.address, r.members) for r in batch]
            if postgres:
                cur.execute(f"TRUNCATE {STAGING}")
                with cur.cursor.copy(copy_sql) as copy:
                    for v in values:
                        copy.write_row(v)
                cur.execute(move)
            else:
                cur.executemany(insert, values)
            n = max(cur.rowcount, 0)
            result.created += n
            result.skipped += len(batch) - n
    audit_bulk(actor=actor, object_type="orgs.household", result=result, source=source)
    return result
