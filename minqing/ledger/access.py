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

from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_unrestricted, user_of
from minqing.orgs.models import Application, RoleAssignment
from minqing.orgs.scoping import can_access_path, scope_q


def problem_scope_q(actor: Actor, roles: Iterable[str] | None = None) -> Q:
    return scope_q(actor, "path", roles) | scope_q(actor, "responsible_path", roles)


def scoped_problems(qs: QuerySet[Any], actor: Actor, roles: Iterable[str] | None = None) -> QuerySet[Any]:
    return qs.filter(problem_scope_q(actor, roles))


def can_see_problem(actor: Actor, problem: Any, roles: Iterable[str] | None = None) -> bool:
    if can_access_path(actor, problem.path, roles):
        return True
    return bool(problem.responsible_path) and can_access_path(actor, problem.responsible_path, roles)


def can_see_reporter(actor: Actor, problem: Any) -> bool:
    if is_unrestricted(actor):
        return True
    if not policy.has_role(actor, policy.REPORTER_READERS, problem.path):
        return False
    if isinstance(actor, Application):
        own_units = [actor.unit.path]
    else:
        own_units = list(
            RoleAssignment.objects.filter(user=user_of(actor)).values_list("unit__path", flat=True)
        )
    return not any(p.startswith(problem.path) for p in own_units)
