"""Who may see a problem, and who may see who reported it.

A user sees a problem when the unit it concerns (``path``) or its responsible unit
(``responsible_path``) lies in their subtree. The reporter's identity is decided per
feedback item: it is never shown to a user any of whose role units lies inside the subtree of
the unit that item concerns as submitted (``Feedback.unit``) or of the unit the problem concerns
(信访工作条例: the accused never learns who reported them), however the item was merged or the
problem moved; of the rest, only the campaign office and intake clerks (who call back) see it.
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


def _own_unit_paths(actor: Actor) -> list[str]:
    if isinstance(actor, Application):
        return [actor.unit.path]
    return list(RoleAssignment.objects.filter(user=user_of(actor)).values_list("unit__path", flat=True))


def _may_read_reporter_at(actor: Actor, own_units: list[str], path: str) -> bool:
    """A reporter reader over ``path`` none of whose role units lies in its subtree."""
    if not policy.has_role(actor, policy.REPORTER_READERS, path):
        return False
    return not any(p.startswith(path) for p in own_units)


def feedback_path(feedback: Any, problem: Any) -> str:
    """The unit a feedback item concerns as submitted; the problem's for an old row without one."""
    return feedback.unit.path if feedback.unit_id is not None else problem.path


def reporter_feedback_ids(actor: Actor, problem: Any, feedback: Iterable[Any]) -> set[int]:
    """Which of ``feedback`` (items of ``problem``) the actor may see the reporter of.

    Decided per item, never by where the problem now sits alone: the actor must be a reporter
    reader over both the unit the item concerns and the problem's unit, and none of their role
    units may lie in the subtree of either. Merging an item into another problem, or moving the
    problem, therefore never shows the reporter to the unit complained about.
    """
    items = list(feedback)
    if is_unrestricted(actor):
        return {fb.pk for fb in items}
    own_units = _own_unit_paths(actor)
    if not _may_read_reporter_at(actor, own_units, problem.path):
        return set()
    allowed: dict[str, bool] = {}
    out = set()
    for fb in items:
        path = feedback_path(fb, problem)
        if path not in allowed:
            allowed[path] = _may_read_reporter_at(actor, own_units, path)
        if allowed[path]:
            out.add(fb.pk)
    return out


def can_see_reporter(actor: Actor, problem: Any, feedback: Any | None = None) -> bool:
    """Whether the actor may see the reporter of ``feedback`` (one item of ``problem``), or, without
    an item, of at least one of the problem's items."""
    items = [feedback] if feedback is not None else problem.feedback.select_related("unit")
    return bool(reporter_feedback_ids(actor, problem, items))
