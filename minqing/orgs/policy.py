"""The one place that says which roles may do what.

Every view, service, the admin, the API and the CLI asks here; none keeps a tuple of its own.
A role is held on a unit and reaches that unit's subtree (``minqing.orgs.scoping``); the
``SYSTEM`` actor and superusers hold every role everywhere; ``None`` and anonymous visitors hold
none. The three administrator duties (三员分立: ``has_duty``, ``ADMIN_MODELS``) are apart from the
roles: a superuser flag holds none, so it opens neither the admin site, nor role or duty
changes, nor the audit (``docs/admin-duties.md``).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from minqing.orgs.actors import Actor, is_system
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import AdminDuty
from minqing.orgs.scoping import can_access_path, held_roles

RoleSet = frozenset[str]

ANY_ROLE: RoleSet = frozenset(Role)
# 领导小组办公室: campaigns, programmes, guidance groups, bulletins, work plan review, closing problems
OFFICE: RoleSet = frozenset({Role.OFFICE})
# writers of a unit's own records: people, activities, research, visits, work plans, progress,
# and the responsible unit's steps in the problem workflow (accept, return, start, resolve)
UNIT_WRITERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF})
# who registers letters, visits, calls and online feedback
INTAKE: RoleSet = frozenset({Role.INTAKE, Role.OFFICE, Role.UNIT_STAFF})
# who assigns problems to a responsible unit, calls back and merges duplicates
DISPATCHERS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})
# who checks a problem before it goes on the public list (公开审核): the office and the intake
# clerks over the unit it concerns (never that unit's own staff: a unit does not decide whether
# a report about it is published)
MODERATORS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})
# who may see who reported a problem (never of the unit reported on: ``ledger.access``)
REPORTER_READERS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})
# who may reveal a person's full phone and ID number (audited)
PERSON_REVEALERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF, Role.LEADER})
# who records inspections (指导组成员 and the office)
INSPECTORS: RoleSet = frozenset({Role.OFFICE, Role.INSPECTOR})
# who claims must-solve problems
CLAIMERS: RoleSet = frozenset({Role.LEADER})
# who grants or denies a deadline extension
EXTENSION_DECIDERS: RoleSet = frozenset({Role.OFFICE, Role.LEADER})
# who hears of the deadlines of a unit's problems (in-app notifications, on exactly that unit)
DEADLINE_WATCHERS: RoleSet = frozenset({Role.OFFICE, Role.UNIT_STAFF, Role.LEADER})
# who may add a note to a problem's timeline: every role but 只读用户 (a viewer reads, never writes)
NOTE_WRITERS: RoleSet = ANY_ROLE - {Role.VIEWER}
# who reads the hot topics of a unit's subtree (page and dashboard block)
HOT_TOPIC_READERS: RoleSet = frozenset({Role.OFFICE, Role.LEADER})
# who edits a unit's own bulletin templates: its office, held on exactly that unit (not above it)
TEMPLATE_EDITORS: RoleSet = OFFICE
# who approves a photo for public display, or hides it again (minqing.photos): like the
# dispatchers, those who see the whole report over the unit it concerns
PHOTO_MODERATORS: RoleSet = frozenset({Role.OFFICE, Role.INTAKE})


def has_role(actor: Actor | None, roles: Iterable[str], path: str | None = None) -> bool:
    """The actor holds one of ``roles``: on ``path`` or a unit above it, or (without a path)
    anywhere at all."""
    if path is not None:
        return can_access_path(actor, path, roles)
    return not held_roles(actor).isdisjoint(roles)


def require_role(actor: Actor | None, roles: Iterable[str], path: str | None = None) -> None:
    """For views: ``has_role``, or Django's ``PermissionDenied`` (the page answers 403)."""
    if not has_role(actor, roles, path):
        raise PermissionDenied


def has_role_on_unit(actor: Actor | None, roles: Iterable[str], unit_pk: int) -> bool:
    """The actor holds one of ``roles`` on exactly the unit ``unit_pk``: a role above it does not
    count, and neither does a superuser flag. The ``SYSTEM`` actor (the command line, the seed)
    does; an API application does not (it edits nothing of the kind)."""
    if is_system(actor):
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return actor.unit_roles.filter(unit_id=unit_pk, role__in=list(roles)).exists()


def has_duty(actor: Actor | None, duty: str) -> bool:
    """The actor holds the administrator ``duty`` (``Duty``): an active user whose one
    ``AdminDuty`` is that duty, or the ``SYSTEM`` actor (commands run by the operator). A superuser
    flag alone grants no duty: the three duties stay apart (三员分立)."""
    if is_system(actor):
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    cached = actor.__dict__.get(_DUTY_ATTR, _UNSET)
    if cached is _UNSET:
        row = AdminDuty.objects.filter(user=actor).values_list("duty", flat=True).first()
        actor.__dict__[_DUTY_ATTR] = cached = row
    return cached == duty


