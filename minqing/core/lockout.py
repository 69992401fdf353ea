"""Login failure lockout (等保 2.0): failures are counted from the audit log, no extra table.

A username is locked when it has ``MINQING_LOGIN_MAX_FAILURES`` failed logins within the last
``MINQING_LOGIN_LOCK_MINUTES`` minutes and since its last successful login. Attempts refused
because of the lock are audited too, but do not count, so the lock ends on time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from minqing.core.models import AuditEvent

LOCKED_DETAIL = "locked"


def _window_start(username: str, now: datetime) -> datetime:
    since = now - timedelta(minutes=settings.MINQING_LOGIN_LOCK_MINUTES)
    last_ok = AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN, actor_name=username, at__gte=since
    ).aggregate(m=Max("at"))["m"]
    return max(since, last_ok) if last_ok else since


def recent_failures(username: str, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.LOGIN_FAILED, actor_name=username, at__gte=_window_start(username, now)
        )
        .exclude(detail=LOCKED_DETAIL)
        .count()
    )


def is_locked(username: str, now: datetime | None = None) -> bool:
    return bool(username) and recent_failures(username, now) >= settings.MINQING_LOGIN_MAX_FAILURES
