"""Audit helpers: one call per read of personal data or write."""

from typing import Any

from django.http import HttpRequest

from minqing.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    ip = request.META.get("REMOTE_ADDR")
    return ip or None


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one audit row. ``actor_name`` names an unauthenticated actor (a failed login)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(getattr(user, "username", "") if user else actor_name)[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        ip=client_ip(request),
    )
