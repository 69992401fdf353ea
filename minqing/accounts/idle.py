"""Idle logout (等保 2.0): a session that made no request for ``MINQING_IDLE_TIMEOUT_MINUTES``
ends. The time of the last request is kept in the session, rewritten at most once a minute (or
once a tenth of the timeout, if shorter) so that reading pages does not write the session on
every request: a session may so end up to that much earlier than the full timeout."""

import time

from django.conf import settings
from django.http import HttpRequest

LAST_SEEN_KEY = "minqing_last_seen"


def now() -> float:
    """The clock (seconds since the epoch); tests move it."""
    return time.time()


def _timeout_seconds() -> int:
    return timeout_minutes() * 60


def is_idle(request: HttpRequest) -> bool:
    """The session's last request is older than the timeout (0 turns idle logout off)."""
    timeout = _timeout_seconds()
    last = request.session.get(LAST_SEEN_KEY)
    if not timeout or last is None:
        return False
    return now() - float(last) > timeout


def touch(request: HttpRequest, force: bool = False) -> None:
    """Record this request as the session's last."""
    last = request.session.get(LAST_SEEN_KEY)
    step = min(60, max(_timeout_seconds() // 10, 1))
    t = now()
    if force or last is None or t - float(last) >= step:
        request.session[LAST_SEEN_KEY] = int(t)


def timeout_minutes() -> int:
    return max(int(settings.MINQING_IDLE_TIMEOUT_MINUTES), 0)
