"""Helpers shared by the supervision views: the unit and campaign filters, errors, export links."""

from typing import Any

from django.http import Http404, HttpRequest

from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns
from minqing.orgs.models import Unit
from minqing.orgs.unit_filters import request_unit, unit_error


def current_unit(request: HttpRequest) -> Unit:
    """``?unit=`` (code, short code or name) in the actor's scope; without it, or when it names
    no unit there (an inline error), the top of their scope. A file (``?format=``) with a bad
    unit is a 404: an export never silently swaps the unit."""
    if request.GET.get("format", "").strip() and unit_error(request):
        raise Http404
    return request_unit(request)


def current_campaign(request: HttpRequest) -> Campaign | None:
    return campaign_by_id(request.user, request.GET.get("campaign"))


def campaigns(request: HttpRequest) -> Any:
    return visible_campaigns(request.user).order_by("-start_date", "name")
