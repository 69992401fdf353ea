"""A rate limit for public endpoints, kept in the database so every gunicorn worker shares it.

A sliding window: each counted request is a ``RateLimitHit`` row; a client may make ``limit``
counted requests in any ``window`` seconds. Rows older than the window are purged as we go.

Checking and recording are one step (``rate_take``), serialised per key: on PostgreSQL by a
transaction-level advisory lock on the key, on SQLite by the database's single write lock (the
purge is a write and comes first). Checking, then recording in another statement, let requests
that raced all pass the check (issue 16: 11 of a limit of 10).

``cache_take`` is the other kind: a fixed window counted with atomic increments in the Django
cache (shared across workers only with a shared cache, ``MINQING_CACHE_URL``), for limits that
must not write to the database.
"""

import datetime as dt
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from minqing.core.models import RateLimitHit

# the first key of the two-key advisory lock: this module's locks only ("MQ")
_LOCK_CLASS = 0x4D51


def _key(scope: str, client: str) -> str:
    return f"{scope}:{client}"[:100]


def rate_exceeded(*, scope: str, client: str, limit: int, window: int) -> bool:
    """Whether ``client`` has used up its ``limit`` for ``scope`` (a read: for answering early;
    only ``rate_take`` decides); ``limit <= 0`` disables the check."""
    if limit <= 0:
        return False
    since = timezone.now() - dt.timedelta(seconds=window)
    return RateLimitHit.objects.filter(key=_key(scope, client), at__gt=since).count() >= limit


def _lock(key: str) -> None:
    """Hold the key until the transaction ends (PostgreSQL; SQLite serialises writes anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_CLASS, key])


def rate_take(*, scope: str, client: str, limit: int, window: int) -> bool:
    """Count one request of ``client`` unless it has used up its ``limit``: True when it may go
    on. Inside a caller's transaction the count is given back if that transaction rolls back.
    ``limit <= 0`` disables the limit (nothing is counted)."""
    if limit <= 0:
        return True
    now = timezone.now()
    since = now - dt.timedelta(seconds=window)
    key = _key(scope, client)
    with transaction.atomic():
        _lock(key)
        # drop rows that no window can see any more (first: on SQLite this write takes the lock)
        RateLimitHit.objects.filter(key__startswith=f"{scope}:", at__lte=since).delete()
        if RateLimitHit.objects.filter(key=key, at__gt=since).count() >= limit:
            return False
        RateLimitHit.objects.create(key=key, at=now)
    return True


def cache_take(*, prefix: str, client: str, limit: int, window: int) -> int | None:
    """Count one request of ``client`` in the current fixed ``window`` (seconds) in the Django
    cache: ``None`` when it may go on, else the seconds until the window ends. ``limit <= 0``
    disables the limit (nothing is counted)."""
    if limit <= 0:
        return None
    now = time.time()
    key = f"{prefix}:{client}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return max(1, int(window - now % window) + 1) if count > limit else None
