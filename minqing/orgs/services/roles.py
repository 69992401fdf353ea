"""Granting and revoking a user's role on a unit."""

from django.contrib.auth.models import User
from django.db import transaction

from minqing.core.audit import audit
from minqing.core.errors import PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Role
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.scoping import clear_cache


@transaction.atomic
def role_grant(*, actor: Actor, user: User, role: str, unit: Unit) -> RoleAssignment:
    """Give ``user`` ``role`` on ``unit``. ``SYSTEM`` may (demo, commands), as may a superuser;
    anyone else must hold the office role on a unit above or at ``unit``.
    """
    if not policy.has_role(actor, policy.OFFICE, unit.path):
        raise PermissionDeniedError()
    ra, created = RoleAssignment.objects.get_or_create(user=user, role=Role(role), unit=unit)
    if created:
        audit(
            actor=actor,
            action=AuditEvent.Action.PERMISSION,
            obj=ra,
            detail=f"grant: {user} {role} @ {unit.code}",
        )
    clear_cache(user)
    return ra


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    if not policy.has_role(actor, policy.OFFICE, assignment.unit.path):
        raise PermissionDeniedError()
    audit(
        actor=actor,
        action=AuditEvent.Action.PERMISSION,
        obj=assignment,
        detail=f"revoke: {assignment.user} {assignment.role} @ {assignment.unit.code}",
    )
    assignment.delete()
    clear_cache(assignment.user)


@transaction.atomic
def role_save(*, actor: Actor, assignment: RoleAssignment) -> None:
    """A role assignment created or changed by hand (the maintenance admin): the office rule
    holds at its unit and, when it changes, at the unit it had."""
    old = (
        RoleAssignment.objects.select_related("unit").filter(pk=assignment.pk).first()
        if assignment.pk
        else None
    )
    for unit in (assignment.unit, old.unit if old is not None else assignment.unit):
        if not policy.has_role(actor, policy.OFFICE, unit.path):
            raise PermissionDeniedError()
    assignment.save()
    clear_cache(assignment.user)
