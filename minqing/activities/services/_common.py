"""Permission checks shared by the outreach services (research, visits, work plans)."""

from minqing.core.errors import PermissionDeniedError
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.scoping import can_access_path


def check_writer(actor: Actor, path: str) -> None:
    """The actor is office or unit staff on ``path``'s unit or an ancestor (``SYSTEM`` everywhere)."""
    if not policy.has_role(actor, policy.UNIT_WRITERS, path):
        raise PermissionDeniedError()


def check_visible(actor: Actor, path: str) -> None:
    """A referenced record (a leader, an author) must lie in the actor's scope."""
    if not can_access_path(actor, path):
        raise PermissionDeniedError()
