"""Supervision: guidance groups (指导组) and their inspections (督导), ``/api/v1/supervision``.

A group is visible when its work touches the caller's subtree, an inspection when the inspected
unit lies in it (``supervision.selectors``). ``POST /inspections`` records one inspection with
its findings through the page's service: each finding becomes a problem in the ledger, all in
one transaction; the office or an inspector of the inspected unit (or above) records it.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.routers.units import unit_in_scope
from minqing.api.scopes import Scope
from minqing.campaigns.selectors import campaign_by_id
from minqing.ledger.models import Category
from minqing.orgs.actors import Actor
from minqing.orgs.selectors import unit_by_code
from minqing.supervision import selectors as sel
from minqing.supervision.models import GuidanceGroup, Inspection
from minqing.supervision.services.inspections import FindingSpec, RecordsChecked, inspection_record

router = Router(tags=["supervision 督导"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MemberOut(Schema):
    name: str
    role: str
    person_number: str | None


class GroupOut(Schema):
    id: int
    name: str
    campaign_id: int
    campaign_name: str
    unit_code: str  # the sending unit
    created_at: dt.datetime
    leader_name: str | None
    inspections: int  # those the caller may see
    rounds: int
    last_date: dt.date | None


class GroupDetailOut(GroupOut):
    members: list[MemberOut]
    unit_codes: list[str]  # assigned units touching the caller's subtree
    other_units: int  # assigned units elsewhere (not named)


class FindingOut(Schema):
    text: str
    category_id: int | None
    problem_number: str | None


class InspectionOut(Schema):
    id: int
    group_id: int
    group_name: str
    unit_code: str
    date: dt.date
    kind: str
    round: int
    checked_minutes: bool
    checked_scripts: bool
    checked_media: bool
    notes: str
    findings: int


class InspectionDetailOut(InspectionOut):
    finding_rows: list[FindingOut]


class FindingIn(Schema):
    text: str = Field(min_length=1, max_length=2000)
    category: int | None = Field(None, description="问题分类 id / a problem category's id")
    title: str = Field("", max_length=200)


class InspectionIn(Schema):
    group: int
    unit: str = Field(description="督导单位代码 / the inspected unit's code")
    date: dt.date
    kind: str = Field(description="督导方式 / sit_in_meeting, sit_in_study, plan_review, spot_check, …")
    round: int | None = Field(None, ge=1, le=999)
    notes: str = ""
    checked_minutes: bool = False
    checked_scripts: bool = False
    checked_media: bool = False
    findings: list[FindingIn] = Field([], max_length=200)


def _group_out(g: GuidanceGroup, cls: type[GroupOut] = GroupOut, **more: object) -> GroupOut:
    return cls(
        id=g.pk,
        name=g.name,
        campaign_id=g.campaign_id,
        campaign_name=g.campaign.name,
        unit_code=g.unit.code,
        created_at=g.created_at,
        leader_name=getattr(g, "leader_name", None),
        inspections=getattr(g, "n_inspections", 0),
        rounds=getattr(g, "n_rounds", 0),
        last_date=getattr(g, "last_date", None),
        **more,
    )


def _inspection_out(i: Inspection, cls: type[InspectionOut] = InspectionOut, **more: object) -> InspectionOut:
    return cls(
        id=i.pk,
        group_id=i.group_id,
        group_name=i.group.name,
        unit_code=i.unit.code,
        date=i.date,
        kind=i.kind,
        round=i.round,
        checked_minutes=i.checked_minutes,
        checked_scripts=i.checked_scripts,
        checked_media=i.checked_media,
        notes=i.notes,
        findings=getattr(i, "n_findings", 0),
        **more,
    )


def _group(actor: Actor, pk: int | None) -> GuidanceGroup | None:
    if pk is None:
        return None
    group = sel.visible_groups(actor).filter(pk=pk).first()
    if group is None:
        raise ApiError("NOT_FOUND", 404, field="group")
    return group


@router.get(
    "/groups", response={200: Page[GroupOut], 404: ErrorOut}, summary="指导组列表 / list guidance groups"
)
def list_groups(
    request: HttpRequest,
    campaign: int | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[GroupOut]:
    """Groups whose work touches the caller's subtree; ``campaign`` (id), ``q`` (name contains)."""
    actor = require_scope(request, Scope.READ)
    found = campaign_by_id(actor, campaign) if campaign is not None else None
    if campaign is not None and found is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    rows, next_cursor = keyset_page(sel.group_list(actor, campaign=found, q=q), cursor, limit)
    return Page[GroupOut](items=[_group_out(g) for g in rows], next_cursor=next_cursor)


