"""User accounts, split between two administrators (三员分立):

- the system administrator (``Duty.SYSTEM``) creates accounts and keeps their basic data
  (username, names, e-mail), but not of another administrator or a superuser;
- the security administrator (``Duty.SECURITY``) switches an account on or off (``is_active``),
  opens the admin site to it (``is_staff``) and unlocks it after failed logins, never their own.

Nobody sets a password, a superuser flag, Django groups or permissions here: a new account has no
usable password until the operator sets one (``minqing changepassword``). Every change is audited.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.lockout import unlock_detail
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.services.roles import check_role_change

BASIC_FIELDS = ("username", "first_name", "last_name", "email")
ACCESS_FIELDS = ("is_active", "is_staff")


def _require(actor: Actor, duty: str) -> None:
    if not policy.has_duty(actor, duty):
        raise PermissionDeniedError()


def _change(
    *, actor: Actor, user: User, values: dict[str, Any], allowed: tuple[str, ...], action: str, what: str
) -> None:
    """Set and save those of ``values`` (only ``allowed`` fields) that differ; one audit row."""
    if not set(values) <= set(allowed):
        raise PermissionDeniedError()
    changes = {f: (getattr(user, f), v) for f, v in values.items() if getattr(user, f) != v}
    if not changes:
        return
    for f, (_old, new) in changes.items():
        setattr(user, f, new)
    user.save(update_fields=list(changes))
    parts = ", ".join(f"{f} {old!r} -> {new!r}" for f, (old, new) in changes.items())
    audit(actor=actor, action=action, obj=user, detail=f"{what}: {user.get_username()}: {parts}"[:500])


def is_administrator(user: User) -> bool:
    return user.is_superuser or AdminDuty.objects.filter(user=user).exists()


def may_change_account(actor: Actor, user: User) -> bool:
    """The admin's change page of ``user``: the security administrator's for another account's
    access, the system administrator's for their own or a non-administrator's basic data."""
    own = user_of(actor)
    itself = own is not None and own.pk == user.pk
    if policy.has_duty(actor, Duty.SECURITY) and not itself:
        return True
    return policy.has_duty(actor, Duty.SYSTEM) and (itself or not is_administrator(user))


@transaction.atomic
def account_create(
    *, actor: Actor, username: str, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    """A new account without a usable password, role or duty."""
    _require(actor, Duty.SYSTEM)
    username = User.normalize_username(username)
    if User.objects.filter(username=username).exists():
        raise DomainError(ErrorCode.DUTY_USERNAME_TAKEN, value=username)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=user, detail=f"account created: {username}")
    return user


@transaction.atomic
def account_update(*, actor: Actor, user: User, values: dict[str, Any]) -> None:
    """Change ``user``'s basic data (``BASIC_FIELDS``); another administrator's is not the system
    administrator's to change."""
    _require(actor, Duty.SYSTEM)
    own = user_of(actor)
    if (own is None or own.pk != user.pk) and is_administrator(user):
        raise DomainError(ErrorCode.DUTY_OTHER_ADMIN, user=user.get_username())
    _change(
        actor=actor,
        user=user,
        values=values,
        allowed=BASIC_FIELDS,
        action=AuditEvent.Action.UPDATE,
        what="account changed",
    )


@transaction.atomic
def account_set_access(*, actor: Actor, user: User, values: dict[str, Any]) -> None:
    """Switch ``user`` on or off, or open or close the admin site to them (``ACCESS_FIELDS``)."""
    check_role_change(actor, user)
    _change(
        actor=actor,
        user=user,
        values=values,
        allowed=ACCESS_FIELDS,
        action=AuditEvent.Action.PERMISSION,
        what="access changed",
    )


def account_unlock(*, actor: Actor, user: User) -> None:
    """Lift the lock of ``user``'s failed logins (``minqing.core.lockout``): failures before now no
    longer count against the account (an address's throttle stays)."""
    check_role_change(actor, user)
    audit(
        actor=actor, action=AuditEvent.Action.PERMISSION, obj=user, detail=unlock_detail(user.get_username())
    )
