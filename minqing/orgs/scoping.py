"""The one scoping helper every selector uses.

A user with a role on unit U sees U's subtree and nothing else; an API application sees its
unit's subtree with its roles; the ``SYSTEM`` actor and superusers see everything; ``None``,
anonymous visitors and users without any role see nothing.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, Q, QuerySet

from minqing.core.paths import any_prefix_q, minimal_prefixes
from minqing.orgs.actors import Actor, is_signed_in, is_unrestricted
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, RoleAssignment, Unit

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_minqing_scope_cache"


def actor_prefixes(actor: Actor | None, roles: Iterable[str] | None = None) -> list[str] | None:
    """The subtree paths where the actor holds one of ``roles`` (any role without ``roles``);
    ``None`` means no restriction (the system, a superuser)."""
    if not is_signed_in(actor):
        return []
    if is_unrestricted(actor):
        return None
    if isinstance(actor, Application):
        held = set(actor.roles) if roles is None else set(actor.roles) & set(roles)
        return [actor.unit.path] if held else []
    assert isinstance(actor, User)
    key = tuple(sorted(set(roles))) if roles is not None else None
    cache: dict[Any, Any] = actor.__dict__.setdefault(_CACHE_ATTR, {})
    if key not in cache:
        pairs = _assignments(actor)
        cache[key] = minimal_prefixes([path for role, path in pairs if key is None or role in key])
    return cache[key]


def _assignments(user: User) -> list[tuple[str, str]]:
    """The user's (role, unit path) pairs: one query per user, cached with what is derived
    from them (the prefixes for each role set, the roles held)."""
    cache: dict[Any, Any] = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "assignments" not in cache:
        rows = RoleAssignment.objects.filter(user=user).values_list("role", "unit__path")
        cache["assignments"] = list(rows)
    return cache["assignments"]


def held_roles(actor: Actor | None) -> frozenset[str]:
    """The roles the actor holds on some unit (every role for the system and superusers), from
    the user's cached assignments."""
    if not is_signed_in(actor):
        return frozenset()
    if is_unrestricted(actor):
        return frozenset(Role)
    if isinstance(actor, Application):
        return frozenset(actor.roles)
    assert isinstance(actor, User)
    return frozenset(role for role, _path in _assignments(actor))


def scope_q(actor: Actor | None, field: str = "path", roles: Iterable[str] | None = None) -> Q:
    prefixes = actor_prefixes(actor, roles)
    if prefixes is None:
        return Q()
    return any_prefix_q(prefixes, field)


def scoped(
    qs: QuerySet[M], actor: Actor | None, field: str = "path", roles: Iterable[str] | None = None
) -> QuerySet[M]:
    """``qs`` restricted to the actor's subtrees (``field`` holds a unit path)."""
    return qs.filter(scope_q(actor, field, roles))


def can_access_path(actor: Actor | None, path: str, roles: Iterable[str] | None = None) -> bool:
    prefixes = actor_prefixes(actor, roles)
    if prefixes is None:
        return True
    return any(path.startswith(p) for p in prefixes)


def can_access_unit(actor: Actor | None, unit: Unit, roles: Iterable[str] | None = None) -> bool:
    return can_access_path(actor, unit.path, roles)


def root_units(actor: Actor | None) -> QuerySet[Unit]:
    """The top units of the actor's scope: where their tree browser starts."""
    prefixes = actor_prefixes(actor)
    if prefixes is None:
        return Unit.objects.get_root_nodes()
    return Unit.objects.filter(path__in=prefixes).order_by("path")


def clear_cache(actor: Actor | None) -> None:
    if actor is not None and hasattr(actor, "__dict__"):
        actor.__dict__.pop(_CACHE_ATTR, None)
