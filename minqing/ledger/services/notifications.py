"""The in-app notification list: who is told about a problem, and reading one's own list."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from minqing.core.errors import PermissionDeniedError
from minqing.ledger.models import Notification, NotificationKind, Problem
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.policy import DEADLINE_WATCHERS


def unit_user_ids(unit_ids: Iterable[int], roles: Iterable[str] = DEADLINE_WATCHERS) -> dict[int, list[int]]:
    """``unit id -> user ids`` holding one of ``roles`` on exactly that unit (not above it)."""
    out: dict[int, list[int]] = {}
    qs = RoleAssignment.objects.filter(unit_id__in=list(set(unit_ids)), role__in=list(roles))
    for unit_id, user_id in qs.values_list("unit_id", "user_id").order_by("unit_id", "user_id"):
        users = out.setdefault(unit_id, [])
        if user_id not in users:
            users.append(user_id)
    return out


def notify_unit_users(
    *,
    unit: Unit,
    problem: Problem | None,
    text: str,
    roles: Iterable[str] = DEADLINE_WATCHERS,
    kind: str = NotificationKind.INFO,
) -> list[Notification]:
    """One notification for every user holding one of ``roles`` on ``unit``."""
    user_ids = unit_user_ids([unit.pk], roles).get(unit.pk, [])
    rows = [Notification(user_id=u, problem=problem, text=text[:300], kind=kind) for u in user_ids]
    with transaction.atomic():
        return Notification.objects.bulk_create(rows)


def notifications_for(actor: Actor | None, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody else's, whatever their role)."""
    user = user_of(actor)
    if user is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("problem").order_by("-created_at", "-id")


def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """Only the notification's owner may mark it read; marking twice keeps the first time."""
    user = user_of(actor)
    if user is None or notification.user_id != user.pk:
        raise PermissionDeniedError()
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification
