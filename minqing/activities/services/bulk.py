"""Activities and attendance in bulk (the demo's scale tiers, large imports).

What ``activity_create`` and ``attendance_check_in`` would have written, row for row, but
without building model instances: ``executemany`` on SQLite, ``COPY`` on PostgreSQL. The
invariants the single-row services keep are kept here too:

- an activity's ``path`` is its organiser's path; its ``short_code`` is unique (generated where
  the row gives none, and regenerated where one is taken);
- an attendance row's ``path``, ``start`` and ``type`` are its activity's (taken from the
  database, never from the caller), one row per person per activity (repeats in the input and
  rows already in the database are skipped), and no roster for a headcount-only activity
  (refused, as ``attendance_check_in`` refuses it).

No permission check is made and no audit record is written: callers (the demo, an importer
that has checked every row and writes its own audit record) are trusted.
"""

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from minqing.activities.models import Activity, Attendance, CheckInMethod
from minqing.activities.services.activities import CODE_ALPHABET
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.orgs.services.bulk import BulkResult, UnitRef

CHUNK = 5_000  # activities per insert
ATT_CHUNK = 20_000  # attendance rows per insert
CODE_LEN = 6
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LEN


@dataclass(frozen=True)
class ActivityRow:
    number: str
    type_id: int
    organiser: UnitRef
    title: str
    start: dt.datetime
    end: dt.datetime | None = None
    campaign_id: int | None = None
    headcount: int | None = None
    place: str = ""
    short_code: str = ""  # "" = generate one


@dataclass(frozen=True)
class AttendanceRow:
    activity_id: int
    person_id: int
    checked_in_at: dt.datetime
    method: str = CheckInMethod.IMPORT


def code_for(n: int) -> str:
    """The ``n``-th code of a fixed permutation of all 6-character codes (distinct for distinct n)."""
    v = (n * 387_420_489 + 12_345) % CODE_SPACE  # 9**9 is coprime to 31**6
    chars = []
    for _ in range(CODE_LEN):
        v, r = divmod(v, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[r])
    return "".join(chars)


def _fields(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


A_FIELDS = _fields(Activity)
T_FIELDS = _fields(Attendance)
A_DEFAULTS = {f.attname: f.get_default() for f in A_FIELDS}


def insert_rows(
    model: type[models.Model], fields: Sequence["models.Field[Any, Any]"], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert value tuples (in ``fields`` order, datetimes aware) with COPY or executemany."""
    conn = connections[DEFAULT_DB_ALIAS]
    dts = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
    qn = conn.ops.quote_name
    table, cols = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = conn.ops.adapt_datetimefield_value
        values = []
        for row in rows:
            v = list(row)
            for i in dts:
                if v[i] is not None:
                    v[i] = adapt(v[i])
            values.append(v)
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", values)


def _free_codes(rows: list[ActivityRow], rng: random.Random) -> list[str]:
    codes = [r.short_code or "".join(rng.choices(CODE_ALPHABET, k=CODE_LEN)) for r in rows]
    while True:
        taken: set[str] = set()
        for chunk in chunked(codes):
            taken.update(Activity.objects.filter(short_code__in=chunk).values_list("short_code", flat=True))
        seen: set[str] = set()
        clash = False
        for i, c in enumerate(codes):
            if c in taken or c in seen:
                codes[i] = "".join(rng.choices(CODE_ALPHABET, k=CODE_LEN))
                clash = True
            seen.add(codes[i])
        if not clash:
            return codes


def activities_bulk_create(rows: Iterable[ActivityRow], *, seed: object = 0) -> BulkResult:
    """Create activities; rows whose number exists are skipped. ``seed`` makes generated codes repeatable."""
    rng = random.Random(f"codes:{seed}")
    result = BulkResult()
    names = [f.attname for f in A_FIELDS]
    for chunk in chunked(rows, CHUNK):
        taken: set[str] = set()
        for part in chunked([r.number for r in chunk]):
            taken.update(Activity.objects.filter(number__in=part).values_list("number", flat=True))
        new = [r for r in dict((r.number, r) for r in chunk).values() if r.number not in taken]
        result.skipped += len(chunk) - len(new)
        for r in new:
            if r.end is not None and r.end < r.start:
                raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="end", value=str(r.end))
        codes = _free_codes(new, rng)
        values = []
        for r, code in zip(new, codes, strict=True):
            v = dict(A_DEFAULTS)
            v.update(
                number=r.number,
                type_id=r.type_id,
                organiser_id=r.organiser.id,
                path=r.organiser.path,
                campaign_id=r.campaign_id,
                title=r.title[:200],
                start=r.start,
                end=r.end,
                place=r.place,
                headcount=r.headcount,
                short_code=code,
            )
            values.append([v[n] for n in names])
        with transaction.atomic():
            insert_rows(Activity, A_FIELDS, values)
        result.created += len(new)
    return result


def attendance_bulk_create(rows: Iterable[AttendanceRow], *, chunk_size: int = ATT_CHUNK) -> BulkResult:
    """Create attendance rows; a person already on the activity's roster (or repeated) is skipped."""
    result = BulkResult()
    names = [f.attname for f in T_FIELDS]
    for chunk in chunked(rows, chunk_size):
        ids = sorted({r.activity_id for r in chunk})
        acts: dict[int, tuple[str, dt.datetime, int, int | None]] = {}
        existing: set[tuple[int, int]] = set()
        for part in chunked(ids):
            qs = Activity.objects.filter(id__in=part).values_list(
                "id", "path", "start", "type_id", "headcount"
            )
            acts.update((a[0], a[1:]) for a in qs)
            existing.update(
                Attendance.objects.filter(activity_id__in=part).values_list("activity_id", "person_id")
            )
        values = []
        for r in chunk:
            key = (r.activity_id, r.person_id)
            if key in existing:
                result.skipped += 1
                continue
            existing.add(key)
            path, start, type_id, headcount = acts[r.activity_id]
            if headcount is not None:
                raise DomainError(ErrorCode.ACTIVITY_HEADCOUNT_ONLY)
            v = {
                "activity_id": r.activity_id,
                "person_id": r.person_id,
                "path": path,
                "start": start,
                "type_id": type_id,
                "checked_in_at": r.checked_in_at,
                "method": r.method,
            }
            values.append([v[n] for n in names])
        with transaction.atomic():
            insert_rows(Attendance, T_FIELDS, values)
        result.created += len(values)
    return result
