"""In-app notifications on workflow events, written in the transition's own transaction.

Who hears of what (never the actor who did it, never anyone without a role on exactly the unit
named, and never the informant, who is not a user of the staff side):

- 交办 (assign): the responsible unit's deadline watchers (``policy.DEADLINE_WATCHERS``);
- 受理 / 退回 / 办结 (accept, return, resolve): the dispatching office, i.e. whoever assigned the
  problem last, or else the dispatchers on the unit it concerns; resolve also the claiming leader;
- 领导认领 (claim): the responsible unit's deadline watchers;
- 批准 / 不批准延期 (extension decisions): who asked for it and the responsible unit's watchers;
- 重新整改 (reopen after an unsatisfied call-back): the responsible unit's watchers and the
  claiming leader.

Texts are written in the site's language (Chinese), like the deadline job's. The same text goes
out by e-mail or SMS to those whose preference asks for it (``minqing.notify``, docs/notifications.md).
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from minqing.ledger.enums import Action
from minqing.ledger.models import Extension, Notification, NotificationKind, Problem, ProblemEvent
from minqing.ledger.services.notifications import unit_user_ids
from minqing.notify.services import staff_event_queued
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Person

NOTIFIED_ACTIONS = frozenset(
    {
        Action.ASSIGN,
        Action.ACCEPT,
        Action.RETURN,
        Action.CLAIM,
        Action.GRANT_EXTENSION,
        Action.DENY_EXTENSION,
        Action.RESOLVE,
        Action.REOPEN,
    }
)


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


def _text(action: str, p: Problem) -> str:
    title = _short(p.title)
    texts = {
        Action.ASSIGN: _("新交办问题 %(number)s「%(title)s」,请及时受理"),
        Action.ACCEPT: _("问题 %(number)s「%(title)s」已被责任单位受理"),
        Action.RETURN: _("问题 %(number)s「%(title)s」被责任单位退回,请重新交办"),
        Action.CLAIM: _("问题 %(number)s「%(title)s」已由领导认领"),
        Action.GRANT_EXTENSION: _("问题 %(number)s「%(title)s」的延期申请已批准"),
        Action.DENY_EXTENSION: _("问题 %(number)s「%(title)s」的延期申请未获批准"),
        Action.RESOLVE: _("问题 %(number)s「%(title)s」已办结"),
        Action.REOPEN: _("问题 %(number)s「%(title)s」回访不满意,已重新整改"),
    }
    return texts[Action(action)] % {"number": p.number, "title": title}


def _watchers(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    return unit_user_ids([unit_id], policy.DEADLINE_WATCHERS).get(unit_id, [])


def _dispatchers(p: Problem) -> list[int]:
    """Whoever assigned the problem last (a user), else the dispatchers on its unit."""
    assigner = (
        ProblemEvent.objects.filter(problem_id=p.pk, action=Action.ASSIGN, actor__isnull=False)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if assigner is not None:
        return [assigner]
    return unit_user_ids([p.unit_id], policy.DISPATCHERS).get(p.unit_id, [])


def _leader(p: Problem) -> list[int]:
    if p.claimed_by_id is None:
        return []
    user_id = Person.objects.filter(pk=p.claimed_by_id).values_list("user_id", flat=True).first()
    return [user_id] if user_id is not None else []


def _extension_requester(p: Problem) -> list[int]:
    ext = Extension.objects.filter(problem_id=p.pk, decided_at__isnull=False).order_by("-decided_at", "-id")
    user_id = ext.values_list("requested_by_id", flat=True).first()
    return [user_id] if user_id is not None else []


def recipients(action: str, p: Problem) -> list[int]:
    """The user ids told of ``action`` on ``p`` (the problem as it is after the transition)."""
    ids: list[int] = []
    if action in (Action.ASSIGN, Action.CLAIM):
        ids = _watchers(p.responsible_unit_id)
    elif action in (Action.ACCEPT, Action.RETURN):
        ids = _dispatchers(p)
    elif action == Action.RESOLVE:
        ids = _dispatchers(p) + _leader(p)
    elif action in (Action.GRANT_EXTENSION, Action.DENY_EXTENSION):
        ids = _extension_requester(p) + _watchers(p.responsible_unit_id)
    elif action == Action.REOPEN:
        ids = _watchers(p.responsible_unit_id) + _leader(p)
    return list(dict.fromkeys(ids))


def notify_event(*, actor: Actor, problem: Problem, action: str) -> list[Notification]:
    """Notify the people ``action`` concerns; call inside the transition's transaction."""
    if action not in NOTIFIED_ACTIONS:
        return []
    me = user_of(actor)
    users: Iterable[int] = [u for u in recipients(action, problem) if me is None or u != me.pk]
    with translation.override(settings.LANGUAGE_CODE):
        text = _text(action, problem)[:300]
    rows = [Notification(user_id=u, problem=problem, kind=NotificationKind.INFO, text=text) for u in users]
    created = Notification.objects.bulk_create(rows)
    staff_event_queued(user_ids=[n.user_id for n in created], text=text)  # e-mail/SMS per preference
    return created
