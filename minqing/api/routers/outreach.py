"""Research topics (调研课题) and visits (走访): ``/api/v1/research`` and ``/api/v1/visits``, the
activities' outreach records. Reads over a unit's subtree; topics, interviews and visits are
created through the pages' services (office or unit staff of the unit, or above)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from minqing.activities.coverage_rules import Period
from minqing.activities.models import ResearchTopic, Visit
from minqing.activities.outreach import selectors as sel
from minqing.activities.services import research, visits
from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.routers.units import unit_in_scope
from minqing.api.scopes import Scope
from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id
from minqing.orgs.actors import Actor
from minqing.orgs.models import Household, Person
from minqing.orgs.selectors import household_get, unit_by_code

research_router = Router(tags=["research 调研"])
visits_router = Router(tags=["visits 走访"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TopicOut(Schema):
    id: int
    title: str
    unit_code: str
    leader_number: str
    leader_name: str
    is_key: bool
    campaign_id: int | None
    created_at: dt.datetime
    reports: int


class InterviewOut(Schema):
    id: int
    date: dt.date
    person_times: int
    notes: str


class ReportOut(Schema):
    id: int
    title: str
    author_number: str
    submitted_on: dt.date


class TopicDetailOut(TopicOut):
    interviews: list[InterviewOut]
    research_reports: list[ReportOut]


class TopicIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    unit: str = Field(description="单位代码 / the unit's code")
    leader: str = Field(description="牵头领导人员编号 / the leader's person number")
    campaign: int | None = None
    is_key: bool = False


class InterviewIn(Schema):
    date: dt.date
    person_times: int = Field(ge=1)
    notes: str = Field("", max_length=300)


class VisitOut(Schema):
    id: int
    date: dt.date
    cadre_number: str
    cadre_name: str
    household_id: int | None
    household_number: str | None
    unit_code: str  # the visited contact point, or the household's grid
    notes: str
    problem_number: str | None


class VisitIn(Schema):
    cadre: str = Field(description="干部人员编号 / the cadre's person number")
    date: dt.date
    household: int | None = Field(None, description="户 id / a household's id")
    unit: str = Field("", description="联系点单位代码 / a contact point's unit code")
    notes: str = ""
    problem_title: str = Field("", max_length=200)
    problem_text: str = ""
    campaign: int | None = None


def _topic_out(t: ResearchTopic, cls: type[TopicOut] = TopicOut, **more: object) -> TopicOut:
    return cls(
        id=t.pk,
        title=t.title,
        unit_code=t.unit.code,
        leader_number=t.leader.number,
        leader_name=t.leader.name,
        is_key=t.is_key,
        campaign_id=t.campaign_id,
        created_at=t.created_at,
        reports=getattr(t, "n_reports", 0),
        **more,
    )


def _visit_out(v: Visit) -> VisitOut:
    target = v.household.grid if v.household is not None else v.unit
    return VisitOut(
        id=v.pk,
        date=v.date,
        cadre_number=v.cadre.number,
        cadre_name=v.cadre.name,
        household_id=v.household_id,
        household_number=v.household.number if v.household is not None else None,
        unit_code=target.code if target is not None else "",
        notes=v.notes,
        problem_number=v.problem.number if v.problem is not None else None,
    )


def _campaign(actor: Actor, pk: int | None) -> Campaign | None:
    if pk is None:
        return None
    campaign = campaign_by_id(actor, pk)
    if campaign is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    return campaign


def _person(actor: Actor, number: str, field: str) -> Person:
    person = sel.person_by_number(actor, number)
    if person is None:
        raise ApiError("NOT_FOUND", 404, field=field)
    return person


# --- research ------------------------------------------------------------------------------


@research_router.get("/", response={200: Page[TopicOut], 404: ErrorOut}, summary="调研课题列表 / list topics")
def list_topics(
    request: HttpRequest,
    unit: str,
    campaign: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[TopicOut]:
    """Topics of ``unit``'s subtree, of one ``campaign`` when given."""
    actor = require_scope(request, Scope.READ)
    qs = sel.research_topic_queryset(actor, unit_in_scope(request, unit), campaign=_campaign(actor, campaign))
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[TopicOut](items=[_topic_out(t) for t in rows], next_cursor=next_cursor)


