"""What the bulletin page asks for: unit, as-of date and campaign, read from a request's data.

A unit out of the actor's scope reads exactly like a missing one. The campaign defaults to the
one running at the date in the unit's scope (``campaigns.default_campaign``) when the actor may
see it.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns
from minqing.core.errors import DomainError, ErrorCode
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.selectors import default_unit, resolve_unit
from minqing.reports.bulletins import selectors
from minqing.reports.bulletins.campaigns import default_campaign


@dataclass
class BulletinQuery:
    unit_code: str = ""
    as_of_text: str = ""
    campaign_id: str = ""
    unit: Unit | None = None
    as_of: dt.date | None = None
    campaign: Campaign | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.errors and self.unit is not None and self.as_of is not None and self.campaign is not None
        )

    def params(self) -> dict[str, str]:
        """The query string of this bulletin (for the download links)."""
        out = {}
        if self.unit is not None:
            out["unit"] = self.unit.code
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        if self.campaign is not None:
            out["campaign"] = str(self.campaign.pk)
        return out


def _latest_campaign(actor: Actor, unit: Unit, as_of: dt.date) -> Campaign | None:
    """No campaign runs at ``as_of``: the latest one started by then that the actor sees over the
    unit (its own, an ancestor's or a descendant's), so the page opens on it, not on an error."""
    near = Q(path__startswith=unit.path) | Q(path__in=unit.ancestry_paths)
    return visible_campaigns(actor).filter(near, start_date__lte=as_of).order_by("-start_date", "-pk").first()


def read_query(actor: Actor, data: Mapping[str, Any], *, defaults: bool = True) -> BulletinQuery:
    """Read ``unit`` (a code), ``as_of`` (YYYY-MM-DD) and ``campaign`` (a pk) from ``data``."""
    q = BulletinQuery(
        unit_code=str(data.get("code") or data.get("unit") or "").strip()[:32],
        as_of_text=str(data.get("as_of") or "").strip()[:10],
        campaign_id=str(data.get("campaign") or "").strip()[:12],
    )
    if q.unit_code:
        found_unit = resolve_unit(actor, q.unit_code)
        q.unit = found_unit.unit
        if q.unit is None:
            q.errors.append(found_unit.error)
    elif defaults:
        q.unit = default_unit(actor)
        if q.unit is None:
            q.errors.append(_("您没有可访问的单位"))
    if q.as_of_text:
        try:
            q.as_of = selectors.as_of_date(q.as_of_text)
        except DomainError as err:
            q.errors.append(err.bilingual())
    elif defaults:
        q.as_of = timezone.localdate()
    if q.campaign_id:
        q.campaign = campaign_by_id(actor, q.campaign_id)
        if q.campaign is None:
            q.errors.append(DomainError(ErrorCode.IMPORT_UNKNOWN_CAMPAIGN, value=q.campaign_id).bilingual())
    elif q.unit is not None and q.as_of is not None:
        found = default_campaign(q.unit, q.as_of)
        if found is None or campaign_by_id(actor, found.pk) is None:
            found = _latest_campaign(actor, q.unit, q.as_of)
            if found is not None and found.end_date and not q.as_of_text:
                q.as_of = min(q.as_of, found.end_date)  # the page opens on its last day
        if found is not None:
            q.campaign = found
        else:
            missing = DomainError(ErrorCode.BULLETIN_NO_CAMPAIGN, date=q.as_of.isoformat(), unit=q.unit.name)
            q.errors.append(missing.bilingual())
    return q
