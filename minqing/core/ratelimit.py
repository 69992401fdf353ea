"""A rate limit for public endpoints, kept in the database so every gunicorn worker shares it.

A sliding window: each counted request is a ``RateLimitHit`` row; a client may make ``limit``
counted requests in any ``window`` seconds. Rows older than the window are purged as we go.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from minqing.core.models import RateLimitHit


def _key(scope: str, client: str) -> str:
    return f"{scope}:{client}"[:100]


def rate_exceeded(*, scope: str, client: str, limit: int, window: int) -> bool:
    """Whether ``client`` has used up its ``limit`` for ``scope``; ``limit <= 0`` disables the check."""
    if limit <= 0:
        return False
    since = timezone.now() - dt.timedelta(seconds=window)
    return RateLimitHit.objects.filter(key=_key(scope, client), at__gt=since).count() >= limit


def rate_record(*, scope: str, client: str, limit: int, window: int) -> None:
    """Count one request of ``client`` (and drop rows that no window can see any more)."""
    if limit <= 0:
        return
    now = timezone.now()
    with transaction.atomic():
        RateLimitHit.objects.filter(
            key__startswith=f"{scope}:", at__lte=now - dt.timedelta(seconds=window)
        ).delete()
        RateLimitHit.objects.create(key=_key(scope, client), at=now)
