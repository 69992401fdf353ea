"""Batches: for bulk writes, and for ``IN (...)`` lookups kept under SQLite's parameter limit."""

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

IN_CHUNK = 900  # values per IN (...) lookup: below SQLite's limit on query parameters


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
