"""Lists that cost the same on a ledger of 9,000 or 2,000,000 problems (issue 17, part 5).

A page of a list newest first is found by its neighbour's key (``registered_at``, ``id``), not
by an OFFSET: ``?after=<key>`` is the next (older) page, ``?before=<key>`` the previous one, so
a page is one index range read of ``size + 1`` rows wherever it is in the list, and a page
never skips or repeats a row when rows with the same ``registered_at`` straddle its edge.
Plain links: no JavaScript.

Counts are capped: at most ``COUNT_CAP + 1`` rows are counted (``SELECT COUNT(*) FROM (SELECT
… LIMIT cap + 1)``), shown as ``1,000+`` beyond the cap. The page object answers what the
templates and callers of a Django ``Page`` use (iteration, ``len``, ``object_list``,
``paginator.count``, ``has_next``, ``has_previous``).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q

COUNT_CAP = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
KEY_MAX = 40  # characters of a cursor read from a URL


@dataclass(frozen=True)
class Key:
    """A row's place in the order ``-registered_at, -id``."""

    at: datetime
    pk: int

    def encode(self) -> str:
        return f"{(self.at - EPOCH) // US}.{self.pk}"

    @classmethod
    def decode(cls, value: Any) -> "Key | None":
        """The key of a URL's cursor; None for anything else (the list then starts at its top)."""
        text = str(value or "")[:KEY_MAX]
        micro, _, pk = text.partition(".")
        try:
            return cls(EPOCH + int(micro) * US, int(pk))
        except (ValueError, OverflowError):
            return None

    @classmethod
    def of(cls, row: Any) -> "Key":
        return cls(row.registered_at, row.pk)


@dataclass(frozen=True)
class Capped:
    """A count of at most ``cap + 1`` rows: ``n`` exact when not ``capped``."""

    n: int
    cap: int = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.n > self.cap

    @property
    def shown(self) -> int:
        """The figure to print (followed by ``+`` when capped)."""
        return min(self.n, self.cap)


def capped_count(qs: Any, cap: int = COUNT_CAP) -> Capped:
    """Count the rows of ``qs``, stopping after ``cap + 1``."""
    return Capped(qs.order_by()[: cap + 1].count(), cap)


def capped_counts_by(qs: Any, column: str, values: Sequence[str], cap: int = COUNT_CAP) -> dict[str, Capped]:
    """``capped_count`` of ``qs`` for each value of ``column``, in one query of scalar subqueries
    (each reads at most ``cap + 1`` rows). Values with no row are left out."""
    parts: list[str] = []
    params: list[Any] = []
    for i, value in enumerate(values):
        sub = qs.filter(**{column: value}).order_by().values("pk")[: cap + 1]
        try:
            sql, p = sub.query.get_compiler(using=sub.db).as_sql()
        except EmptyResultSet:  # a filter that matches nothing (``pk__in=[]``)
            sql, p = "SELECT 1 WHERE 1 = 0", ()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{i})")
        params.extend(p)
    if not parts:
        return {}
    with connections[qs.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {v: Capped(int(n), cap) for v, n in zip(values, row, strict=True) if n}


class TooMany(Exception):
    """More rows than a bounded count reads."""


def bounded_counts_by(qs: Any, column: str, limit: int) -> dict[str, int]:
    """The rows of ``qs`` grouped by ``column`` and counted, reading at most ``limit + 1`` rows
    (one query); ``TooMany`` when there are more than ``limit``."""
    sub = qs.order_by().values(grouped=F(column))[: limit + 1]
    try:
        sql, params = sub.query.get_compiler(using=sub.db).as_sql()
    except EmptyResultSet:
        return {}
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"SELECT grouped, COUNT(*) FROM ({sql}) AS g GROUP BY grouped", params)
        counts = {str(value): int(n) for value, n in cursor.fetchall()}
    if sum(counts.values()) > limit:
        raise TooMany
    return counts


class CountOnly:
    """What a page's ``paginator`` offers here: the capped count."""

    def __init__(self, count: Capped) -> None:
        self.total = count

    @property
    def count(self) -> int:
        return self.total.n


@dataclass
class KeysetPage(Sequence[Any]):
    object_list: list[Any]
    paginator: CountOnly
    next_key: str = ""  # ?after= for the next (older) page; "" on the last page
    previous_key: str = ""  # ?before= for the previous page; "" on the first page

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, i: Any) -> Any:
        return self.object_list[i]

    def has_next(self) -> bool:
        return bool(self.next_key)

    def has_previous(self) -> bool:
        return bool(self.previous_key)

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()


def _older(key: Key) -> Q:
    # the lte bound is an index condition on registered_at; the OR only settles ties
    return Q(registered_at__lte=key.at) & (
        Q(registered_at__lt=key.at) | Q(registered_at=key.at, pk__lt=key.pk)
    )


def _newer(key: Key) -> Q:
    return Q(registered_at__gte=key.at) & (
        Q(registered_at__gt=key.at) | Q(registered_at=key.at, pk__gt=key.pk)
    )


def keyset_rows(
    qs: Any, size: int, after: Key | None = None, before: Key | None = None
) -> tuple[list[Any], str, str]:
    """One page of ``qs`` newest first: its rows and the next and previous cursors ("" for none).

    ``after``: the page after that row; ``before``: the page before it (when fewer than a
    page's rows are newer than it, the list's first page)."""
    if before is not None and after is None:
        rows = list(qs.filter(_newer(before)).order_by("registered_at", "pk")[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            return rows, Key.of(rows[-1]).encode(), Key.of(rows[0]).encode()
    rows = list((qs.filter(_older(after)) if after else qs).order_by("-registered_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_key = Key.of(rows[-1]).encode() if more else ""
    previous_key = Key.of(rows[0]).encode() if after is not None and rows else ""
    return rows, next_key, previous_key


def keyset_page(qs: Any, size: int, data: Any, count: Capped) -> KeysetPage:
    """The page a request's ``after`` / ``before`` (``data``: ``request.GET`` or a mapping) names."""
    data = data or {}
    after = Key.decode(data.get("after"))
    before = Key.decode(data.get("before")) if after is None else None
    rows, next_key, previous_key = keyset_rows(qs, size, after, before)
    return KeysetPage(rows, CountOnly(count), next_key, previous_key)
