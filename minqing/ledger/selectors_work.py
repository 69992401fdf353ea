"""The home page's work list ("我的工作"): what needs the actor now, counted and linked.

Each block is a ``WorkKey`` with one ``Q`` (``work_q``) used twice: for the count on the home
page and for the list it links to (``ledger:queue?work=<key>``), so a count and its list always
agree. "To accept" and "due this week" are the problems of the user's own units (where they hold
the role, not the units below); overdue, returned, unassigned and waiting for moderation (公开审核,
a merged duplicate aside) cover the subtree. All counts come from one conditional-aggregate query
over the problems in the actor's scope.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.ledger.access import problem_scope_q
from minqing.ledger.enums import OPEN_STATES, Moderation, State
from minqing.ledger.models import Problem
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_signed_in, is_unrestricted, user_of
from minqing.orgs.models import Application, Person, RoleAssignment
from minqing.orgs.scoping import scope_q

CLAIMED_LIST_LIMIT = 10


class WorkKey:
    ACCEPT = "accept"
    OVERDUE = "overdue"
    DUE_WEEK = "due_week"
    RETURNED = "returned"
    UNASSIGNED = "unassigned"
    MODERATE = "moderate"
    CLAIMED = "claimed"
    VALUES = (ACCEPT, OVERDUE, DUE_WEEK, RETURNED, UNASSIGNED, MODERATE, CLAIMED)


# key -> (label, empty text, the roles that make the block show)
BLOCKS: dict[str, tuple[object, object, policy.RoleSet]] = {
    WorkKey.ACCEPT: (_("待受理"), _("没有交办给本单位待受理的问题"), policy.UNIT_WRITERS),
    WorkKey.OVERDUE: (_("已逾期"), _("没有逾期的问题"), policy.OVERDUE_WATCHERS),
    WorkKey.DUE_WEEK: (_("本周到期"), _("本周没有到期的问题"), policy.DEADLINE_WATCHERS),
    WorkKey.RETURNED: (_("退回待重新交办"), _("没有被退回的问题"), policy.DISPATCHERS),
    WorkKey.UNASSIGNED: (_("待交办"), _("没有待交办的问题"), policy.DISPATCHERS),
    # residents' reports that wait for a moderator before the public list (services/moderation.py)
    WorkKey.MODERATE: (_("待审核公开"), _("没有待审核公开的群众反映"), policy.MODERATORS),
    WorkKey.CLAIMED: (_("我认领的必解问题"), _("没有认领中的必解问题"), policy.CLAIMERS),
}


def week_end(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week."""
    return today + dt.timedelta(days=6 - today.weekday())


def person_id_of(actor: Actor) -> int | None:
    """The actor's person (a leader claims problems as a person), None without one."""
    user = user_of(actor)
    if user is None:
        return None
    return Person.objects.filter(user=user).values_list("pk", flat=True).first()


def _on_own_units(actor: Actor, roles: policy.RoleSet, field: str = "responsible_unit_id") -> Q:
    """Problems whose ``field`` is exactly a unit where the actor holds one of ``roles`` (the
    user's own units, not their subtrees); everything for the system and superusers."""
    if is_unrestricted(actor):
        return Q()
    if isinstance(actor, Application):
        return Q(**{field: actor.unit_id}) if set(actor.roles) & roles else Q(pk__in=[])
    if not isinstance(actor, User) or not is_signed_in(actor):
        return Q(pk__in=[])
    units = RoleAssignment.objects.filter(user=actor, role__in=list(roles)).values("unit_id")
    return Q(**{f"{field}__in": units})


