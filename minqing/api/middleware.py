"""What every API call goes through before its endpoint (``/api/`` and ``/open311/``):

- a body over ``MINQING_API_MAX_BODY`` bytes is refused with 413 before it is read;
- a POST with an ``Idempotency-Key`` header runs at most once per caller and key. The endpoint
  runs inside one transaction that first claims the key (``INSERT ... ON CONFLICT DO NOTHING`` of
  an ``IdempotentAnswer`` row, unique per caller and key; a racing twin's claim waits on the
  unique index, or on SQLite's write lock, until the first commits, and then inserts nothing) and
  writes the audit rows of its writes just before the commit (one INSERT,
  ``core.audit_writes.written_before_commit``). The answer is kept with one UPDATE in the
  transaction. When the endpoint left work for after the commit (``after_commit``: the
  suggestions and similar problems of a registration, read without holding the transaction open),
  the answer kept in the transaction is the one as committed (marked not ``complete``), and a
  second UPDATE keeps the completed one. A retry, or the twin, gets the kept answer again with
  ``Idempotent-Replayed: true``; while the first is still completing its answer after its commit,
  the twin waits for it up to ``COMPLETE_WAIT_SECONDS``, then gets the answer as committed (its
  number and tracking code, without the reading). So a process killed between the commit and the completion
  (a worker killed, a restart) never leaves a stored registration whose caller can get no answer.
  An answer of 4xx/5xx from the endpoint is not kept: its writes roll back and a retry runs
  again. The same key with a different body answers 422. See docs/api.md ("How a POST is
  written").
"""

import datetime as dt
import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from minqing.api.errors import error_response
from minqing.api.models import IdempotentAnswer
from minqing.core.audit import client_ip
from minqing.core.audit_writes import written_before_commit

HEADER = "Idempotency-Key"
PREFIXES = ("/api/", "/open311/")
# POSTs that keep their own Idempotency-Key when the caller asks for a queued answer
# (``Prefer: respond-async``): the queued row is the claim (``minqing.api.queued``)
QUEUED_PATHS = frozenset({"/api/v1/problems/"})


def prefers_async(request: HttpRequest) -> bool:
    """The caller asks to be answered before the work is done (RFC 7240 ``respond-async``)."""
    return any(p.strip().lower() == "respond-async" for p in request.headers.get("Prefer", "").split(","))


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def caller_digest(request: HttpRequest) -> str:
    """Who is calling, without knowing yet who they are: the credential presented (a header or an
    ``api_key`` field), else the client address. Keys of different callers never meet."""
    credential = request.headers.get("Authorization", "")
    if not credential and request.content_type == "application/x-www-form-urlencoded":
        credential = request.POST.get("api_key", "")
    if not credential:
        credential = f"ip:{client_ip(request) or ''}"
    return hashlib.sha256(credential.encode("utf-8")).hexdigest()


def _replay(answer: IdempotentAnswer, fingerprint: str) -> HttpResponse:
    if answer.fingerprint != fingerprint:
        return error_response("IDEMPOTENCY_MISMATCH", 422, field=HEADER)
    response = HttpResponse(bytes(answer.body), status=answer.status, content_type=answer.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


WAIT_SECONDS = 30.0  # how long a twin waits for a claim without an answer; an older one is stale
COMPLETE_WAIT_SECONDS = 5.0  # how long it waits for an answer as committed to be completed
POLL_SECONDS = 0.05
PENDING = 0  # the status of a claimed key whose answer is not kept yet
FINISHERS_ATTR = "api_after_commit"

Finisher = Callable[[HttpResponse], None]


def after_commit(request: HttpRequest, finish: Finisher) -> bool:
    """Leave ``finish`` (it completes the endpoint's answer in place) for after the write's commit:
    True when the idempotency middleware runs the endpoint in its transaction and will call it
    once that transaction has committed, before keeping and sending the answer; False otherwise
    (no transaction of the middleware: the endpoint's writes have committed already, the caller
    completes its answer itself)."""
    finishers: list[Finisher] | None = getattr(request, FINISHERS_ATTR, None)
    if finishers is None:
        return False
    finishers.append(finish)
    return True


def _claim(caller: str, key: str, path: str, fingerprint: str) -> bool:
    """One statement: the key's row, unless a committed twin has it (then nothing, and False)."""
    meta = IdempotentAnswer._meta
    fields = {f.name: f for f in meta.concrete_fields}
    values = {
        "caller": caller,
        "key": key,
        "method": "POST",
        "path": path[:500],
        "fingerprint": fingerprint,
        "status": PENDING,
        "content_type": "",
        "body": b"",
        "complete": False,
        "created_at": timezone.now(),
    }
    connection = connections[router.db_for_write(IdempotentAnswer)]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(fields[name].column) for name in values)
    params = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    conflict = ", ".join(qn(fields[name].column) for name in ("caller", "key"))
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({conflict}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)


