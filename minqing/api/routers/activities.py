"""Activities, attendance and check-in: ``/api/v1/activities``; research topics and visits:
``/api/v1/research`` and ``/api/v1/visits``.

An activity is addressed by its number (活动编号). Check-in goes through the same service as the
pages (``attendance_check_in``): by person number, or by name plus the last digits of the
person's phone, looked up among the people of the organiser's subtree as the QR check-in page
does (``checkin_identify``, each comparison audited). Failed identifications count against the
same per-name limit as the phone page, so the API cannot be used to try phone digits one after
another.
"""

import datetime as dt
import re

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from minqing.activities import selectors
from minqing.activities.checkin_identify import Match, by_name_and_phone_tail, normalise_name
from minqing.activities.forms import names_match
from minqing.activities.models import Activity, ActivityType, Attendance, CheckInMethod
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.activities.views.phone import FAILURE_SCOPE
from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.scopes import Scope
from minqing.campaigns.selectors import campaign_by_id
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.ratelimit import rate_exceeded, rate_take
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.masking import mask_name
from minqing.orgs.models import Person
from minqing.orgs.selectors import unit_by_code

router = Router(tags=["activities 活动"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ActivityOut(Schema):
    number: str
    title: str
    type: str  # the activity type's code
    type_name: str
    organiser_code: str
    organiser_name: str
    campaign_id: int | None
    start: dt.datetime
    end: dt.datetime | None
    place: str
    headcount: int | None  # counted by headcount (no roster) when set
    checked_in: int
    short_code: str
    lecturers: list[str] = []  # person numbers (on a single activity only)


class ActivityIn(Schema):
    type: str = Field(description="活动类型代码 / activity type code")
    organiser: str = Field(description="组织单位代码 / organising unit's code")
    title: str = Field(min_length=1, max_length=200)
    start: dt.datetime
    end: dt.datetime | None = None
    campaign: int | None = None
    place: str = Field("", max_length=200)
    headcount: int | None = Field(None, ge=0, le=1_000_000)
    lecturers: list[str] = Field([], description="主讲人人员编号 / lecturers' person numbers")
    script_ref: str = Field("", max_length=300)
    minutes_ref: str = Field("", max_length=300)
    media_ref: str = Field("", max_length=300)


class AttendanceOut(Schema):
    person_number: str
    name: str
    unit_code: str
    checked_in_at: dt.datetime
    method: str


class CheckInIn(Schema):
    number: str = Field("", max_length=32, description="人员编号 / person number")
    name: str = Field("", max_length=50, description="姓名 / name")
    phone_tail: str = Field("", max_length=11, description="手机号码后几位 / last digits of the phone")


class CheckInOut(Schema):
    activity: str
    person_number: str
    name: str  # masked (张*), as the phone page shows it
    checked_in_at: dt.datetime
    created: bool  # False: already checked in, nothing changed


def activity_out(a: Activity, *, lecturers: list[str] | None = None) -> ActivityOut:
    return ActivityOut(
        number=a.number,
        title=a.title,
        type=a.type.code,
        type_name=a.type.name,
        organiser_code=a.organiser.code,
        organiser_name=a.organiser.name,
        campaign_id=a.campaign_id,
        start=a.start,
        end=a.end,
        place=a.place,
        headcount=a.headcount,
        checked_in=getattr(a, "checked_in", 0),
        short_code=a.short_code,
        lecturers=lecturers or [],
    )


@router.get(
    "/", response={200: Page[ActivityOut], 404: ErrorOut, 422: ErrorOut}, summary="活动列表 / list activities"
)
def list_activities(
    request: HttpRequest,
    unit: str = "",
    type: str = "",
    campaign: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ActivityOut]:
    """Activities the caller sees; ``unit`` (organised in its subtree), ``type`` (code),
    ``campaign`` (id), ``start`` / ``end`` (dates, both included), ``q`` (title contains /
    number starts with)."""
    actor = require_scope(request, Scope.READ)
    if unit.strip() and unit_by_code(actor, unit) is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    filters = selectors.ActivityFilters(
        type=type,
        campaign=str(campaign) if campaign is not None else "",
        unit=unit,
        start=start.isoformat() if start else "",
        end=end.isoformat() if end else "",
        q=q.strip(),
    )
    rows, next_cursor = keyset_page(selectors.activity_queryset(actor, filters), cursor, limit)
    return Page[ActivityOut](items=[activity_out(a) for a in rows], next_cursor=next_cursor)


@router.get("/{number}", response={200: ActivityOut, 404: ErrorOut}, summary="活动 / one activity")
def get_activity(request: HttpRequest, number: str) -> ActivityOut:
    actor = require_scope(request, Scope.READ)
    activity = selectors.activity_get(actor, number)
    activity.checked_in = Attendance.objects.filter(activity=activity).count()  # type: ignore[attr-defined]
    lecturers = list(selectors.activity_lecturers(activity).values_list("number", flat=True))
    return activity_out(activity, lecturers=lecturers)


def _people(numbers: list[str]) -> list[Person]:
    found = selectors.people_by_numbers(numbers)
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ApiError("PERSON_NUMBERS_UNKNOWN", 422, field="lecturers", numbers="、".join(missing))
    return [found[n] for n in dict.fromkeys(numbers)]


@router.post("/", response={201: ActivityOut, **ERRORS}, summary="登记活动 / create an activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[ActivityOut]:
    """As the new-activity page: office or unit staff of the organiser (or above)."""
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    if not payload.title.strip():
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="title")
    organiser = unit_by_code(actor, payload.organiser, policy.UNIT_WRITERS)
    if organiser is None:
        raise ApiError("NOT_FOUND", 404, field="organiser")
    kind = ActivityType.objects.filter(code=payload.type).first()
    if kind is None:
        raise ApiError("NOT_FOUND", 404, field="type")
    campaign = None
    if payload.campaign is not None:
        campaign = campaign_by_id(actor, payload.campaign)
        if campaign is None:
            raise ApiError("NOT_FOUND", 404, field="campaign")
    activity = activity_create(
        actor=actor,
        type=kind,
        organiser=organiser,
        title=payload.title.strip(),
        start=payload.start,
        end=payload.end,
        campaign=campaign,
        place=payload.place,
        lecturers=_people(payload.lecturers),
        headcount=payload.headcount,
        script_ref=payload.script_ref,
        minutes_ref=payload.minutes_ref,
        media_ref=payload.media_ref,
    )
    return Status(201, activity_out(activity, lecturers=list(dict.fromkeys(payload.lecturers))))


@router.get(
    "/{number}/attendance",
    response={200: Page[AttendanceOut], 404: ErrorOut},
    summary="签到名单 / attendance list",
)
def list_attendance(
    request: HttpRequest, number: str, cursor: str | None = None, limit: int | None = None
) -> Page[AttendanceOut]:
    actor = require_scope(request, Scope.READ)
    activity = selectors.activity_get(actor, number)
    rows, next_cursor = keyset_page(selectors.activity_roster(activity), cursor, limit)
    return Page[AttendanceOut](
        items=[
            AttendanceOut(
                person_number=r.person.number,
                name=r.person.name,
                unit_code=r.person.unit.code,
                checked_in_at=r.checked_in_at,
                method=r.method,
            )
            for r in rows
        ],
        next_cursor=next_cursor,
    )


def _failure_keys(actor: Actor, body: CheckInIn) -> list[str]:
    keys = [f"api:{actor.pk}"]
    if not body.number.strip():
        keys.append(f"name:{normalise_name(body.name)}")  # the phone page's key: one limit for both
    return keys


def _check_failures(keys: list[str]) -> None:
    limit, window = settings.MINQING_CHECKIN_FAILURE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    if any(rate_exceeded(scope=FAILURE_SCOPE, client=k, limit=limit, window=window) for k in keys):
        raise ApiError("RATE_LIMITED", 429, headers={"Retry-After": str(window)}, seconds=window)


def _count_failure(keys: list[str]) -> None:
    limit, window = settings.MINQING_CHECKIN_FAILURE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    for key in keys:
        rate_take(scope=FAILURE_SCOPE, client=key, limit=limit, window=window)


def _identify(request: HttpRequest, actor: Actor, activity: Activity, body: CheckInIn) -> Person | ApiError:
    number, name, tail = body.number.strip(), body.name.strip(), re.sub(r"\s+", "", body.phone_tail)
    if number:
        person = selectors.person_by_number(number)
        if person is None:
            return ApiError("CHECKIN_NUMBER_UNKNOWN", 404, field="number")
        if name and not names_match(name, person.name):
            return ApiError("CHECKIN_NAME_MISMATCH", 422, field="name")
        return person
    digits = settings.MINQING_CHECKIN_PHONE_DIGITS
    if not name or not (tail.isascii() and tail.isdigit() and len(tail) >= digits):
        return ApiError("CHECKIN_WHO", 422, field="phone_tail" if name else "name", digits=digits)
    found = by_name_and_phone_tail(activity, name, tail, request, actor=actor)
    if found.match is Match.AMBIGUOUS:
        return ApiError("CHECKIN_AMBIGUOUS", 409, field="phone_tail")
    if found.person is None:
        return ApiError("CHECKIN_NO_MATCH", 404, field="phone_tail")
    return found.person


@router.post("/{number}/check-in", response={200: CheckInOut, **ERRORS}, summary="签到 / check a person in")
def check_in(request: HttpRequest, number: str, payload: CheckInIn) -> CheckInOut:
    """Check one person in: ``number`` (a person number; ``name`` too, if given, must be theirs),
    or ``name`` and ``phone_tail`` (the last 4 or more digits of their phone). Office or unit staff
    of the organiser; a second check-in changes nothing (``created`` false)."""
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    activity = selectors.activity_get(actor, number)
    policy.require_role(actor, policy.UNIT_WRITERS, activity.organiser.path)
    keys = _failure_keys(actor, payload)
    _check_failures(keys)
    person = _identify(request, actor, activity, payload)
    if isinstance(person, ApiError):
        if person.code != "CHECKIN_WHO":
            _count_failure(keys)
        raise person
    row, created = attendance_check_in(
        actor=actor, activity=activity, person=person, method=CheckInMethod.LIST
    )
    return CheckInOut(
        activity=activity.number,
        person_number=person.number,
        name=mask_name(person.name),
        checked_in_at=row.checked_in_at,
        created=created,
    )
