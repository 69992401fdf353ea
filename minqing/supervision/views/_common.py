"""Helpers shared by the supervision views: the unit and campaign filters, errors, export links."""

from typing import Any

from django.http import Http404, HttpRequest

from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns
from minqing.orgs.models import Unit
from minqing.orgs.selectors import default_unit, unit_by_code


def current_unit(request: HttpRequest) -> Unit:
    """``?unit=<code>`` in the actor's scope (else 404); without it the top of their scope."""
    code = request.GET.get("unit", "").strip()
    unit = unit_by_code(request.user, code) if code else default_unit(request.user)
    if unit is None:
        raise Http404
    return unit


def current_campaign(request: HttpRequest) -> Campaign | None:
    return campaign_by_id(request.user, request.GET.get("campaign"))


def campaigns(request: HttpRequest) -> Any:
    return visible_campaigns(request.user).order_by("-start_date", "name")
