"""Who may do what with bulletins.

- generate (see the bulletin page, download): anyone with a role on the unit or above it;
- publish: the office (领导小组办公室) of the unit or of a unit above it;
- edit a campaign's bulletin notes: the office of the campaign's scope unit or above;
- check a published bulletin: anyone who may see it (the check only records a recount);
- edit the templates, which every unit shares: the office of a county-level or higher
  territorial unit (province, prefecture, county), or a superuser.
"""

from typing import Any

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import can_manage
from minqing.orgs.enums import Role, UnitKind
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.scoping import actor_prefixes, can_access_path, can_access_unit

PUBLISH_ROLES = (Role.OFFICE,)
TEMPLATE_ROLES = (Role.OFFICE,)
TEMPLATE_UNIT_KINDS = (UnitKind.PROVINCE, UnitKind.PREFECTURE, UnitKind.COUNTY)


def can_generate(actor: Any, unit: Unit) -> bool:
    return actor is None or can_access_unit(actor, unit)


def can_publish(actor: Any, unit: Unit) -> bool:
    return actor is None or can_access_unit(actor, unit, PUBLISH_ROLES)


def can_publish_anywhere(actor: Any) -> bool:
    return actor_prefixes(actor, PUBLISH_ROLES) != []


def can_edit_notes(actor: Any, campaign: Campaign) -> bool:
    """The campaign's bulletin notes: the office of its scope unit or above (as it creates it)."""
    return can_manage(actor, campaign)


def can_see_path(actor: Any, path: str) -> bool:
    return actor is None or can_access_path(actor, path)


def can_edit_templates(actor: Any) -> bool:
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return RoleAssignment.objects.filter(
        user=actor, role__in=TEMPLATE_ROLES, unit__kind__in=TEMPLATE_UNIT_KINDS
    ).exists()
