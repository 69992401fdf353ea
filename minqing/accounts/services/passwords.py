"""The password's age and the password change."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from minqing.accounts.models import PasswordRecord
from minqing.core import audit_context
from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor

EXPIRES_KEY = "minqing_password_expires"  # in the session: epoch seconds, or 0 for never


def password_recorded(user: User, at: datetime | None = None) -> None:
    """The user's password was set now (or at ``at``)."""
    PasswordRecord.objects.update_or_create(user=user, defaults={"changed_at": at or timezone.now()})


def password_expires_at(user: User) -> datetime | None:
    """When the password must be changed; None: never (expiry off, or a password never set
    through Django, which then cannot be used to sign in)."""
    days = int(settings.MINQING_PASSWORD_MAX_AGE_DAYS)
    if days <= 0:
        return None
    changed = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return None if changed is None else changed + timedelta(days=days)


def password_expired(user: User, now: datetime | None = None) -> bool:
    expires = password_expires_at(user)
    return expires is not None and (now or timezone.now()) >= expires


def session_expiry_note(request: HttpRequest, user: User) -> None:
    """Note the signed-in user's expiry in the session, so pages need not read it each time."""
    expires = password_expires_at(user)
    request.session[EXPIRES_KEY] = 0 if expires is None else int(expires.timestamp())


def session_password_expired(request: HttpRequest, user: User) -> bool:
    """The signed-in user's password has expired (read again from the database once the
    session's note says so, and only then)."""
    noted = request.session.get(EXPIRES_KEY)
    if noted is None:
        session_expiry_note(request, user)
        noted = request.session[EXPIRES_KEY]
    if not noted or timezone.now().timestamp() < noted:
        return False
    if password_expired(user):
        return True
    session_expiry_note(request, user)
    return False


@transaction.atomic
def password_change(*, actor: Actor, user: User, password: str, request: HttpRequest) -> None:
    """Set ``user``'s new password (already validated by the form): the session stays signed in
    under a new key, the change is audited: one row (``password_changed``), which stands in for
    the ``PASSWORD_CHANGE`` row the user's save would write (``core.audit_writes``; the
    transaction holds that one back until this one is written)."""
    user.set_password(password)
    user.save()
    update_session_auth_hash(request, user)
    request.session.cycle_key()
    session_expiry_note(request, user)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=user, detail="password_changed", request=request)
    audit_context.current().remember(("auth.user", str(user.pk), AuditEvent.Action.PASSWORD_CHANGE))
