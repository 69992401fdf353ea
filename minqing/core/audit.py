"""Audit helpers: one call per read of personal data, write, export, import or sign-in.

``audit`` appends one ``AuditEvent``. The caller names who and what; where from (address,
browser) comes from ``request`` or, without one, from the request being served
(``audit_context``), so a service called by a view records the view's address too.
"""

from typing import Any

from django.http import HttpRequest

from minqing.core import audit_context
from minqing.core.audit_writes import stand_in_key
from minqing.core.lockout import Refusal
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor, actor_label, user_of

USER_AGENT_MAX = 200


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    ip = request.META.get("REMOTE_ADDR")
    return ip or None


def user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]


def _default_outcome(action: str, detail: str) -> str:
    """A failed login is a failure, or refused when a lock or the throttle refused it; a 403 is
    refused; anything else a success (callers name other outcomes)."""
    if action == AuditEvent.Action.LOGIN_FAILED:
        refused = detail in {r.value for r in Refusal}
        return AuditEvent.Outcome.REFUSED if refused else AuditEvent.Outcome.FAILURE
    if action == AuditEvent.Action.ACCESS_DENIED:
        return AuditEvent.Outcome.REFUSED
    return AuditEvent.Outcome.SUCCESS


def audit(
    *,
    actor: Actor | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
    actor_name: str = "",
    outcome: str | None = None,
) -> AuditEvent:
    """Append one audit row. ``actor=None`` is nobody signed in: ``actor_name`` then names the
    account tried (a failed login). An export inside a request is written when the response is
    ready (``AuditMiddleware``: one row with the file and its row count); the row returned then
    is not saved yet."""
    outcome = outcome or _default_outcome(action, detail)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if request is None:
        request = audit_context.active_request()
    if (
        action == AuditEvent.Action.EXPORT
        and outcome == AuditEvent.Outcome.SUCCESS
        and request is audit_context.active_request()
        and audit_context.defer_export(object_type, object_id, detail)
    ):
        return AuditEvent(action=action, object_type=object_type, object_id=object_id, detail=detail[:500])
    if action == AuditEvent.Action.IMPORT and (notes := audit_context.current().imports) is not None:
        notes.append((object_type, detail))  # the one IMPORT row of ``audited_import`` carries it
        return AuditEvent(action=action, object_type=object_type, object_id=object_id, detail=detail[:500])
    event = audit_row(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        request=request,
        actor_name=actor_name,
        outcome=outcome,
    )
    event.save(force_insert=True)
    if object_id:
        audit_context.current().remember(stand_in_key(object_type, object_id, action))
    return event


def audit_row(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str,
    detail: str,
    request: HttpRequest | None,
    actor_name: str = "",
    outcome: str | None = None,
) -> AuditEvent:
    """The row ``audit`` appends, not saved: ``audit_writes`` saves a transaction's automatic
    rows together with one ``bulk_create``."""
    if request is None:
        request = audit_context.active_request()
    return AuditEvent(
        actor=user_of(actor),
        actor_name=(actor_label(actor) or actor_name)[:150],
        action=action,
        outcome=outcome or _default_outcome(action, detail),
        object_type=object_type[:50],
        object_id=object_id[:64],
        detail=detail[:500],
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
