"""Who may do what with bulletins.

- generate (see the bulletin page, download): anyone with a role on the unit or above it;
- publish: the office (领导小组办公室) of the unit or of a unit above it;
- edit a campaign's bulletin notes: the office of the campaign's scope unit or above;
- check a published bulletin: anyone who may see it (the check only records a recount);
- edit a unit's own templates (copy the inherited one, change it, drop it): that unit's office,
  held on exactly that unit (an office above it, another unit's office or a superuser flag may
  not); the shipped default: the system administrator (``Duty.SYSTEM``) only.

``SYSTEM`` may do all of it (the command line, the seed); ``None`` (nobody) may do none of it.
"""

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import can_manage
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_path


def can_generate(actor: Actor | None, unit: Unit) -> bool:
    return can_access_path(actor, unit.path)


def can_publish(actor: Actor | None, unit: Unit) -> bool:
    return policy.has_role(actor, policy.OFFICE, unit.path)


def can_publish_anywhere(actor: Actor | None) -> bool:
    return policy.has_role(actor, policy.OFFICE)


def can_edit_notes(actor: Actor | None, campaign: Campaign) -> bool:
    """The campaign's bulletin notes: the office of its scope unit or above (as it creates it)."""
    return can_manage(actor, campaign)


def can_see_path(actor: Actor | None, path: str) -> bool:
    return can_access_path(actor, path)


def can_edit_template(actor: Actor | None, unit: Unit | None) -> bool:
    """``unit``'s own templates; ``unit=None``: the shipped default."""
    if unit is None:
        return policy.has_duty(actor, Duty.SYSTEM)
    return policy.has_role_on_unit(actor, policy.TEMPLATE_EDITORS, unit.pk)
