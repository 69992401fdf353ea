"""Who acts: one type for every caller of a service or selector.

An ``Actor`` is a user (``request.user``, which may be anonymous), an API ``Application``, or the
one ``SYSTEM`` actor (commands, jobs, the demo, imports without ``--user``, published bulletins).
Services and selectors take ``actor: Actor``; where nobody may be passed the type is
``Actor | None`` and ``None`` means nobody: it sees nothing and may do nothing. Nothing else
stands for "skip the check": pass ``SYSTEM``.
"""

from typing import Final, TypeAlias

from django.contrib.auth.models import AnonymousUser, User

from minqing.orgs.models import Application


class SystemActor:
    """The system itself: sees every unit and may do every action. There is one, ``SYSTEM``."""

    is_authenticated: Final = True
    is_active: Final = True
    pk: Final = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM: Final = SystemActor()

Actor: TypeAlias = User | AnonymousUser | Application | SystemActor


def is_system(actor: Actor | None) -> bool:
    return isinstance(actor, SystemActor)


def is_signed_in(actor: Actor | None) -> bool:
    """A user who signed in (and is active), an active application, or the system."""
    if actor is None or isinstance(actor, AnonymousUser):
        return False
    if isinstance(actor, SystemActor):
        return True
    return bool(actor.is_authenticated and actor.is_active)


def is_unrestricted(actor: Actor | None) -> bool:
    """The system or an active superuser: no subtree limits."""
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, User):
        return bool(actor.is_active and getattr(actor, "is_superuser", False))
    return False


def user_of(actor: Actor | None) -> User | None:
    """The user to store in a ``created_by``/``actor`` column: ``None`` for the system, an
    application or an anonymous visitor."""
    if isinstance(actor, User) and actor.is_authenticated:
        return actor
    return None


def actor_label(actor: Actor | None) -> str:
    """How an audit row or an event names the actor."""
    if actor is None:
        return ""
    if isinstance(actor, SystemActor):
        return "system"
    if isinstance(actor, Application):
        return f"app:{actor.name}"
    if isinstance(actor, User):
        return actor.get_username()
    return ""
