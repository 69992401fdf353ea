"""Permission checks shared by the outreach services (research, visits, work plans)."""

from typing import Any

from minqing.core.errors import PermissionDeniedError
from minqing.orgs.enums import Role
from minqing.orgs.scoping import can_access_path

WRITER_ROLES = (Role.OFFICE, Role.UNIT_STAFF)


def check_writer(actor: Any, path: str) -> None:
    """The actor is office or unit staff on ``path``'s unit or an ancestor; ``None`` is the system."""
    if actor is not None and not can_access_path(actor, path, WRITER_ROLES):
        raise PermissionDeniedError()


def check_visible(actor: Any, path: str) -> None:
    """A referenced record (a leader, an author) must lie in the actor's scope."""
    if actor is not None and not can_access_path(actor, path):
        raise PermissionDeniedError()
