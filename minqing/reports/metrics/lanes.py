"""A second lane for the heaviest metric groups: on PostgreSQL, a bulletin's figures that read the
most rows (the demonstration coverage over the assignments in force, the themed party lectures and
the party organisations that held activities) run on their own database connection in one worker
thread while the others run on the caller's, so the server works on two queries at once.

Only where it is safe and can help:

- the database is PostgreSQL (SQLite runs queries in this process: no gain, and one writer);
- the caller is not inside a transaction (a second connection would not see what the transaction
  has written or pinned: a publication, which generates inside its transaction, and the tests'
  transactions run in one lane);
- ``MINQING_METRIC_LANES`` is on (the default; off runs everything in the caller's thread).

The worker reads through the same router with the caller's context (a page reading on the
replica reads there in both lanes). Its connections are kept between bulletins (a new one costs
about 10 ms) and closed when unusable or older than ``CONN_MAX_AGE``, as a request's are, or by
``close()``; a process started by fork makes its own worker.
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from typing import TypeVar

from django.conf import settings
from django.db import connection, connections

T = TypeVar("T")

# the groups that read the most rows, measured on the city tier's seed bulletin (PostgreSQL:
# demonstration 15 ms, lectures 14 ms, orgs 5 ms of SQL out of 53 ms; docs/scale.md)
SECOND_LANE = frozenset({"demonstration", "lectures", "orgs"})

_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def enabled() -> bool:
    return (
        settings.MINQING_METRIC_LANES and connection.vendor == "postgresql" and not connection.in_atomic_block
    )


def _current() -> ThreadPoolExecutor | None:
    return _pool[1] if _pool is not None and _pool[0] == os.getpid() else None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        pool = _current()
        if pool is None:  # none yet, or inherited through fork (its thread is not in this process)
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metric-lane")
            _pool = (os.getpid(), pool)
        return pool


def _tidy() -> None:
    """What Django does for a request's thread at its start and end (``close_old_connections``)."""
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()


def submit(fn: Callable[[], T]) -> Future[T]:
    """Run ``fn`` in the second lane with the caller's context (the router's choice of database)."""
    ctx = copy_context()

    def run() -> T:
        _tidy()
        try:
            return ctx.run(fn)
        finally:
            _tidy()

    return _executor().submit(run)


def close() -> None:
    """Close the second lane's connections now (a test's end: its database may be dropped next)."""
    pool = _current()
    if pool is not None:
        pool.submit(connections.close_all).result()
