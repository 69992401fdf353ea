"""The events of the ledger and the bulletins, as webhook events: their types and their data.

A problem event counts as ``problem.state_changed`` whenever its state changes, and also as the
one type its action names (registered, assigned, resolved, overdue); a subscription gets one
delivery per event however many of its types it wants. The data never names who reported a
problem (informant data stays in the ledger), and an event's note only when it is public.
"""

from typing import Any

from django.urls import reverse

from minqing.ledger.enums import Action
from minqing.ledger.models import Problem, ProblemEvent
from minqing.orgs.models import Unit
from minqing.webhooks.emit import Pending, emit
from minqing.webhooks.models import EventType, Subscription

ACTION_TYPES: dict[str, str] = {
    Action.REGISTER: EventType.PROBLEM_REGISTERED,
    Action.ASSIGN: EventType.PROBLEM_ASSIGNED,
    Action.RESOLVE: EventType.PROBLEM_RESOLVED,
    Action.OVERDUE: EventType.PROBLEM_OVERDUE,
}


def problem_event_types(event: ProblemEvent) -> list[str]:
    types = [ACTION_TYPES[event.action]] if event.action in ACTION_TYPES else []
    if event.from_state and event.to_state and event.from_state != event.to_state:
        types.append(EventType.PROBLEM_STATE_CHANGED)
    return types


FIELDS = (
    "number",
    "title",
    "state",
    "source",
    "channel",
    "urgency",
    "path",
    "responsible_path",
    "due_date",
    "overdue",
    "registered_at",
    "unit__code",
    "responsible_unit__code",
)


def _fresh(problem_id: int) -> dict[str, Any]:
    """The problem as it is now in this transaction (one narrow query: the body's fields only)."""
    return Problem.objects.filter(pk=problem_id).values(*FIELDS).get()


def problem_data(p: dict[str, Any], event: ProblemEvent) -> dict[str, Any]:
    return {
        "problem": {
            "number": p["number"],
            "title": p["title"],
            "state": p["state"],
            "source": p["source"],
            "channel": p["channel"],
            "urgency": p["urgency"],
            "unit": p["unit__code"],
            "responsible_unit": p["responsible_unit__code"],
            "due_date": p["due_date"].isoformat() if p["due_date"] else None,
            "overdue": p["overdue"],
            "registered_at": p["registered_at"].isoformat(),
        },
        "event": {
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": event.at.isoformat(),
            "note": event.note if event.public else "",
        },
    }


def _pending(
    problem: Problem, event: ProblemEvent, types: list[str], cache: dict[int, dict[str, Any]]
) -> Pending:
    def fresh() -> dict[str, Any]:
        if problem.pk not in cache:
            cache[problem.pk] = _fresh(problem.pk)
        return cache[problem.pk]

    def paths() -> list[str]:
        # the problem's units now, and the responsible unit it had before this event (a unit
        # hears of a problem leaving it, e.g. returned)
        p = fresh()
        return [p["path"], p["responsible_path"], problem.responsible_path]

    return Pending(types=types, paths=paths, data=lambda: problem_data(fresh(), event), occurred_at=event.at)


def problem_events_emit(
    pairs: list[tuple[Problem, ProblemEvent]], subscriptions: list[Subscription] | None = None
) -> list[int]:
    """The deliveries of problem events just recorded (in the caller's transaction). ``problem``
    may be the row as it was before the event; it is read again only when a subscription wants
    the event."""
    cache: dict[int, dict[str, Any]] = {}
    pending = []
    for problem, event in pairs:
        types = problem_event_types(event)
        if types:
            pending.append(_pending(problem, event, types, cache))
    return emit(pending, subscriptions)


def bulletin_published_emit(bulletin: Any) -> list[int]:
    """The deliveries of a bulletin just published (``minqing.reports`` ``bulletin_publish``)."""

    def data() -> dict[str, Any]:
        unit: Unit = bulletin.unit
        return {
            "bulletin": {
                "id": bulletin.pk,
                "number": bulletin.number,
                "unit": unit.code,
                "unit_name": unit.name,
                "campaign": bulletin.campaign.name,
                "as_of": bulletin.as_of.isoformat(),
                "title": bulletin.title,
                "published_at": bulletin.published_at.isoformat(),
                "url": reverse("reports:published_detail", args=[bulletin.pk]),
            }
        }

    pending = Pending(
        types=[EventType.BULLETIN_PUBLISHED],
        paths=lambda: [bulletin.path],
        data=data,
        occurred_at=bulletin.published_at,
    )
    return emit([pending])
