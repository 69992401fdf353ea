"""The one place that says which roles may do what.

Every view, service, the admin, the API and the CLI asks here; none keeps a tuple of its own.
A role is held on a unit and reaches that unit's subtree (``minqing.orgs.scoping``); the
``SYSTEM`` actor and superusers hold every role everywhere; ``None`` and anonymous visitors hold
none.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from minqing.orgs.actors import Actor, is_system
from minqing.orgs.enums import Role
from minqing.orgs.models import AdminDuty
from minqing.orgs.scoping import can_access_path, held_roles

RoleSet = frozenset[str]

ANY_ROLE: RoleSet = frozenset(Role)
# 领导小组办公室: campaigns, programmes, guidance groups, bulletins, work plan review, closing problems
OFFICE: RoleSet = frozenset({Role.OFFICE})
# writers of a unit's own records: people, activities, research, visits, work plans, progress,
# and the responsible unit's steps in the problem workflow (accept, return, start, resolve)
UNIT_WRITERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF})
# who registers letters, visits, calls and online feedback
INTAKE: RoleSet = frozenset({Role.INTAKE, Role.OFFICE, Role.UNIT_STAFF})
# who assigns problems to a responsible unit, calls back and merges duplicates
DISPATCHERS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})
# who may see who reported a problem (never of the unit reported on: ``ledger.access``)
REPORTER_READERS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})
# who may reveal a person's full phone and ID number (audited)
PERSON_REVEALERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF, Role.LEADER})
# who records inspections (指导组成员 and the office)
INSPECTORS: RoleSet = frozenset({Role.OFFICE, Role.INSPECTOR})
# who claims must-solve problems
CLAIMERS: RoleSet = frozenset({Role.LEADER})
# who grants or denies a deadline extension
EXTENSION_DECIDERS: RoleSet = frozenset({Role.OFFICE, Role.LEADER})
# who hears of the deadlines of a unit's problems (in-app notifications, on exactly that unit)
DEADLINE_WATCHERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF, Role.LEADER})
# who may add a note to a problem's timeline: every role but 只读用户 (a viewer reads, never writes)
NOTE_WRITERS: RoleSet = ANY_ROLE - {Role.VIEWER}
# who edits a unit's own bulletin templates: its office, held on exactly that unit (not above it)
TEMPLATE_EDITORS: RoleSet = OFFICE


def has_role(actor: Actor | None, roles: Iterable[str], path: str | None = None) -> bool:
    """The actor holds one of ``roles``: on ``path`` or a unit above it, or (without a path)
    anywhere at all."""
    if path is not None:
        return can_access_path(actor, path, roles)
    return not held_roles(actor).isdisjoint(roles)


def require_role(actor: Actor | None, roles: Iterable[str], path: str | None = None) -> None:
    """For views: ``has_role``, or Django's ``PermissionDenied`` (the page answers 403)."""
    if not has_role(actor, roles, path):
        raise PermissionDenied


def has_role_on_unit(actor: Actor | None, roles: Iterable[str], unit_pk: int) -> bool:
    """The actor holds one of ``roles`` on exactly the unit ``unit_pk``: a role above it does not
    count, and neither does a superuser flag. The ``SYSTEM`` actor (the command line, the seed)
    does; an API application does not (it edits nothing of the kind)."""
    if is_system(actor):
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return actor.unit_roles.filter(unit_id=unit_pk, role__in=list(roles)).exists()


def has_duty(actor: Actor | None, duty: str) -> bool:
    """The actor holds the administrator ``duty`` (``Duty``): an active user whose one
    ``AdminDuty`` is that duty, or the ``SYSTEM`` actor (commands run by the operator). A superuser
    flag alone grants no duty: the three duties stay apart (三员分立)."""
    if is_system(actor):
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    cached = actor.__dict__.get(_DUTY_ATTR, _UNSET)
    if cached is _UNSET:
        row = AdminDuty.objects.filter(user=actor).values_list("duty", flat=True).first()
        actor.__dict__[_DUTY_ATTR] = cached = row
    return cached == duty


def require_duty(actor: Actor | None, duty: str) -> None:
    """For views: ``has_duty``, or ``PermissionDenied`` (403)."""
    if not has_duty(actor, duty):
        raise PermissionDenied


_DUTY_ATTR = "_minqing_duty_cache"
_UNSET = object()