@router.get("/groups/{int:pk}", response={200: GroupDetailOut, 404: ErrorOut}, summary="指导组 / one group")
def get_group(request: HttpRequest, pk: int) -> GroupOut:
    actor = require_scope(request, Scope.READ)
    group = sel.group_get(actor, pk)
    annotated = sel.group_list(actor).filter(pk=group.pk).first() or group
    units, others = sel.group_units(actor, group)
    members = [
        MemberOut(name=m.name, role=m.role, person_number=m.person.number if m.person is not None else None)
        for m in sel.group_members(group)
    ]
    return _group_out(
        annotated, GroupDetailOut, members=members, unit_codes=[u.code for u in units], other_units=others
    )


@router.get(
    "/inspections",
    response={200: Page[InspectionOut], 404: ErrorOut, 422: ErrorOut},
    summary="督导记录列表 / list inspections",
)
def list_inspections(
    request: HttpRequest,
    unit: str,
    campaign: int | None = None,
    group: int | None = None,
    kind: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[InspectionOut]:
    """Inspections of ``unit``'s subtree; ``campaign``, ``group`` (ids), ``kind``, ``start`` /
    ``end`` (dates, both included)."""
    actor = require_scope(request, Scope.READ)
    found = campaign_by_id(actor, campaign) if campaign is not None else None
    if campaign is not None and found is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    filters = sel.InspectionFilters(
        campaign=found, group=_group(actor, group), kind=kind, start=start, end=end
    )
    qs = sel.inspection_list(actor, unit_in_scope(request, unit), filters)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[InspectionOut](items=[_inspection_out(i) for i in rows], next_cursor=next_cursor)


def _detail(inspection: Inspection) -> InspectionOut:
    findings = [
        FindingOut(
            text=f.text,
            category_id=f.category_id,
            problem_number=f.problem.number if f.problem is not None else None,
        )
        for f in sel.inspection_findings(inspection).order_by("position", "pk")
    ]
    inspection.n_findings = len(findings)  # type: ignore[attr-defined]
    return _inspection_out(inspection, InspectionDetailOut, finding_rows=findings)


@router.get(
    "/inspections/{int:pk}",
    response={200: InspectionDetailOut, 404: ErrorOut},
    summary="督导记录 / one inspection",
)
def get_inspection(request: HttpRequest, pk: int) -> InspectionOut:
    return _detail(sel.inspection_get(require_scope(request, Scope.READ), pk))


@router.post(
    "/inspections", response={201: InspectionDetailOut, **ERRORS}, summary="记录督导 / record an inspection"
)
def create_inspection(request: HttpRequest, payload: InspectionIn) -> Status[InspectionOut]:
    """As the inspection form: the group (visible to the caller), the inspected unit, date, kind,
    optional round, the records checked (a records check only) and the findings, each registered
    as a problem (source 督导发现)."""
    actor = require_scope(request, Scope.SUPERVISION_WRITE)
    group = _group(actor, payload.group)
    assert group is not None
    unit = unit_by_code(actor, payload.unit)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    categories = {
        c.pk: c for c in Category.objects.filter(pk__in=[f.category for f in payload.findings if f.category])
    }
    specs = []
    for n, f in enumerate(payload.findings):
        if f.category is not None and f.category not in categories:
            raise ApiError("NOT_FOUND", 404, field=f"findings.{n}.category")
        specs.append(FindingSpec(text=f.text, category=categories.get(f.category or 0), title=f.title))
    inspection = inspection_record(
        actor=actor,
        group=group,
        unit=unit,
        date=payload.date,
        kind=payload.kind,
        round=payload.round,
        notes=payload.notes,
        records=RecordsChecked(
            minutes=payload.checked_minutes, scripts=payload.checked_scripts, media=payload.checked_media
        ),
        findings=specs,
    )
    return Status(201, _detail(sel.inspection_get(actor, inspection.pk)))
