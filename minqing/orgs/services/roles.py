"""Granting and revoking a user's role on a unit: the security administrator's work (安全管理员,
``Duty.SECURITY``; the ``SYSTEM`` actor for the demo and commands). Nobody changes their own
roles, and every change is audited."""

from django.contrib.auth.models import User
from django.db import transaction

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.scoping import clear_cache


def check_role_change(actor: Actor, user: User) -> None:
    """The actor may change ``user``'s roles: a security administrator, never on themself."""
    if not policy.has_duty(actor, Duty.SECURITY):
        raise PermissionDeniedError()
    own = user_of(actor)
    if own is not None and own.pk == user.pk:
        raise DomainError(ErrorCode.DUTY_SELF)


@transaction.atomic
def role_grant(*, actor: Actor, user: User, role: str, unit: Unit) -> RoleAssignment:
    """Give ``user`` ``role`` on ``unit`` (nothing changes when they hold it already)."""
    check_role_change(actor, user)
    ra, created = RoleAssignment.objects.get_or_create(user=user, role=Role(role), unit=unit)
    if created:
        audit(
            actor=actor,
            action=AuditEvent.Action.PERMISSION,
            obj=ra,
            detail=f"role granted: {user} {role} @ {unit.code}",
        )
    clear_cache(user)
    return ra


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    check_role_change(actor, assignment.user)
    audit(
        actor=actor,
        action=AuditEvent.Action.PERMISSION,
        obj=assignment,
        detail=f"role revoked: {assignment.user} {assignment.role} @ {assignment.unit.code}",
    )
    assignment.delete()
    clear_cache(assignment.user)


@transaction.atomic
def role_save(*, actor: Actor, assignment: RoleAssignment) -> None:
    """A role assignment created or changed by hand (the admin): for its user and, when it is
    moved to another user, for the user it had. Its CREATE or UPDATE row stands in for the
    save's automatic PERMISSION row (``core.audit_writes.stand_in_key``)."""
    old = RoleAssignment.objects.select_related("user", "unit").filter(pk=assignment.pk).first()
    check_role_change(actor, assignment.user)
    if old is not None:
        check_role_change(actor, old.user)
    assignment.save()
    was = f" (was {old.user} {old.role} @ {old.unit.code})" if old is not None else ""
    audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE if old is not None else AuditEvent.Action.CREATE,
        obj=assignment,
        detail=f"role {'changed' if old else 'granted'}: "
        f"{assignment.user} {assignment.role} @ {assignment.unit.code}{was}"[:500],
    )
    clear_cache(assignment.user)
    if old is not None and old.user_id != assignment.user_id:
        clear_cache(old.user)
