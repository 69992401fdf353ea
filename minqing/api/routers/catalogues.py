"""The catalogues (read only): the power list (权力清单), reform measures (改革举措) with their
results, and commendations (表彰): ``/api/v1/catalogues``. Rows of the caller's subtree only, with
the same filters as the catalogue pages (``catalogues.selectors``); a ``unit`` filter outside
the subtree answers 404."""

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.scopes import Scope
from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id
from minqing.catalogues import selectors as sel
from minqing.catalogues.models import Commendation, PowerCategory, PowerItem, ReformMeasure, ReformStatus
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

router = Router(tags=["catalogues 目录"])


class PowerOut(Schema):
    id: int
    unit_code: str
    category: str
    name: str
    code: str
    legal_basis: str
    published_on: dt.date | None
    is_active: bool


class ReformResultOut(Schema):
    date: dt.date
    text: str


class ReformOut(Schema):
    id: int
    unit_code: str
    title: str
    is_key: bool
    status: str
    campaign_id: int | None
    started_on: dt.date | None


class ReformDetailOut(ReformOut):
    results: list[ReformResultOut]


class CommendationOut(Schema):
    id: int
    name: str
    person_number: str | None
    unit_code: str
    title: str
    date: dt.date
    decided_on: dt.date | None
    awarded_by: str
    campaign_id: int | None


def _unit(actor: Actor, code: str) -> Unit | None:
    if not code.strip():
        return None
    unit = sel.filter_unit(actor, code)
    if unit is None:
        raise ApiError("NOT_FOUND", 404, field="unit")
    return unit


def _campaign(actor: Actor, pk: int | None) -> Campaign | None:
    if pk is None:
        return None
    campaign = campaign_by_id(actor, pk)
    if campaign is None:
        raise ApiError("NOT_FOUND", 404, field="campaign")
    return campaign


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _power_out(p: PowerItem) -> PowerOut:
    return PowerOut(
        id=p.pk,
        unit_code=p.unit.code,
        category=p.category,
        name=p.name,
        code=p.code,
        legal_basis=p.legal_basis,
        published_on=p.published_on,
        is_active=p.is_active,
    )


def _reform_out(r: ReformMeasure, cls: type[ReformOut] = ReformOut, **more: object) -> ReformOut:
    return cls(
        id=r.pk,
        unit_code=r.unit.code,
        title=r.title,
        is_key=r.is_key,
        status=r.status,
        campaign_id=r.campaign_id,
        started_on=r.started_on,
        **more,
    )


def _commendation_out(c: Commendation) -> CommendationOut:
    return CommendationOut(
        id=c.pk,
        name=c.name,
        person_number=c.person.number if c.person is not None else None,
        unit_code=c.unit.code,
        title=c.title,
        date=c.date,
        decided_on=c.decided_on,
        awarded_by=c.awarded_by,
        campaign_id=c.campaign_id,
    )


@router.get("/powers", response={200: Page[PowerOut], 404: ErrorOut}, summary="权力清单 / the power list")
def list_powers(
    request: HttpRequest,
    unit: str = "",
    category: str = "",
    active: bool | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PowerOut]:
    """Power items of the caller's subtree (of ``unit``'s when given); ``category``, ``active``,
    ``q`` (name or legal basis contains / code starts with)."""
    actor = require_scope(request, Scope.READ)
    filters = sel.PowerFilters(
        unit=_unit(actor, unit),
        category=category if category in PowerCategory.values else "",
        active=_yes_no(active),
        q=q.strip()[: sel.Q_MAX],
    )
    rows, next_cursor = keyset_page(sel.power_items(actor, filters).select_related("unit"), cursor, limit)
    return Page[PowerOut](items=[_power_out(p) for p in rows], next_cursor=next_cursor)


@router.get("/powers/{int:pk}", response={200: PowerOut, 404: ErrorOut}, summary="权力事项 / one power item")
def get_power(request: HttpRequest, pk: int) -> PowerOut:
    return _power_out(sel.power_get(require_scope(request, Scope.READ), pk))


@router.get("/reforms", response={200: Page[ReformOut], 404: ErrorOut}, summary="改革举措 / reform measures")
def list_reforms(
    request: HttpRequest,
    unit: str = "",
    status: str = "",
    key: bool | None = None,
    campaign: int | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[ReformOut]:
    """Reform measures of the caller's subtree; ``unit``, ``status``, ``key`` (重点改革),
    ``campaign`` (id), ``q`` (title contains)."""
    actor = require_scope(request, Scope.READ)
    filters = sel.ReformFilters(
        unit=_unit(actor, unit),
        status=status if status in ReformStatus.values else "",
        key=_yes_no(key),
        campaign=_campaign(actor, campaign),
        q=q.strip()[: sel.Q_MAX],
    )
    rows, next_cursor = keyset_page(sel.reforms(actor, filters).select_related("unit"), cursor, limit)
    return Page[ReformOut](items=[_reform_out(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/reforms/{int:pk}",
    response={200: ReformDetailOut, 404: ErrorOut},
    summary="改革举措 / one reform measure",
)
def get_reform(request: HttpRequest, pk: int) -> ReformOut:
    actor = require_scope(request, Scope.READ)
    measure = sel.reform_get(actor, pk)
    results = [ReformResultOut(date=r.date, text=r.text) for r in sel.reform_results(actor, measure)]
    return _reform_out(measure, ReformDetailOut, results=results)


@router.get(
    "/commendations", response={200: Page[CommendationOut], 404: ErrorOut}, summary="表彰 / commendations"
)
def list_commendations(
    request: HttpRequest,
    unit: str = "",
    title: str = "",
    # the page's bounds (catalogues.selectors); a year beyond them overflowed into a 500
    year: int | None = Query(None, ge=1900, le=2999),
    campaign: int | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CommendationOut]:
    """Commendations of the caller's subtree; ``unit``, ``title`` (exact), ``year``,
    ``campaign`` (id), ``q`` (name or title contains)."""
    actor = require_scope(request, Scope.READ)
    filters = sel.CommendationFilters(
        unit=_unit(actor, unit),
        title=title.strip()[: sel.Q_MAX],
        year=year,
        campaign=_campaign(actor, campaign),
        q=q.strip()[: sel.Q_MAX],
    )
    qs = sel.commendations(actor, filters).select_related("unit", "person")
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[CommendationOut](items=[_commendation_out(c) for c in rows], next_cursor=next_cursor)


@router.get(
    "/commendations/{int:pk}",
    response={200: CommendationOut, 404: ErrorOut},
    summary="表彰 / one commendation",
)
def get_commendation(request: HttpRequest, pk: int) -> CommendationOut:
    return _commendation_out(sel.commendation_get(require_scope(request, Scope.READ), pk))