def work_states(key: str) -> list[str]:
    """The states block ``key``'s problems can be in (as ``work_q`` says): a count by state asks for
    these only, since a state with no row costs a whole scan to prove empty."""
    one = {
        WorkKey.ACCEPT: State.ASSIGNED,
        WorkKey.RETURNED: State.RETURNED,
        WorkKey.UNASSIGNED: State.REGISTERED,
    }
    if key in one:
        return [one[key]]
    if key in (WorkKey.OVERDUE, WorkKey.DUE_WEEK, WorkKey.CLAIMED):
        return list(OPEN_STATES)
    return [s for s in State.values if s != State.MERGED]


def work_q(actor: Actor, key: str, *, person_id: int | None = None) -> Q:
    """The problems of block ``key`` for ``actor`` (nothing for an unknown key)."""
    today = timezone.localdate()
    open_q = Q(state__in=list(OPEN_STATES))
    if key == WorkKey.ACCEPT:
        return Q(state=State.ASSIGNED) & _on_own_units(actor, policy.UNIT_WRITERS)
    if key == WorkKey.OVERDUE:
        late = Q(overdue=True) | Q(due_date__lt=today)
        return open_q & late & problem_scope_q(actor, policy.OVERDUE_WATCHERS)
    if key == WorkKey.DUE_WEEK:
        week = Q(due_date__gte=today, due_date__lte=week_end(today), overdue=False)
        return open_q & week & _on_own_units(actor, policy.DEADLINE_WATCHERS)
    if key == WorkKey.RETURNED:
        return Q(state=State.RETURNED) & scope_q(actor, "path", policy.DISPATCHERS)
    if key == WorkKey.UNASSIGNED:
        return Q(state=State.REGISTERED) & scope_q(actor, "path", policy.DISPATCHERS)
    if key == WorkKey.MODERATE:  # as ``moderation.can_moderate``: over the unit it concerns
        pending = Q(moderation=Moderation.PENDING) & ~Q(state=State.MERGED)
        return pending & scope_q(actor, "path", policy.MODERATORS)
    if key == WorkKey.CLAIMED:
        pid = person_id if person_id is not None else person_id_of(actor)
        if pid is None or not policy.has_role(actor, policy.CLAIMERS):
            return Q(pk__in=[])
        return open_q & Q(claimed_by_id=pid, must_solve=True) & problem_scope_q(actor, policy.CLAIMERS)
    return Q(pk__in=[])


@dataclass(frozen=True)
class WorkBlock:
    key: str
    label: object
    empty: object
    count: int


@dataclass(frozen=True)
class WorkSummary:
    blocks: list[WorkBlock]
    claimed: list[Problem]  # a leader's claimed must-solve problems, nearest deadline first

    @property
    def total(self) -> int:
        return sum(b.count for b in self.blocks)


def work_summary(actor: Actor) -> WorkSummary:
    """The blocks the actor's roles call for, with their counts (one query), and a leader's
    claimed must-solve problems with their deadlines (one more)."""
    keys = [k for k, (_l, _e, roles) in BLOCKS.items() if policy.has_role(actor, roles)]
    pid = person_id_of(actor) if WorkKey.CLAIMED in keys else None
    counts: dict[str, int] = {}
    if keys:
        qs = {k: work_q(actor, k, person_id=pid) for k in keys}
        # aliases apart from the field names (``overdue`` is a column)
        aggregates = {f"n_{k}": Count("id", filter=q) for k, q in qs.items()}
        row = Problem.objects.filter(problem_scope_q(actor)).aggregate(**aggregates)
        counts = {k: row[f"n_{k}"] for k in keys}
    claimed: list[Problem] = []
    if WorkKey.CLAIMED in keys and counts.get(WorkKey.CLAIMED):
        claimed = list(
            Problem.objects.filter(work_q(actor, WorkKey.CLAIMED, person_id=pid))
            .select_related("responsible_unit")
            .order_by("due_date", "id")[:CLAIMED_LIST_LIMIT]
        )
    blocks = [WorkBlock(k, BLOCKS[k][0], BLOCKS[k][1], counts.get(k, 0)) for k in keys]
    return WorkSummary(blocks, claimed)
