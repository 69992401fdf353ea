"""Programmes (项目), their targets, plans and progress: ``/api/v1/programmes``.

A programme is visible when its owner unit lies in the caller's subtree or above it; figures are
those of a unit of the caller's subtree inside the programme (``programmes.selectors``), as on
the programme page. ``POST /{id}/reports`` reports a unit's cumulative position on a target
through the page's service (``progress_report``): office or unit staff of the unit (or above).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.scopes import Scope
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.programmes import selectors as sel
from minqing.programmes.models import Programme, ProgressReport, Target
from minqing.programmes.rollup import Figures
from minqing.programmes.services.progress import progress_report

router = Router(tags=["programmes 项目"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TargetOut(Schema):
    key: str
    name: str
    measure: str
    plan_quantity: Decimal
    share_basis: str
    modes: list[str]


class ProgrammeOut(Schema):
    id: int
    name: str
    owner_code: str
    campaign_id: int | None
    start_date: dt.date
    end_date: dt.date | None


class ProgrammeDetailOut(ProgrammeOut):
    targets: list[TargetOut]


class FiguresOut(Schema):
    plan: Decimal | None
    in_progress: Decimal
    completed: Decimal
    funds: Decimal
    share: Decimal | None  # counted / plan, by the target's share basis


class ModeFiguresOut(FiguresOut):
    mode: str


class ChildFiguresOut(FiguresOut):
    unit_code: str
    unit_name: str


class TargetProgressOut(Schema):
    key: str
    name: str
    total: FiguresOut
    modes: list[ModeFiguresOut]
    children: list[ChildFiguresOut]
    own: FiguresOut | None  # the unit's own report, counted because nothing below it reported


class ProgressOut(Schema):
    programme_id: int
    unit_code: str
    as_of: dt.date
    funds: Decimal
    targets: list[TargetProgressOut]


class PlanOut(Schema):
    unit_code: str
    mode: str
    quantity: Decimal


class ReportOut(Schema):
    id: int
    target: str  # the target's key
    unit_code: str
    mode: str
    date: dt.date
    in_progress: Decimal
    completed: Decimal
    funds: Decimal


class ReportIn(Schema):
    target: str = Field(description="指标代码 / the target's key")
    unit: str = Field(description="单位代码 / the reporting unit's code")
    date: dt.date
    in_progress: Decimal = Field(ge=0)
    completed: Decimal = Field(ge=0)
    funds: Decimal = Field(Decimal(0), ge=0)
    mode: str = ""


class ReportedOut(Schema):
    report: ReportOut
    outcome: str  # created, updated or unchanged
    over_plan: str  # a warning when the figure exceeds the unit's plan, else ""


def _programme_out(p: Programme, cls: type[ProgrammeOut] = ProgrammeOut, **more: object) -> ProgrammeOut:
    return cls(
        id=p.pk,
        name=p.name,
        owner_code=p.owner.code,
        campaign_id=p.campaign_id,
        start_date=p.start_date,
        end_date=p.end_date,
        **more,
    )


def _target_out(t: Target) -> TargetOut:
    return TargetOut(
        key=t.key,
        name=t.name,
        measure=t.measure,
        plan_quantity=t.plan_quantity,
        share_basis=t.share_basis,
        modes=list(t.modes),
    )


def _figures(f: Figures) -> dict[str, Any]:
    return {
        "plan": f.plan,
        "in_progress": f.in_progress,
        "completed": f.completed,
        "funds": f.funds,
        "share": f.share,
    }


def _report_out(r: ProgressReport) -> ReportOut:
    return ReportOut(
        id=r.pk,
        target=r.target.key,
        unit_code=r.unit.code,
        mode=r.mode,
        date=r.date,
        in_progress=r.in_progress,
        completed=r.completed,
        funds=r.funds,
    )


def _unit(actor: Actor, programme: Programme, code: str) -> Unit:
    """``code`` (blank: where the caller's view starts) in scope and in the programme, else 404."""
    unit = (
        sel.unit_in_programme(actor, programme, code) if code.strip() else sel.default_unit(actor, programme)
    )
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    return unit


@router.get("/", response=Page[ProgrammeOut], summary="项目列表 / list programmes")
def list_programmes(
    request: HttpRequest, q: str = "", cursor: str | None = None, limit: int | None = None
) -> Page[ProgrammeOut]:
    """Programmes owned in the caller's subtree or above it; ``q``: name contains."""
    actor = require_scope(request, Scope.READ)
    rows, next_cursor = keyset_page(sel.programme_list(actor, q.strip()), cursor, limit)
    return Page[ProgrammeOut](items=[_programme_out(p) for p in rows], next_cursor=next_cursor)


@router.get("/{int:pk}", response={200: ProgrammeDetailOut, 404: ErrorOut}, summary="项目 / one programme")
def get_programme(request: HttpRequest, pk: int) -> ProgrammeOut:
    programme = sel.programme_get(require_scope(request, Scope.READ), pk)
    targets = [_target_out(t) for t in sel.targets(programme)]
    return _programme_out(programme, ProgrammeDetailOut, targets=targets)


@router.get("/{int:pk}/targets", response={200: list[TargetOut], 404: ErrorOut}, summary="项目指标 / targets")
def list_targets(request: HttpRequest, pk: int) -> list[TargetOut]:
    programme = sel.programme_get(require_scope(request, Scope.READ), pk)
    return [_target_out(t) for t in sel.targets(programme)]


@router.get("/{int:pk}/targets/{key}", response={200: TargetOut, 404: ErrorOut}, summary="指标 / one target")
def get_target(request: HttpRequest, pk: int, key: str) -> TargetOut:
    actor = require_scope(request, Scope.READ)
    return _target_out(sel.target_get(actor, sel.programme_get(actor, pk), key))


@router.get(
    "/{int:pk}/progress",
    response={200: ProgressOut, 404: ErrorOut, 422: ErrorOut},
    summary="项目进度 / progress",
)
def get_progress(request: HttpRequest, pk: int, unit: str = "", as_of: dt.date | None = None) -> ProgressOut:
    """Per target: plan, in progress, completed, funds and share of ``unit``'s subtree (blank:
    where the caller's view starts) as of ``as_of`` (default today); per mode and per child unit."""
    actor = require_scope(request, Scope.READ)
    programme = sel.programme_get(actor, pk)
    where = _unit(actor, programme, unit)
    p = sel.programme_progress(actor, programme, where, as_of or timezone.localdate(), series=False)
    return ProgressOut(
        programme_id=programme.pk,
        unit_code=where.code,
        as_of=p.as_of,
        funds=p.funds,
        targets=[
            TargetProgressOut(
                key=t.target.key,
                name=t.target.name,
                total=FiguresOut(**_figures(t.total)),
                modes=[ModeFiguresOut(mode=m, **_figures(f)) for m, f in t.modes],
                children=[
                    ChildFiguresOut(unit_code=c.code, unit_name=c.name, **_figures(f)) for c, f in t.children
                ],
                own=FiguresOut(**_figures(t.own)) if t.own is not None else None,
            )
            for t in p.targets
        ],
    )


@router.get(
    "/{int:pk}/targets/{key}/plans",
    response={200: Page[PlanOut], 404: ErrorOut},
    summary="指标计划 / a target's plans",
)
def list_plans(
    request: HttpRequest,
    pk: int,
    key: str,
    unit: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PlanOut]:
    """The plans of target ``key`` set for units of ``unit``'s subtree."""
    actor = require_scope(request, Scope.READ)
    programme = sel.programme_get(actor, pk)
    target = sel.target_get(actor, programme, key)
    rows, next_cursor = keyset_page(
        sel.target_plans(actor, target, _unit(actor, programme, unit)), cursor, limit
    )
    return Page[PlanOut](
        items=[PlanOut(unit_code=r.unit.code, mode=r.mode, quantity=r.quantity) for r in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "/{int:pk}/reports",
    response={200: Page[ReportOut], 404: ErrorOut, 422: ErrorOut},
    summary="进度报告列表 / progress reports",
)
def list_reports(
    request: HttpRequest,
    pk: int,
    unit: str = "",
    target: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ReportOut]:
    """Progress reports of ``unit``'s subtree; ``target`` (key), ``start`` / ``end`` (dates)."""
    actor = require_scope(request, Scope.READ)
    programme = sel.programme_get(actor, pk)
    filters = sel.ReportFilters(target=target, start=start, end=end)
    qs = sel.report_list(actor, programme, _unit(actor, programme, unit), filters)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[ReportOut](items=[_report_out(r) for r in rows], next_cursor=next_cursor)


@router.post("/{int:pk}/reports", response={201: ReportedOut, **ERRORS}, summary="报送进度 / report progress")
def create_report(request: HttpRequest, pk: int, payload: ReportIn) -> Status[ReportedOut]:
    """A unit's cumulative position on a target (and mode) as of ``date``; the same date again
    replaces it (``outcome`` updated) or changes nothing (unchanged)."""
    actor = require_scope(request, Scope.PROGRAMMES_WRITE)
    programme = sel.programme_get(actor, pk)
    target = sel.target_get(actor, programme, payload.target)
    unit = sel.unit_in_programme(actor, programme, payload.unit)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    done = progress_report(
        actor=actor,
        target=target,
        unit=unit,
        date=payload.date,
        in_progress=payload.in_progress,
        completed=payload.completed,
        funds=payload.funds,
        mode=payload.mode,
    )
    return Status(
        201, ReportedOut(report=_report_out(done.report), outcome=done.outcome, over_plan=done.over_plan)
    )
