"""Writes for activities and their attendance."""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, Attendance, CheckInMethod
from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _check(actor: Actor, unit: Unit) -> None:
    if not policy.has_role(actor, policy.UNIT_WRITERS, unit.path):
        raise PermissionDeniedError()


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    type: ActivityType,
    organiser: Unit,
    title: str,
    start: dt.datetime,
    end: dt.datetime | None = None,
    campaign: Campaign | None = None,
    place: str = "",
    lecturers: Iterable[Person] = (),
    headcount: int | None = None,
    number: str = "",
    script_ref: str = "",
    minutes_ref: str = "",
    media_ref: str = "",
) -> Activity:
    """A new activity; ``headcount`` only where there is no roster."""
    _check(actor, organiser)
    if end is not None and end < start:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="end", value=str(end))
    if headcount is not None and headcount < 0:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="headcount", value=str(headcount))
    activity = Activity(
        number=number or f"HD{timezone.localtime(start):%Y%m%d}{secrets.randbelow(10**6):06d}",
        type=type,
        organiser=organiser,
        path=organiser.path,
        campaign=campaign,
        title=title[:200],
        start=start,
        end=end,
        place=place,
        headcount=headcount,
        short_code=new_short_code(),
        script_ref=script_ref,
        minutes_ref=minutes_ref,
        media_ref=media_ref,
    )
    for attempt in range(5):
        try:
            with transaction.atomic():
                activity.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
            activity.short_code = new_short_code()
            if not number:
                activity.number = f"HD{timezone.localtime(start):%Y%m%d}{secrets.randbelow(10**6):06d}"
    activity.lecturers.set(list(lecturers))
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=activity, detail=activity.title)
    return activity


def attendance_check_in(
    *,
    actor: Actor,
    activity: Activity,
    person: Person,
    method: str = CheckInMethod.LIST,
    at: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Check ``person`` in; a second check-in of the same person changes nothing.

    From the list, the actor is staff of the organiser; on a phone (``method=phone``) the
    person checks themself in with the activity's code and their person number (no role needed).
    """
    if method != CheckInMethod.PHONE:
        _check(actor, activity.organiser)
    if activity.headcount is not None:  # counted by headcount: it has no roster
        raise DomainError(ErrorCode.ACTIVITY_HEADCOUNT_ONLY)
    with transaction.atomic():
        row, created = Attendance.objects.get_or_create(
            activity=activity,
            person=person,
            defaults={
                "checked_in_at": at or timezone.now(),
                "method": method,
                "path": activity.path,
                "start": activity.start,
                "type_id": activity.type_id,
            },
        )
    return row, created
