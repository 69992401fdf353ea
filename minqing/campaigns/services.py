"""Writes for campaigns (专题): created by the office of the scope unit, audited."""

import datetime as dt

from django.db import IntegrityError, transaction

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    name: str,
    scope: Unit,
    start_date: dt.date,
    end_date: dt.date | None = None,
    kind: str = CampaignKind.THEMED,
    bulletin_notes: str = "",
) -> Campaign:
    """A new campaign over ``scope``'s subtree, by the office of ``scope`` or above (or ``SYSTEM``:
    imports, the demo)."""
    if not policy.has_role(actor, policy.OFFICE, scope.path):
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
        bulletin_notes=clean_notes(bulletin_notes),
    )
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as err:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="name", value=name) from err
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=campaign, detail=campaign.name)
    return campaign


NOTES_MAX = 4000


def clean_notes(text: str) -> str:
    """One note per line, blank lines and surrounding spaces dropped; at most ``NOTES_MAX``
    characters (every write of the notes goes through here)."""
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if len(text) > NOTES_MAX:
        raise DomainError(ErrorCode.BULLETIN_NOTES_TOO_LONG, length=len(text), max=NOTES_MAX)
    return text


def note_lines(campaign: Campaign) -> list[str]:
    """The stored notes, one per line (stored cleaned: no blank line)."""
    return campaign.bulletin_notes.splitlines()


def can_manage(actor: Actor | None, campaign: Campaign) -> bool:
    """The office of the campaign's scope unit or above (who creates it), or ``SYSTEM``."""
    return policy.has_role(actor, policy.OFFICE, campaign.scope.path)


@transaction.atomic
def campaign_set_bulletin_notes(*, actor: Actor, campaign: Campaign, notes: str) -> Campaign:
    """Replace the notes printed after every bulletin of ``campaign`` (office of its scope unit)."""
    if not can_manage(actor, campaign):
        raise PermissionDeniedError()
    text = clean_notes(notes)
    row = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if row.bulletin_notes == text:
        return row
    row.bulletin_notes = text
    row.save(update_fields=["bulletin_notes"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=row, detail=f"bulletin notes: {len(text)} chars")
    return row
