"""Rewrite encrypted columns row by row in raw SQL: the migrations that encrypt (and decrypt)
existing rows, and ``minqing rotate_field_keys``.

Batches by primary key (keyset), one transaction per batch; each row is written only when a value
changes and only if it still holds what was read (compare and swap), so the app may keep running
and a rerun finds nothing left to do.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from minqing.core import crypto
from minqing.core.fields import EncryptedCharField

# a value's new form, or None to keep it
Transform = Callable[[str, str], str | None]


@dataclass(frozen=True)
class EncryptedTable:
    table: str
    pk: str
    columns: tuple[str, ...]


def encrypted_tables() -> list[EncryptedTable]:
    """Every table with an ``EncryptedCharField``, from the current models."""
    out = []
    for model in apps.get_models():
        cols = tuple(f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField))
        if cols:
            out.append(EncryptedTable(model._meta.db_table, model._meta.pk.column, cols))
    return out


def encrypt_plain(value: str, where: str) -> str | None:
    """For the forward migration: plain text encrypted; a token (already done) kept."""
    return None if not value or crypto.is_token(value) else crypto.encrypt(value)


def decrypt_token(value: str, where: str) -> str | None:
    """For the reverse migration: a token back to plain text."""
    return crypto.decrypt(value, where=where) if value and crypto.is_token(value) else None


def to_first_key(value: str, where: str) -> str | None:
    """For rotation: anything not under the first key re-encrypted with it (plain text too)."""
    if not value:
        return None
    if not crypto.is_token(value):
        return crypto.encrypt(value)
    return None if crypto.is_current(value) else crypto.rotate(value, where=where)


def count_rows(connection: BaseDatabaseWrapper, table: EncryptedTable) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table.table)}")
        return int(cursor.fetchone()[0])


def _batches(connection: BaseDatabaseWrapper, table: EncryptedTable, batch: int) -> Iterator[list[Any]]:
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in (table.pk, *table.columns))
    sql = f"SELECT {cols} FROM {q(table.table)} WHERE {q(table.pk)} > %s ORDER BY {q(table.pk)} LIMIT %s"
    last: Any = -1  # primary keys here are positive integers (ids, one-to-one ids)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def rewrite_table(
    connection: BaseDatabaseWrapper,
    table: EncryptedTable,
    transform: Transform,
    *,
    batch: int = 1000,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Apply ``transform`` to every value of ``table``'s encrypted columns; the rows changed."""
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in table.columns)
    same = " AND ".join(f"{q(c)} = %s" for c in table.columns)
    update = f"UPDATE {q(table.table)} SET {sets} WHERE {q(table.pk)} = %s AND {same}"
    changed = 0
    for rows in _batches(connection, table, batch):
        params: list[list[Any]] = []
        for pk, *old in rows:
            new = [
                transform(str(v or ""), f"{table.table}.{c}") for v, c in zip(old, table.columns, strict=True)
            ]
            if any(n is not None for n in new):
                values = [o if n is None else n for o, n in zip(old, new, strict=True)]
                params.append([*values, pk, *old])
        if params:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.executemany(update, params)
            changed += len(params)
        if progress is not None:
            progress(len(rows))
    return changed
