"""A large import on SQLite, written in short transactions and still all or nothing
(docs/import-formats.md, "大文件与并发写入").

SQLite has one writer at a time: a file written in one transaction holds the write lock for as
long as it writes, and every public submission in the meantime waits (and, past the busy
timeout, fails). So on SQLite the checked rows are written in batches of ``BATCH_ROWS``, each
its own short transaction, with a pause after each in which waiting writers take their turn.
The rows are written hidden (``write``), made visible once every batch is in (``publish``,
also in short batches), and removed again (``remove``) if anything fails before the end:
the file is either all in or not at all. PostgreSQL lets other writers through while a
transaction runs, so there (and inside an enclosing transaction) the whole file is written in
one transaction as before.
"""

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, transaction

from minqing.core.batching import chunked
from minqing.core.importing.rows import writing

T = TypeVar("T")
P = TypeVar("P")  # a chunk made ready to write
log = logging.getLogger(__name__)

BATCH_ROWS = 5000  # rows per write transaction on SQLite (the inserts alone: ~0.3 s on an idle machine)
# between two batches (preparing the next one, which holds no lock, counts): longer than the sleep
# of SQLite's busy handler for a writer that has waited the length of a batch (100 ms), so it gets
# its turn; a publish batch is a few milliseconds (its waiters sleep at most 25 ms)
PAUSE_S = 0.12
PUBLISH_PAUSE_S = 0.03


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside (as it was after): a large file's records,
    rows and parameters are hundreds of thousands of objects, none in a cycle, and every full
    collection walks them all (about a tenth of a 100,000-row import's time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def short_transactions() -> bool:
    """True where a long write transaction would lock out everyone else: SQLite, not inside a
    transaction already open (a test, a caller's own atomic block)."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block


def _pause(seconds: float = PAUSE_S) -> None:
    if seconds > 0:
        time.sleep(seconds)


def write_in_batches(
    items: Sequence[T],
    write: Callable[[P, bool], list[int]],
    *,
    prepare: Callable[[list[T], bool], P],
    publish: Callable[[list[int]], object],
    remove: Callable[[list[int]], object],
    batch: int | None = None,
    short: bool | None = None,
) -> list[int]:
    """Write ``items`` all or nothing, ``batch`` (default ``BATCH_ROWS``) items at a time: each
    chunk is made ready by ``prepare(chunk, hidden)`` outside any transaction (the work that
    needs no lock), then written by ``write(prepared, hidden)``, which answers the new rows'
    keys. ``short`` (default: ``short_transactions()``): hidden batches, one short transaction
    each, then ``publish`` batch by batch; on any error ``remove`` takes back every row written,
    and the error is raised. Otherwise one transaction, rows visible at once."""
    batch = batch or BATCH_ROWS
    if not (short_transactions() if short is None else short):
        written: list[int] = []
        with writing():
            for chunk in chunked(items, batch):
                written.extend(write(prepare(chunk, False), False))
        return written
    written = []
    try:
        committed: float | None = None
        for chunk in chunked(items, batch):
            ready = prepare(chunk, True)
            if committed is not None:
                # the gap between two write transactions is at least ``PAUSE_S``: preparing the
                # chunk (no lock held) counts towards it, only the rest is slept
                _pause(PAUSE_S - (time.monotonic() - committed))
            with writing():
                written.extend(write(ready, True))
            committed = time.monotonic()
        if committed is not None:
            _pause(PAUSE_S - (time.monotonic() - committed))
        for keys in chunked(written, batch):
            with writing():
                publish(keys)
            _pause(PUBLISH_PAUSE_S)
    except BaseException:
        _take_back(written, remove, batch)
        raise
    return written


def _take_back(written: list[int], remove: Callable[[list[int]], object], batch: int) -> None:
    try:
        for keys in chunked(written, batch):
            with transaction.atomic():
                remove(keys)
            _pause()
    except Exception:  # the original error is what the caller reports
        log.exception("import: could not remove %d rows written before the failure", len(written))
