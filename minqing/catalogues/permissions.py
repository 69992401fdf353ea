"""Who may write the catalogues.

- The office (领导小组办公室) of a unit writes the catalogues of that unit and of every unit
  below it.
- Unit staff write the catalogues of their own unit only (not of the units below it).
- A superuser writes everything; ``actor=None`` is the system (the CLI import, the demo).

Reading needs any role in the unit's subtree (``minqing.orgs.scoping``). Uploading a file on
the web is for the office only; each row of the file is then checked as above.
"""

from typing import Any

from minqing.core.errors import PermissionDeniedError
from minqing.orgs.enums import Role
from minqing.orgs.models import RoleAssignment
from minqing.orgs.scoping import actor_prefixes

OFFICE_ROLES = (Role.OFFICE,)
_CACHE_ATTR = "_minqing_catalogue_staff_paths"


def _staff_paths(actor: Any) -> frozenset[str]:
    cached: frozenset[str] | None = actor.__dict__.get(_CACHE_ATTR)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=actor, role=Role.UNIT_STAFF).values_list(
                "unit__path", flat=True
            )
        )
        actor.__dict__[_CACHE_ATTR] = cached
    return cached


def can_write_path(actor: Any, path: str) -> bool:
    if actor is None:
        return True
    office = actor_prefixes(actor, OFFICE_ROLES)
    if office is None:
        return True
    if any(path.startswith(p) for p in office):
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return path in _staff_paths(actor)


def check_write(actor: Any, path: str) -> None:
    if not can_write_path(actor, path):
        raise PermissionDeniedError()


def is_office(actor: Any) -> bool:
    """Office somewhere (or a superuser): may upload catalogue files on the web."""
    return actor_prefixes(actor, OFFICE_ROLES) != []


def can_write_any(actor: Any) -> bool:
    """May write some catalogue row: shows the "new" links."""
    return is_office(actor) or bool(
        getattr(actor, "is_authenticated", False) and actor.is_active and _staff_paths(actor)
    )
