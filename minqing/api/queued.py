"""Registrations accepted now and registered just after (``Prefer: respond-async`` on
``POST /api/v1/problems/``), for hotline platforms that push calls in faster than a registration
with its suggestions can be answered.

- ``accept``: one INSERT of a ``QueuedRegistration`` (in autocommit: durable when it returns),
  then the answer 202 with its ``token``. The body has passed its schema and ``check_shape``; the
  references (unit, category, campaign, merge) are looked up when it is registered. With an
  ``Idempotency-Key`` the row is unique per key and ``Idempotency-Key``, so a retry (or a racing
  twin: the unique index makes it wait for the first) gets the same token and queues nothing.
- ``drain``: registers every queued row, oldest first, each in its own transaction with its audit
  rows, through ``registration.register`` as the key's owner; a refusal is kept on the row
  (``error``, the API's envelope). A row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED``
  (on SQLite the write lock that ``BEGIN IMMEDIATE`` takes), so two workers never register it
  twice. The reporter is erased from the row once it is registered.
- ``schedule_drain``: after each accept, at most one drain job per process every 2 s
  (``core.drain``); the minute job ``registrations_due`` drains whatever a lost job left.
"""

import hashlib
import json
import secrets
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError

from minqing.api.errors import ApiError, domain_envelope, envelope
from minqing.api.keys import Credential
from minqing.api.models import ApiKey, QueuedRegistration
from minqing.api.registration import ProblemIn, ReporterIn, register
from minqing.core.audit_writes import written_before_commit
from minqing.core.drain import Drain
from minqing.core.errors import DomainError
from minqing.orgs.actors import Actor

State = QueuedRegistration.State
DRAIN = Drain("minqing:queued-registrations:drain", (State.REGISTERED.value, State.FAILED.value))


def fingerprint(path: str, body: bytes) -> str:
    return hashlib.sha256(path.encode() + b"\n" + body).hexdigest()


def accept(
    *, credential: Credential, body: ProblemIn, idempotency_key: str | None, digest: str
) -> tuple[QueuedRegistration, bool]:
    """Keep ``body`` for registration. Returns the row and whether it was kept before (a retry
    with the same ``Idempotency-Key``); the same key with another body is refused with 422."""
    payload = body.model_dump(mode="json", exclude={"reporter"})
    reporter = body.reporter.model_dump_json() if body.reporter is not None else ""
    row = QueuedRegistration(
        token=secrets.token_hex(16),
        key=credential.key,
        idempotency_key=idempotency_key,
        fingerprint=digest,
        payload=payload,
        reporter=reporter,
        received_at=timezone.now(),
    )
    # in autocommit (a request) the INSERT is its own transaction; inside one (tests, callers
    # in a transaction) a savepoint keeps a refused twin from breaking it
    inside = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if inside else nullcontext():
            row.save(force_insert=True)
    except IntegrityError:
        if idempotency_key is None:
            raise
        kept = QueuedRegistration.objects.get(key=credential.key, idempotency_key=idempotency_key)
        if kept.fingerprint != digest:
            raise ApiError("IDEMPOTENCY_MISMATCH", 422, field="Idempotency-Key") from None
        return kept, True
    transaction.on_commit(schedule_drain)
    return row, False


def schedule_drain() -> None:
    """A drain job after an accepted row (``core.drain``: at most one per process every 2 s)."""
    DRAIN.schedule(_start_job)


def _start_job() -> None:
    from minqing.api.tasks import drain_registrations

    drain_registrations()


def _owner(key: ApiKey) -> Actor:
    owner = key.application if key.application_id is not None else key.user
    assert owner is not None  # the key's check constraint: exactly one owner
    return owner


def _body(row: QueuedRegistration) -> ProblemIn:
    data: dict[str, Any] = dict(row.payload)
    if row.reporter:
        data["reporter"] = ReporterIn.model_validate(json.loads(row.reporter))
    if data.get("received_at") is None:  # received when it was accepted, not when registered
        data["received_at"] = row.received_at.isoformat()
    return ProblemIn.model_validate(data)


def _error(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, ApiError):
        return envelope(exc.code, field=exc.field, **exc.params)
    if isinstance(exc, DomainError):
        return domain_envelope(exc)
    assert isinstance(exc, ValidationError)
    return envelope("VALIDATION", detail=str(exc.errors()[0].get("msg", "")))


def _register_one(pk: int) -> str | None:
    """Register queued row ``pk`` unless another worker holds it or it is done; its new state."""
    with transaction.atomic():
        row = (
            QueuedRegistration.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("key__application__unit", "key__user")
            .filter(pk=pk, state=State.QUEUED)
            .first()
        )
        if row is None:
            return None
        try:
            with transaction.atomic(), written_before_commit():
                done = register(_owner(row.key), _body(row))
        except (ApiError, DomainError, ValidationError) as exc:
            row.state, row.error = State.FAILED, _error(exc)
        else:
            row.state, row.number = State.REGISTERED, done.problem.number
            row.tracking_code = done.tracking_code or ""
        row.reporter = ""
        row.done_at = timezone.now()
        row.save(update_fields=["state", "number", "tracking_code", "error", "reporter", "done_at"])
        return row.state


def drain() -> dict[str, int]:
    """Register the queued rows, oldest first; counts by outcome."""
    return DRAIN.run(QueuedRegistration.objects.filter(state=State.QUEUED), _register_one)


def queued_for(credential: Credential, token: str) -> QueuedRegistration | None:
    """A queued registration of the caller's own (the same application or user), or ``None``."""
    key = credential.key
    rows = QueuedRegistration.objects.filter(token=token)
    if key.application_id is not None:
        rows = rows.filter(key__application_id=key.application_id)
    else:
        rows = rows.filter(key__user=key.user)
    return rows.first()