def require_duty(actor: Actor | None, duty: str) -> None:
    """For views: ``has_duty``, or ``PermissionDenied`` (403)."""
    if not has_duty(actor, duty):
        raise PermissionDenied


def held_duty(actor: Actor | None) -> str | None:
    """The one duty an active user holds, or ``None`` (the ``SYSTEM`` actor holds every duty and
    is not a user: ``None`` here too)."""
    if is_system(actor):
        return None
    return next((d for d in Duty if has_duty(actor, d)), None)


def clear_duty_cache(user: User) -> None:
    user.__dict__.pop(_DUTY_ATTR, None)


# --- the admin site (三员分立) -----------------------------------------------------------------
# Which models each duty manages on the admin site, and how (view, add, change, delete). A model
# no duty lists here is refused to everyone on the admin site, superusers included: the domain
# records (problems, feedback, events, extensions, notifications, bulletins and their templates)
# are read and written only through the pages, scoped by unit roles, so no administrator reaches
# an informant through the admin. ``docs/admin-duties.md`` explains the split.
ADMIN_ALL = frozenset({"view", "add", "change", "delete"})
ADMIN_READ = frozenset({"view"})
ADMIN_MODELS: dict[str, dict[str, frozenset[str]]] = {
    # 系统管理员: the unit tree, people and households, configuration, accounts' basic data
    Duty.SYSTEM: {
        "orgs.unit": ADMIN_ALL,
        "orgs.household": ADMIN_ALL,
        "orgs.person": ADMIN_ALL,
        "orgs.personidentity": ADMIN_ALL,
        "orgs.assignment": ADMIN_ALL,
        "orgs.application": ADMIN_ALL,  # but not its roles, unit or switch (ADMIN_FIELDS)
        "ledger.category": ADMIN_ALL,
        "ledger.deadlinerule": ADMIN_ALL,
        "open311.serviceoffer": ADMIN_ALL,
        "open311.serviceattribute": ADMIN_ALL,
        "open311.serviceattributevalue": ADMIN_ALL,
        "core.workdayoverride": ADMIN_ALL,
        "auth.user": frozenset({"view", "add", "change"}),  # names only; deactivate: 安全管理员
    },
    # 安全管理员: who may do what (roles, duties, accounts' access, applications' roles)
    Duty.SECURITY: {
        "orgs.roleassignment": ADMIN_ALL,
        "orgs.adminduty": frozenset({"view", "add", "delete"}),
        "auth.user": frozenset({"view", "change"}),
        "orgs.application": frozenset({"view", "change"}),
    },
    # 审计管理员: reads the audit trail, nothing else
    Duty.AUDIT: {"core.auditevent": ADMIN_READ},
}
# Of a model two duties share, the fields each may write (the others are shown read-only).
ADMIN_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    Duty.SYSTEM: {
        "auth.user": frozenset({"username", "first_name", "last_name", "email"}),
        "orgs.application": frozenset({"name"}),  # and its unit when creating it
    },
    Duty.SECURITY: {
        "auth.user": frozenset({"is_active", "is_staff"}),
        "orgs.application": frozenset({"unit", "roles", "is_active"}),
    },
}


def has_any_duty(actor: Actor | None) -> bool:
    """The actor holds one of the three duties (the admin site's door)."""
    return is_system(actor) or held_duty(actor) is not None


def admin_allows(actor: Actor | None, model_label: str, op: str) -> bool:
    """The actor's duty lets it ``op`` (view, add, change, delete) ``model_label`` (``app.model``)
    on the admin site. A superuser flag alone allows nothing."""
    return any(op in models.get(model_label, ()) and has_duty(actor, d) for d, models in ADMIN_MODELS.items())


def admin_fields(actor: Actor | None, model_label: str) -> frozenset[str] | None:
    """The fields of a shared model the actor's duty writes; ``None`` when no split applies."""
    shared = [(d, models[model_label]) for d, models in ADMIN_FIELDS.items() if model_label in models]
    if not shared:
        return None
    return frozenset().union(*(fields for d, fields in shared if has_duty(actor, d)))


_DUTY_ATTR = "_minqing_duty_cache"
_UNSET = object()


# --- the home page ("我的工作", ``minqing.ledger.selectors_work``) ------------------------------
# who is shown the overdue problems of their subtree: those who handle, watch or dispatch them
OVERDUE_WATCHERS: RoleSet = DEADLINE_WATCHERS | DISPATCHERS