@research_router.get(
    "/{int:pk}", response={200: TopicDetailOut, 404: ErrorOut}, summary="调研课题 / one topic"
)
def get_topic(request: HttpRequest, pk: int) -> TopicOut:
    actor = require_scope(request, Scope.READ)
    topic = sel.topic_get(actor, pk)
    interviews = [
        InterviewOut(id=i.pk, date=i.date, person_times=i.person_times, notes=i.notes)
        for i in sel.topic_interviews(actor, topic)
    ]
    reports = [
        ReportOut(id=r.pk, title=r.title, author_number=r.author.number, submitted_on=r.submitted_on)
        for r in sel.topic_reports(actor, topic)
    ]
    topic.n_reports = len(reports)  # type: ignore[attr-defined]
    return _topic_out(topic, TopicDetailOut, interviews=interviews, research_reports=reports)


@research_router.post("/", response={201: TopicOut, **ERRORS}, summary="确定调研课题 / create a topic")
def create_topic(request: HttpRequest, payload: TopicIn) -> Status[TopicOut]:
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    unit = unit_by_code(actor, payload.unit)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    topic = research.topic_create(
        actor=actor,
        title=payload.title,
        leader=_person(actor, payload.leader, "leader"),
        unit=unit,
        campaign=_campaign(actor, payload.campaign),
        is_key=payload.is_key,
    )
    return Status(201, _topic_out(topic))


@research_router.post(
    "/{int:pk}/interviews", response={201: InterviewOut, **ERRORS}, summary="记录访谈 / record an interview"
)
def record_interview(request: HttpRequest, pk: int, payload: InterviewIn) -> Status[InterviewOut]:
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    topic = sel.topic_get(actor, pk)
    row = research.interview_record(
        actor=actor, topic=topic, date=payload.date, person_times=payload.person_times, notes=payload.notes
    )
    return Status(201, InterviewOut(id=row.pk, date=row.date, person_times=row.person_times, notes=row.notes))


class ReportIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    author: str = Field(
        "", description="作者人员编号,默认牵头领导 / the author's person number (default: the leader)"
    )
    submitted_on: dt.date | None = None


@research_router.post(
    "/{int:pk}/reports",
    response={201: ReportOut, **ERRORS},
    summary="提交调研报告 / submit a research report",
)
def submit_report(request: HttpRequest, pk: int, payload: ReportIn) -> Status[ReportOut]:
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    topic = sel.topic_get(actor, pk)
    author = _person(actor, payload.author, "author") if payload.author.strip() else None
    row = research.report_submit(
        actor=actor, topic=topic, title=payload.title, author=author, submitted_on=payload.submitted_on
    )
    return Status(
        201,
        ReportOut(id=row.pk, title=row.title, author_number=row.author.number, submitted_on=row.submitted_on),
    )


# --- visits --------------------------------------------------------------------------------


@visits_router.get(
    "/", response={200: Page[VisitOut], 404: ErrorOut, 422: ErrorOut}, summary="走访列表 / list visits"
)
def list_visits(
    request: HttpRequest,
    unit: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[VisitOut]:
    """Visits of ``unit``'s subtree, between ``start`` and ``end`` (both included) when given."""
    actor = require_scope(request, Scope.READ)
    period = Period(start or dt.date.min, end or dt.date.max) if start or end else None
    qs = sel.visit_queryset(actor, unit_in_scope(request, unit), period=period)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[VisitOut](items=[_visit_out(v) for v in rows], next_cursor=next_cursor)


@visits_router.get("/{int:pk}", response={200: VisitOut, 404: ErrorOut}, summary="走访 / one visit")
def get_visit(request: HttpRequest, pk: int) -> VisitOut:
    return _visit_out(sel.visit_get(require_scope(request, Scope.READ), pk))


@visits_router.post("/", response={201: VisitOut, **ERRORS}, summary="记录走访 / record a visit")
def create_visit(request: HttpRequest, payload: VisitIn) -> Status[VisitOut]:
    """A visit to exactly one of ``household`` or ``unit``. With ``problem_title`` a problem is
    registered in the ledger too, so the key then needs ``problems:write`` as well."""
    actor = require_scope(request, Scope.ACTIVITIES_WRITE)
    if payload.problem_title.strip():
        require_scope(request, Scope.PROBLEMS_WRITE)
    household: Household | None = household_get(actor, payload.household) if payload.household else None
    unit = None
    if payload.unit.strip():
        unit = unit_by_code(actor, payload.unit)
        if unit is None:
            raise ApiError("NOT_FOUND", 404, field="unit")
    visit = visits.visit_record(
        actor=actor,
        cadre=_person(actor, payload.cadre, "cadre"),
        date=payload.date,
        household=household,
        unit=unit,
        notes=payload.notes,
        problem_title=payload.problem_title,
        problem_text=payload.problem_text,
        campaign=_campaign(actor, payload.campaign),
    )
    return Status(201, _visit_out(sel.visit_get(actor, visit.pk)))
