"""Per-key rate limits for the API: ``MINQING_API_RATE_LIMIT`` calls per
``MINQING_API_RATE_WINDOW`` seconds for each key; over it, 429 with ``Retry-After``.

Two backends (``MINQING_API_RATE_BACKEND``): ``database`` (the default on an install without a
shared cache: exact across workers, the sliding window of ``minqing.core.ratelimit``) and
``cache`` (a fixed window counted with atomic increments in the Django cache: the choice with
Redis, ``MINQING_CACHE_URL``; with the in-process cache each worker would count on its own).
"""

from django.conf import settings

from minqing.core.ratelimit import cache_take, rate_take

SCOPE = "api"


def _limit() -> tuple[int, int]:
    return int(settings.MINQING_API_RATE_LIMIT), int(settings.MINQING_API_RATE_WINDOW)


def take(client: str) -> int | None:
    """Count one call of ``client``: ``None`` when it may go on, else the seconds to wait."""
    limit, window = _limit()
    if limit <= 0:
        return None
    if settings.MINQING_API_RATE_BACKEND == "cache":
        return cache_take(prefix="mq-api-rate", client=client, limit=limit, window=window)
    return None if rate_take(scope=SCOPE, client=client, limit=limit, window=window) else window