def _keep(caller: str, key: str, response: HttpResponse, *, complete: bool = True) -> None:
    IdempotentAnswer.objects.filter(caller=caller, key=key).update(
        status=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body=response.content,
        complete=complete,
    )


def _kept_answer(caller: str, key: str, fingerprint: str) -> HttpResponse | None:
    """The kept answer of the key's first call, once it is complete (None: no row any more).

    An answer kept as committed is replayed as it is when it is not completed within
    ``COMPLETE_WAIT_SECONDS`` (the reading takes well under a second), at once when the key was
    claimed more than ``WAIT_SECONDS`` ago: the first call's process stopped between its commit and
    the completion."""
    arrived = time.monotonic()
    while True:
        twin = IdempotentAnswer.objects.filter(caller=caller, key=key).first()
        if twin is None:
            return None
        if twin.fingerprint != fingerprint:
            return _replay(twin, fingerprint)
        waited = time.monotonic() - arrived
        if twin.status != PENDING:
            stale = timezone.now() - twin.created_at > dt.timedelta(seconds=WAIT_SECONDS)
            if twin.complete or stale or waited >= COMPLETE_WAIT_SECONDS:
                return _replay(twin, fingerprint)
        elif waited >= WAIT_SECONDS:  # a claim without an answer (left by an earlier release)
            response = error_response("IDEMPOTENCY_IN_PROGRESS", 409, field=HEADER)
            response["Retry-After"] = "1"
            return response
        time.sleep(POLL_SECONDS)


class _Taken(Exception):
    """A committed twin holds the key."""


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIXES):
            return self.get_response(request)
        limit = int(settings.MINQING_API_MAX_BODY)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return error_response("TOO_LARGE", 413, max=limit)
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 255 or not key.isprintable():
            return error_response("IDEMPOTENCY_BAD_KEY", 400, field=HEADER)
        if request.path in QUEUED_PATHS and prefers_async(request):
            return self.get_response(request)
        return self._once(request, key)

    def _once(self, request: HttpRequest, key: str) -> HttpResponse:
        body = request.body  # read before the view (it may read POST)
        caller = caller_digest(request)
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + body).hexdigest()
        for _attempt in range(3):  # a kept answer removed meanwhile (expired): claim again
            finishers: list[Finisher] = []
            setattr(request, FINISHERS_ATTR, finishers)
            try:
                with transaction.atomic(), written_before_commit():
                    if not _claim(caller, key, request.path, fingerprint):
                        raise _Taken
                    response = self.get_response(request)
                    if response.status_code >= 400 or response.streaming:
                        raise _Refused(response)
                    # the answer as committed: what a retry gets if this process stops before
                    # the finishers have completed it
                    _keep(caller, key, response, complete=not finishers)
                    if not finishers:
                        return response
            except _Refused as refused:
                return refused.response
            except _Taken:
                kept = _kept_answer(caller, key, fingerprint)
                if kept is None:
                    continue
                return kept
            finally:
                delattr(request, FINISHERS_ATTR)
            # committed: the rest of the answer, outside the transaction and its locks
            try:
                for finish in finishers:
                    finish(response)
            finally:
                _keep(caller, key, response)  # complete, or as committed if a finisher failed
            return response
        raise RuntimeError(f"{HEADER} {key!r}: claimed and removed three times")
