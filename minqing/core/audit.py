"""Audit helpers: one call per read of personal data or write."""

from typing import Any

from django.http import HttpRequest

from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor, actor_label, user_of


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    ip = request.META.get("REMOTE_ADDR")
    return ip or None


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
) -> AuditEvent:
    """Append one audit row. ``actor=None`` is nobody signed in: ``actor_name`` then names the
    account tried (a failed login)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=user_of(actor),
        actor_name=(actor_label(actor) or actor_name)[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        ip=client_ip(request),
    )
