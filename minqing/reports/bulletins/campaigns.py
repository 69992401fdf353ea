"""Which campaign a bulletin is about.

The default is ``minqing.reports.metrics.default_campaign(unit, as_of)``: the campaign running
on ``as_of`` in the unit's scope (its own or the nearest above, else the highest below).
"""

import datetime as dt

from minqing.campaigns.models import Campaign
from minqing.core.errors import DomainError, ErrorCode
from minqing.orgs.models import Unit
from minqing.reports.metrics.registry import default_campaign

__all__ = ["campaign_by_name", "campaign_for", "default_campaign"]


def campaign_by_name(name: str) -> Campaign:
    """A campaign by its exact name (or its number); a clear error otherwise."""
    name = name.strip()
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None and name.isdigit():
        campaign = Campaign.objects.filter(pk=int(name)).first()
    if campaign is None:
        raise DomainError(ErrorCode.IMPORT_UNKNOWN_CAMPAIGN, value=name)
    return campaign


def campaign_for(unit: Unit, as_of: dt.date, name: str | None = None) -> Campaign:
    """The named campaign, else the default one; an error when none is running."""
    if name:
        return campaign_by_name(name)
    campaign = default_campaign(unit, as_of)
    if campaign is None:
        raise DomainError(ErrorCode.BULLETIN_NO_CAMPAIGN, date=as_of.isoformat(), unit=unit.name)
    return campaign
