"""Who may see a problem, and who may see who reported it.

A user sees a problem when the unit it concerns (``path``) or its responsible unit
(``responsible_path``) lies in their subtree. The reporter's identity is never shown to a
user any of whose role units lies inside the subtree of the unit the problem concerns
(信访工作条例: the accused never learns who reported them); of the rest, only the campaign
office and intake clerks (who call back) see it.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from minqing.orgs.enums import Role
from minqing.orgs.models import RoleAssignment
from minqing.orgs.scoping import actor_prefixes, can_access_path, scope_q

REPORTER_ROLES = (Role.OFFICE, Role.INTAKE)


def problem_scope_q(actor: Any, roles: Iterable[str] | None = None) -> Q:
    return scope_q(actor, "path", roles) | scope_q(actor, "responsible_path", roles)


def scoped_problems(qs: QuerySet[Any], actor: Any, roles: Iterable[str] | None = None) -> QuerySet[Any]:
    return qs.filter(problem_scope_q(actor, roles))


def can_see_problem(actor: Any, problem: Any, roles: Iterable[str] | None = None) -> bool:
    if can_access_path(actor, problem.path, roles):
        return True
    return bool(problem.responsible_path) and can_access_path(actor, problem.responsible_path, roles)


def can_see_reporter(actor: Any, problem: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    if not can_access_path(actor, problem.path, REPORTER_ROLES):
        return False
    own_units = RoleAssignment.objects.filter(user=actor).values_list("unit__path", flat=True)
    return not any(p.startswith(problem.path) for p in own_units)


def has_any_scope(actor: Any) -> bool:
    prefixes = actor_prefixes(actor)
    return prefixes is None or bool(prefixes)
