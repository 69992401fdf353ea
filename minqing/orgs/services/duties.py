"""Granting and revoking the three administrator duties (三员分立).

Only a security administrator (``Duty.SECURITY``) grants or revokes a duty, never their own, and
an account holds at most one duty. The ``SYSTEM`` actor (the operator's ``minqing duty`` command,
the demo) bootstraps the first administrators on a fresh install. A duty brings the admin site
(``is_staff``) with it and takes it away when revoked. Every change is audited.
"""

from django.contrib.auth.models import User
from django.db import transaction

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.services.roles import check_role_change


def check_duty_grant(actor: Actor, user: User) -> None:
    """The actor may give ``user`` a duty: a security administrator, not to themself, and only
    to an account without one."""
    check_role_change(actor, user)
    held = AdminDuty.objects.filter(user=user).first()
    if held is not None:
        raise DomainError(
            ErrorCode.DUTY_ONE_PER_ACCOUNT, user=user.get_username(), duty=held.get_duty_display()
        )


@transaction.atomic
def duty_grant(*, actor: Actor, user: User, duty: str) -> AdminDuty:
    check_duty_grant(actor, user)
    row = AdminDuty.objects.create(user=user, duty=Duty(duty))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit(actor=actor, action=AuditEvent.Action.PERMISSION, obj=row, detail=f"duty granted: {user} {duty}")
    policy.clear_duty_cache(user)
    return row


@transaction.atomic
def duty_revoke(*, actor: Actor, row: AdminDuty) -> None:
    user = row.user
    check_role_change(actor, user)
    audit(
        actor=actor, action=AuditEvent.Action.PERMISSION, obj=row, detail=f"duty revoked: {user} {row.duty}"
    )
    row.delete()
    if user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    policy.clear_duty_cache(user)
