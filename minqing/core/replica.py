"""Reads on the replica (issue 17): dashboards, bulletins, exports and the public list read from
a streaming replica when one is configured (``DATABASE_REPLICA_URL``); everything else, every
write, and the pages of a user who has just written, use the primary.

- A view opts in with ``@replica_reads`` (innermost decorator: the login check and the session
  load run before it, on the primary). Inside it, and while a streamed response is being written,
  ``ReplicaRouter.db_for_read`` answers ``replica``.
- After a request that may have written (POST, PUT, PATCH, DELETE), the user's reads stay on the
  primary for ``MINQING_REPLICA_PIN_SECONDS`` (a cookie): a user sees what they have just written.
- The replica's lag is read at most every ``MINQING_REPLICA_LAG_CHECK_SECONDS``; above
  ``MINQING_REPLICA_MAX_LAG_SECONDS`` (or when the replica cannot be reached) reads fall back to
  the primary. ``/metrics`` shows the lag and whether the replica is in use.
- Sessions, users and second-factor devices are always read on the primary.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "mq_primary"
ALWAYS_PRIMARY = {"sessions", "auth", "accounts", "otp_totp", "otp_static", "django_otp", "admin"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

V = TypeVar("V", bound=Callable[..., Any])

_wanted: ContextVar[bool] = ContextVar("minqing_replica_reads", default=False)


@dataclass
class LagReading:
    at: float = 0.0  # time.monotonic() of the reading; 0: never read
    seconds: float | None = None  # None: the replica could not be reached


_reading = LagReading()


def configured() -> bool:
    return REPLICA in settings.DATABASES


def read_lag() -> float | None:
    """Seconds the replica is behind (0 when it has replayed all it received), or None when it
    cannot be reached."""
    # behind: the time since the last transaction it replayed (an upper bound); behind with none
    # replayed since it started: unknown, counted as too far behind
    sql = (
        "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 'Infinity') END"
    )
    try:
        with connections[REPLICA].cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
    except DatabaseError:
        log.warning("replica unreachable: reads go to the primary", exc_info=True)
        connections[REPLICA].close()
        return None
    return float(row[0]) if row and row[0] is not None else 0.0


def lag() -> float | None:
    """The replica's lag, read again when the last reading is older than the check interval."""
    now = time.monotonic()
    if _reading.at == 0.0 or now - _reading.at >= settings.MINQING_REPLICA_LAG_CHECK_SECONDS:
        _reading.seconds, _reading.at = read_lag(), now
    return _reading.seconds


def usable() -> bool:
    if not configured():
        return False
    seconds = lag()
    return seconds is not None and seconds <= settings.MINQING_REPLICA_MAX_LAG_SECONDS


class ReplicaRouter:
    """Reads of ``@replica_reads`` views on the replica when it is fresh; all else on the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _wanted.get() and model._meta.app_label not in ALWAYS_PRIMARY and usable():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema through replication


def _pinned(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _streamed(content: Iterator[Any]) -> Iterator[Any]:
    token = _wanted.set(True)
    try:
        yield from content
    finally:
        _wanted.reset(token)


def replica_reads(view: V) -> V:
    """Let ``view`` read from the replica (unless the user has just written)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not configured() or request.method in UNSAFE_METHODS or _pinned(request):
            return view(request, *args, **kwargs)
        token = _wanted.set(True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _wanted.reset(token)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            response.streaming_content = _streamed(iter(cast(Iterator[bytes], response.streaming_content)))
        return response

    return cast(V, wrapped)


class PinAfterWriteMiddleware:
    """After a request that may have written, keep the client's reads on the primary a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method in UNSAFE_METHODS:
            seconds = settings.MINQING_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
