"""Login failure lockout (等保 2.0): failures are counted from the audit log, no extra table and no
process memory, so every worker sees the same counts, on SQLite and PostgreSQL alike.

Three limits, each over the last ``MINQING_LOGIN_LOCK_MINUTES`` minutes (config/settings.py):

- ``MINQING_LOGIN_MAX_FAILURES`` failures of one username from one client address lock that
  username at that address, until the window passes or the user signs in from there. Other
  addresses are not affected: nobody can lock a colleague out from their own desk.
- ``MINQING_LOGIN_IP_MAX_FAILURES`` failures from one address, whatever the usernames, refuse that
  address for every username (a per-address throttle).
- ``MINQING_LOGIN_USERNAME_MAX_FAILURES`` failures of one username from any addresses lock it
  everywhere (distributed guessing).

The last two are not reset by a successful login, so signing in to one's own account buys an
attacker no fresh guesses. Usernames are counted as login looks them up (stripped, NFKC: Django's
``UsernameField``), so ``ｗlhd_staff`` is ``wlhd_staff``. The address is the audit's ``client_ip``.
Attempts refused by a lock are audited too but do not count, so every lock ends on time. The
security administrator may lift a username's lock earlier (``account_unlock``, an audit row that
``unlock_detail`` names): that username's failures before it no longer count (an address's
throttle stays).
"""

from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent

LOCKED_DETAIL = "locked"  # refused: the username is locked (at this address or everywhere)
THROTTLED_DETAIL = "throttled"  # refused: this address is throttled for every username
REFUSED_DETAILS = (LOCKED_DETAIL, THROTTLED_DETAIL)


def unlock_detail(username: str) -> str:
    """The ``detail`` of the audit row (``PERMISSION`` on ``auth.user``) that lifts ``username``'s lock."""
    return f"unlocked: {normalize_username(username)}"


class Refusal(Enum):
    LOCKED = LOCKED_DETAIL
    THROTTLED = THROTTLED_DETAIL


def normalize_username(raw: str) -> str:
    """The username as the login form's field hands it to the authentication backend."""
    return UsernameField().to_python(raw) or ""


def _address(ip: str | None) -> Q:
    return Q(ip=ip) if ip else Q(ip__isnull=True)


def refusal(username: str, ip: str | None, now: datetime | None = None) -> Refusal | None:
    """Why a login of ``username`` (normalised) from ``ip`` is refused right now, or None."""
    since = (now or timezone.now()) - timedelta(minutes=settings.MINQING_LOGIN_LOCK_MINUTES)
    Action = AuditEvent.Action
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, at__gte=since)
    # the last sign-in of this username from this address, the last lift of its lock: one query
    marks = AuditEvent.objects.filter(action__in=(Action.LOGIN, Action.PERMISSION), at__gte=since).aggregate(
        last_ok=Max("at", filter=Q(_address(ip), action=Action.LOGIN, actor_name=username)),
        unlocked=Max(
            "at",
            filter=Q(action=Action.PERMISSION, object_type="auth.user", detail=unlock_detail(username)),
        ),
    )
    last_ok = marks["last_ok"]
    user_since = (marks["unlocked"] if username else None) or since
    counts = (
        failed.filter(Q(actor_name=username) | _address(ip))
        .exclude(detail__in=REFUSED_DETAILS)
        .aggregate(
            address=Count("pk", filter=_address(ip)),
            username=Count("pk", filter=Q(actor_name=username, at__gte=user_since)),
            pair=Count(
                "pk", filter=Q(actor_name=username, at__gte=max(last_ok or since, user_since)) & _address(ip)
            ),
        )
    )
    if counts["address"] >= settings.MINQING_LOGIN_IP_MAX_FAILURES:
        return Refusal.THROTTLED
    if not username:
        return None
    if (
        counts["pair"] >= settings.MINQING_LOGIN_MAX_FAILURES
        or counts["username"] >= settings.MINQING_LOGIN_USERNAME_MAX_FAILURES
    ):
        return Refusal.LOCKED
    return None


def refusal_error(refused: Refusal) -> DomainError:
    """The login's answer while ``refused``: the address throttled, or the account locked."""
    code = ErrorCode.LOGIN_THROTTLED if refused is Refusal.THROTTLED else ErrorCode.LOGIN_LOCKED
    return DomainError(code, minutes=settings.MINQING_LOGIN_LOCK_MINUTES)


def audit_failure(username: str, detail: str, request: HttpRequest | None) -> None:
    """A failed (or refused: ``detail`` a ``Refusal`` value) attempt of ``username``, by the
    password or the code step: the row the counts above are made of."""
    from minqing.core.audit import audit  # it imports Refusal from here

    audit(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_name=username,
        object_type="auth.user",
        detail=detail,
        request=request,
    )


def is_locked(username: str, ip: str | None, now: datetime | None = None) -> bool:
    """Whether a login of ``username`` (raw or normalised) from ``ip`` is refused right now."""
    return refusal(normalize_username(username), ip, now) is not None
