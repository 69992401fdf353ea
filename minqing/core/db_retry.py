"""Writing down what already happened outside the database, even while the database restarts.

A job that has sent a message or POSTed a webhook must record that it did. If the database is
away at that moment (a restart, a fail-over, a dropped connection through PgBouncer), giving up
would leave the row pending and the periodic sweep would send it again. ``until_written`` closes
the broken connection and tries the write again, with a growing pause, until it succeeds or
``seconds`` have passed (then the error is raised and the row is retried as before).
"""

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)
T = TypeVar("T")


def until_written(
    write: Callable[[], T],
    *,
    seconds: float = 60.0,
    using: str = DEFAULT_DB_ALIAS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``write()``, tried again after each database connection error for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    pause = 0.2
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError) as exc:
            if time.monotonic() + pause > deadline:
                raise
            log.warning("database away while recording an outcome (%s); trying again", exc)
            connection = connections[using]
            if connection.in_atomic_block:
                raise  # the caller's transaction is gone; only the caller can start it again
            with suppress(OperationalError, InterfaceError):
                connection.close()  # drops the broken connection even when closing it fails
            sleep(pause)
            pause = min(pause * 2, 5.0)
