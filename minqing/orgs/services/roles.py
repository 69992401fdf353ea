"""Granting and revoking a user's role on a unit."""

from typing import Any

from django.db import transaction

from minqing.core.audit import audit
from minqing.core.errors import PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.scoping import can_access_unit, clear_cache


@transaction.atomic
def role_grant(*, actor: Any, user: Any, role: str, unit: Unit) -> RoleAssignment:
    """Give ``user`` ``role`` on ``unit``. ``actor=None`` is the system (demo, commands).

    A non-superuser actor must hold the office role on a unit above or at ``unit``.
    """
    if actor is not None and not can_access_unit(actor, unit, roles=[Role.OFFICE]):
        raise PermissionDeniedError()
    ra, created = RoleAssignment.objects.get_or_create(user=user, role=Role(role), unit=unit)
    if created:
        audit(actor=actor, action=AuditEvent.Action.CREATE, obj=ra, detail=f"{user} {role} @ {unit.code}")
    clear_cache(user)
    return ra


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    if actor is not None and not can_access_unit(actor, assignment.unit, roles=[Role.OFFICE]):
        raise PermissionDeniedError()
    audit(actor=actor, action=AuditEvent.Action.DELETE, obj=assignment)
    assignment.delete()
    clear_cache(assignment.user)
