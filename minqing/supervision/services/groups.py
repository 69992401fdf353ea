"""Writes for guidance groups: the office of the sending unit (派出单位) creates and edits them.

A group belongs to one campaign whose scope overlaps the sending unit; its name is unique in
the campaign. Its assigned units (联系单位) lie in the sending unit's subtree. Its members are
people of the organisation (by number, in the actor's scope) or plain names; at most one is
the leader (组长). An update replaces the name, the assigned units and the members; the
inspections already recorded stay as they are.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.scoping import can_access_path
from minqing.supervision.enums import MemberRole
from minqing.supervision.models import GroupMember, GroupUnit, GuidanceGroup


@dataclass(frozen=True)
class MemberSpec:
    """A member: a person of the organisation (``person``) or only a name."""

    name: str = ""
    person: Person | None = None
    role: str = MemberRole.MEMBER


def can_manage(actor: Actor, unit: Unit) -> bool:
    """The office of ``unit`` or of a unit above it (``SYSTEM`` everywhere)."""
    return policy.has_role(actor, policy.OFFICE, unit.path)


def _check_manage(actor: Actor, unit: Unit) -> None:
    if not can_manage(actor, unit):
        raise PermissionDeniedError()


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="name")
    return name[:100]


def _check_campaign(unit: Unit, campaign: Campaign) -> None:
    if not (unit.path.startswith(campaign.path) or campaign.path.startswith(unit.path)):
        raise DomainError(ErrorCode.SUPERVISION_CAMPAIGN_SCOPE, unit=unit.name, campaign=campaign.name)


def _check_name_free(campaign: Campaign, name: str, group: GuidanceGroup | None = None) -> None:
    taken = GuidanceGroup.objects.filter(campaign=campaign, name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise DomainError(ErrorCode.SUPERVISION_GROUP_NAME_TAKEN, campaign=campaign.name, name=name)


def _unique_units(group_unit: Unit, units: Iterable[Unit]) -> list[Unit]:
    out: dict[int, Unit] = {}
    for u in units:
        if not u.path.startswith(group_unit.path):
            raise DomainError(ErrorCode.SUPERVISION_ASSIGNED_OUTSIDE, code=u.code, unit=group_unit.name)
        out.setdefault(u.pk, u)
    return sorted(out.values(), key=lambda u: u.path)


def _member_rows(actor: Actor, members: Sequence[MemberSpec]) -> list[GroupMember]:
    rows: list[GroupMember] = []
    seen: set[str] = set()
    leaders = 0
    for m in members:
        if m.role not in MemberRole.values:
            raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="role", value=m.role)
        if m.person is not None and not can_access_path(actor, m.person.path):
            raise PermissionDeniedError()
        name = (m.person.name if m.person is not None else m.name).strip()[:50]
        if not name:
            raise DomainError(ErrorCode.TRANSITION_MISSING, field="member")
        key = f"p{m.person.pk}" if m.person is not None else f"n{name}"
        if key in seen:
            raise DomainError(ErrorCode.SUPERVISION_MEMBER_TWICE, name=name)
        seen.add(key)
        leaders += m.role == MemberRole.LEADER
        if leaders > 1:
            raise DomainError(ErrorCode.SUPERVISION_ONE_LEADER)
        rows.append(GroupMember(person=m.person, name=name, role=m.role, position=len(rows)))
    return rows


def _write_parts(group: GuidanceGroup, units: list[Unit], members: list[GroupMember]) -> None:
    GroupUnit.objects.bulk_create([GroupUnit(group=group, unit=u, path=u.path) for u in units])
    for m in members:
        m.group = group
    GroupMember.objects.bulk_create(members)


@transaction.atomic
def group_create(
    *,
    actor: Actor,
    name: str,
    campaign: Campaign,
    unit: Unit,
    units: Iterable[Unit] = (),
    members: Sequence[MemberSpec] = (),
    at: dt.datetime | None = None,
) -> GuidanceGroup:
    """A new group sent by ``unit`` for ``campaign``, assigned to ``units``."""
    _check_manage(actor, unit)
    name = _clean_name(name)
    _check_campaign(unit, campaign)
    assigned = _unique_units(unit, units)
    rows = _member_rows(actor, members)
    _check_name_free(campaign, name)
    group = GuidanceGroup(
        name=name, campaign=campaign, unit=unit, path=unit.path, created_at=at or timezone.now()
    )
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as err:  # the same name created at the same moment
        raise DomainError(ErrorCode.SUPERVISION_GROUP_NAME_TAKEN, campaign=campaign.name, name=name) from err
    _write_parts(group, assigned, rows)
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=group, detail=f"{campaign.name} {name}")
    return group


@transaction.atomic
def group_update(
    *,
    actor: Actor,
    group: GuidanceGroup,
    name: str,
    units: Iterable[Unit],
    members: Sequence[MemberSpec],
) -> GuidanceGroup:
    """Replace the group's name, assigned units and members."""
    group = GuidanceGroup.objects.select_for_update().select_related("unit", "campaign").get(pk=group.pk)
    _check_manage(actor, group.unit)
    name = _clean_name(name)
    assigned = _unique_units(group.unit, units)
    rows = _member_rows(actor, members)
    _check_name_free(group.campaign, name, group)
    group.name = name
    group.save(update_fields=["name"])
    GroupUnit.objects.filter(group=group).delete()
    GroupMember.objects.filter(group=group).delete()
    _write_parts(group, assigned, rows)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=group, detail=name)
    return group
