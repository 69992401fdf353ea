"""Bulletins and the dashboard as data: ``/api/v1/reports``.

``GET /bulletin`` answers the bulletin of a unit's subtree for a campaign as of a date in the
json format of the bulletin page's json download (the same query reader, builder and
``as_json``; the read is audited as that download is). ``GET /dashboard`` answers the
dashboard's figures for a unit's subtree over a period (``reports.dashboard.selectors``), the
tables the page's charts draw, without the map.
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import ConfigDict

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.scopes import Scope
from minqing.campaigns.selectors import campaign_by_id, default_period
from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.orgs.selectors import unit_by_code
from minqing.reports.bulletins.query import read_query
from minqing.reports.bulletins.renderers.text import as_json
from minqing.reports.bulletins.services import bulletin_generate
from minqing.reports.dashboard import selectors as dash
from minqing.reports.dashboard.period import Period

router = Router(tags=["reports 简报与看板"])

# the dashboard's dates: beyond them the instants of a period overflow (schemathesis found a 500)
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class BulletinUnitOut(Schema):
    code: str
    name: str


class BulletinCampaignOut(Schema):
    name: str
    kind: str


class BulletinOut(Schema):
    """The json format of a bulletin; besides these keys, one key per metric id (with a dot,
    such as ``problems.total``) holding its number (a share as a fraction)."""

    model_config = ConfigDict(extra="allow")

    unit: BulletinUnitOut
    as_of: dt.date
    campaign: BulletinCampaignOut
    title: str
    text: list[str]
    printed: list[str]
    labels: dict[str, dict[str, str]]


class ProblemFiguresOut(Schema):
    total: int
    resolved: int
    on_the_spot: int
    overdue: int
    merged: int
    on_the_spot_rate: float | None
    by_state: dict[str, int]
    by_source: dict[str, int]
    by_channel: dict[str, int]


class ActivityTotalsOut(Schema):
    sessions: int
    person_times: int
    headcount_only: int


class TypeCountOut(Schema):
    type: str
    name: str
    sessions: int
    person_times: int
    people: int
    headcount_only: int


class SeriesPointOut(Schema):
    label: str
    sessions: int
    person_times: int


class TargetRowOut(Schema):
    key: str
    name: str
    measure: str
    plan: str
    in_progress: str
    completed: str
    share_text: str
    share: float | None
    completed_only: bool


class ProgrammeBlockOut(Schema):
    id: int
    name: str
    unit_code: str
    rows: list[TargetRowOut]


class ChildRowOut(Schema):
    unit_code: str
    unit_name: str
    territorial: bool
    problems: int
    resolved: int
    overdue: int
    sessions: int
    person_times: int


class DashboardOut(Schema):
    unit_code: str
    unit_name: str
    start: dt.date
    end: dt.date
    campaign_id: int | None
    problems: ProblemFiguresOut
    activities: ActivityTotalsOut
    types: list[TypeCountOut]
    series: list[SeriesPointOut]
    programmes: list[ProgrammeBlockOut]
    programmes_more: bool
    children: list[ChildRowOut]
    children_more: bool
    ancestors: list[str]  # codes of the ancestors the caller may see, top first


@router.get(
    "/bulletin",
    response={200: BulletinOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="简报 / a bulletin",
)
def get_bulletin(
    request: HttpRequest, unit: str, as_of: dt.date | None = None, campaign: int | None = None
) -> HttpResponse:
    """The bulletin of ``unit``'s subtree as of ``as_of`` (default today) for ``campaign``
    (default: the one running then over the unit, as on the page)."""
    actor = require_scope(request, Scope.READ)
    found = unit_by_code(actor, unit)
    if found is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    if campaign is not None and campaign_by_id(actor, campaign) is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    data = {"unit": found.code, "as_of": as_of.isoformat() if as_of else "", "campaign": campaign or ""}
    query = read_query(actor, data)
    if not query.ok:
        raise ApiError("VALIDATION", 422, detail="; ".join(query.errors))
    assert query.unit is not None and query.as_of is not None and query.campaign is not None
    doc = bulletin_generate(unit=query.unit, as_of=query.as_of, campaign=query.campaign, actor=actor)
    audit(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="reports.bulletin",
        detail=f"bulletin api json {query.unit.code} {query.as_of.isoformat()}",
        request=request,
    )
    # answered as is: the metric keys are not fields of the schema (it documents the others)
    return JsonResponse(as_json(doc), json_dumps_params={"ensure_ascii": False})


@router.get(
    "/dashboard",
    response={200: DashboardOut, 404: ErrorOut, 422: ErrorOut},
    summary="看板数据 / dashboard figures",
)
def get_dashboard(
    request: HttpRequest,
    unit: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    campaign: int | None = None,
) -> DashboardOut:
    """The dashboard's figures for ``unit``'s subtree (blank: the caller's first unit) from
    ``start`` to ``end`` (both included; default the campaign's dates, else the current
    campaign's, else the last twelve months) and of one ``campaign`` when given."""
    actor = require_scope(request, Scope.READ)
    where = dash.dashboard_unit(actor, unit)
    chosen = dash.dashboard_campaign(actor, campaign) if campaign is not None else None
    if campaign is not None and chosen is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    default = default_period(actor, chosen, timezone.localdate())
    period = Period(start or default[0], end or default[1])
    if not period.valid:
        raise ApiError("VALIDATION", 422, field="end", detail="end < start")
    for name, day in (("start", period.start), ("end", period.end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ApiError("VALIDATION", 422, field=name, detail=f"{FIRST_DAY} – {LAST_DAY}")
    d = dash.dashboard(actor, where, period, chosen)
    p = d.problems
    return DashboardOut(
        unit_code=where.code,
        unit_name=where.name,
        start=period.start,
        end=period.end,
        campaign_id=chosen.pk if chosen is not None else None,
        problems=ProblemFiguresOut(
            total=p.total,
            resolved=p.resolved,
            on_the_spot=p.on_the_spot,
            overdue=p.overdue,
            merged=p.merged,
            on_the_spot_rate=p.on_the_spot_rate,
            by_state=dict(p.by_state),
            by_source=dict(p.by_source),
            by_channel=dict(p.by_channel),
        ),
        activities=ActivityTotalsOut(
            sessions=d.activity_totals.sessions,
            person_times=d.activity_totals.person_times,
            headcount_only=d.activity_totals.headcount_only,
        ),
        types=[
            TypeCountOut(
                type=t.type.code,
                name=t.type.name,
                sessions=t.sessions,
                person_times=t.person_times,
                people=t.people,
                headcount_only=t.headcount_only,
            )
            for t in d.types
        ],
        series=[
            SeriesPointOut(label=s.label, sessions=s.sessions, person_times=s.person_times) for s in d.series
        ],
        programmes=[
            ProgrammeBlockOut(
                id=b.pk,
                name=b.name,
                unit_code=b.unit.code,
                rows=[TargetRowOut(**vars(r)) for r in b.rows],
            )
            for b in d.programmes
        ],
        programmes_more=d.programmes_more,
        children=[
            ChildRowOut(unit_code=r.unit.code, unit_name=r.unit.name, territorial=r.territorial, **r.values())
            for r in d.children
        ],
        children_more=d.children_more,
        ancestors=[u.code for u in d.ancestors],
    )
