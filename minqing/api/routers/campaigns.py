"""Campaigns (专题) the caller sees: ``/api/v1/campaigns``. A campaign is visible when its scope
unit lies in the caller's subtree or above it (a county's campaign is its townships' too),
as on the pages (``campaigns.selectors.visible_campaigns``)."""

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from minqing.api.auth import require_scope
from minqing.api.errors import ApiError, ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.scopes import Scope
from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns

router = Router(tags=["campaigns 专题"])


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    scope_code: str
    scope_name: str
    start_date: dt.date
    end_date: dt.date | None
    bulletin_notes: str


def campaign_out(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.pk,
        name=c.name,
        kind=c.kind,
        scope_code=c.scope.code,
        scope_name=c.scope.name,
        start_date=c.start_date,
        end_date=c.end_date,
        bulletin_notes=c.bulletin_notes,
    )


@router.get("/", response=Page[CampaignOut], summary="专题列表 / list campaigns")
def list_campaigns(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    on: dt.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CampaignOut]:
    """Visible campaigns; ``q`` (name contains), ``kind``, ``on`` (running on that date)."""
    actor = require_scope(request, Scope.READ)
    qs = visible_campaigns(actor)
    if q.strip():
        qs = qs.filter(name__contains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if on is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[CampaignOut](items=[campaign_out(c) for c in rows], next_cursor=next_cursor)


@router.get("/{int:pk}", response={200: CampaignOut, 404: ErrorOut}, summary="专题 / one campaign")
def get_campaign(request: HttpRequest, pk: int) -> CampaignOut:
    campaign = campaign_by_id(require_scope(request, Scope.READ), pk)
    if campaign is None:
        raise ApiError("NOT_FOUND", 404)
    return campaign_out(campaign)
