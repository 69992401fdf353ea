from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_signed_in
from minqing.orgs.enums import Duty
from minqing.orgs.selectors import unit_roots


def scope(request: HttpRequest) -> dict[str, Any]:
    """``scope_units``: the top units of the user's scope, for the unit switcher (lazy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope_units": []}
    return {"scope_units": SimpleLazyObject(lambda: unit_roots(user))}


def _holding(roles: policy.RoleSet, page: str) -> property:
    """A flag: the user holds one of ``roles`` somewhere, as ``page`` requires."""

    def flag(self: "MenuPermissions") -> bool:
        return policy.has_role(self._actor, roles)

    return property(flag, doc=page)


class MenuPermissions:
    """What the staff menu may link to: each flag is the check of the page it links to, so a
    link is shown only when opening it would not answer 403 (nor 404 for want of any unit).
    Computed when first read, from the roles the user holds (one query, cached on the user)."""

    def __init__(self, actor: Actor | None) -> None:
        self._actor = actor

    staff = _holding(policy.ANY_ROLE, "the pages that open on a unit of the user's scope")
    intake = _holding(policy.INTAKE, "ledger:intake")
    create_activity = _holding(policy.UNIT_WRITERS, "activities:new (a unit's writers organise)")
    write_outreach = _holding(policy.UNIT_WRITERS, "outreach:topic_new, visit_new, plan_new")
    record_inspection = _holding(policy.INSPECTORS, "supervision:inspection_new")
    manage_programmes = _holding(policy.OFFICE, "programmes:new")
    nlp_acceptance = _holding(policy.OFFICE, "nlp:acceptance")
    manage_applications = _holding(policy.OFFICE, "api_clients:applications")
    hot_topics = _holding(policy.HOT_TOPIC_READERS, "reports:hot_topics")

    @property
    def admin_site(self) -> bool:
        """admin:index (``DutyAdminSite.has_permission``): an active staff account with a duty."""
        actor = self._actor
        return isinstance(actor, User) and actor.is_staff and policy.has_any_duty(actor)

    @property
    def audit(self) -> bool:
        """audit:events (the audit administrator's duty, not a role)."""
        return policy.has_duty(self._actor, Duty.AUDIT)


def menu(request: HttpRequest) -> dict[str, Any]:
    """``may``: the menu's flags (:class:`MenuPermissions`); all false for a visitor."""
    user = getattr(request, "user", None)
    return {"may": MenuPermissions(user if is_signed_in(user) else None)}
