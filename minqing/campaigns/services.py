"""Writes for campaigns (专题): created by the office of the scope unit, audited."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.enums import Role
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit

CAMPAIGN_ROLES = (Role.OFFICE,)


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    scope: Unit,
    start_date: dt.date,
    end_date: dt.date | None = None,
    kind: str = CampaignKind.THEMED,
) -> Campaign:
    """A new campaign over ``scope``'s subtree; ``actor=None`` is the system (imports, demo)."""
    if actor is not None and not can_access_unit(actor, scope, CAMPAIGN_ROLES):
        raise PermissionDeniedError()
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="name")
    if kind not in CampaignKind.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="kind", value=kind)
    if end_date is not None and end_date < start_date:
        raise DomainError(ErrorCode.BAD_DATE_RANGE)
    campaign = Campaign(
        name=name[:100],
        kind=kind,
        scope=scope,
        path=scope.path,
        start_date=start_date,
        end_date=end_date,
    )
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as err:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="name", value=name) from err
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=campaign, detail=campaign.name)
    return campaign
