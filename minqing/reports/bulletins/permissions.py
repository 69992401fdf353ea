"""Who may do what with bulletins.

- generate (see the bulletin page, download): anyone with a role on the unit or above it;
- publish: the office (领导小组办公室) of the unit or of a unit above it;
- edit a campaign's bulletin notes: the office of the campaign's scope unit or above;
- check a published bulletin: anyone who may see it (the check only records a recount);
- edit the templates, which every unit shares: the office of a county-level or higher
  territorial unit (province, prefecture, county), or a superuser.

``SYSTEM`` may do all of it (the command line, the seed); ``None`` (nobody) may do none of it.
"""

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import can_manage
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_unrestricted, user_of
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.scoping import can_access_path

TEMPLATE_UNIT_KINDS = (UnitKind.PROVINCE, UnitKind.PREFECTURE, UnitKind.COUNTY)


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


def can_edit_templates(actor: Actor | None) -> bool:
    if is_unrestricted(actor):
        return True
    user = user_of(actor)
    if user is None or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, role__in=policy.OFFICE, unit__kind__in=TEMPLATE_UNIT_KINDS
    ).exists()
