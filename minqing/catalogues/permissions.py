"""Who may write the catalogues.

- The office (领导小组办公室) of a unit writes the catalogues of that unit and of every unit
  below it.
- Unit staff write the catalogues of their own unit only (not of the units below it).
- ``SYSTEM`` (the CLI import, the demo) and a superuser write everything; ``None`` writes nothing.

Reading needs any role in the unit's subtree (``minqing.orgs.scoping``). Uploading a file on
the web is for the office only; each row of the file is then checked as above.
"""

from django.contrib.auth.models import User

from minqing.core.errors import PermissionDeniedError
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_signed_in
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, RoleAssignment
from minqing.orgs.scoping import actor_prefixes

_CACHE_ATTR = "_minqing_catalogue_staff_paths"


def _staff_paths(actor: Actor | None) -> frozenset[str]:
    """The units (not their subtrees) where the actor is unit staff."""
    if not is_signed_in(actor):
        return frozenset()
    if isinstance(actor, Application):
        return frozenset({actor.unit.path}) if Role.UNIT_STAFF in actor.roles else frozenset()
    if not isinstance(actor, User):
        return frozenset()
    cached: frozenset[str] | None = actor.__dict__.get(_CACHE_ATTR)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=actor, role=Role.UNIT_STAFF).values_list(
                "unit__path", flat=True
            )
        )
        actor.__dict__[_CACHE_ATTR] = cached
    return cached


def can_write_path(actor: Actor | None, path: str) -> bool:
    office = actor_prefixes(actor, policy.OFFICE)
    if office is None:
        return True
    if any(path.startswith(p) for p in office):
        return True
    return path in _staff_paths(actor)


def check_write(actor: Actor | None, path: str) -> None:
    if not can_write_path(actor, path):
        raise PermissionDeniedError()


def is_office(actor: Actor | None) -> bool:
    """Office somewhere (or unrestricted): may upload catalogue files on the web."""
    return policy.has_role(actor, policy.OFFICE)


def can_write_any(actor: Actor | None) -> bool:
    """May write some catalogue row: shows the "new" links."""
    return is_office(actor) or bool(_staff_paths(actor))
