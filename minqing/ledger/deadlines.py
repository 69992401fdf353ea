"""Deadline rules: the most specific rule for a problem's source, channel and urgency."""

import datetime as dt
from typing import Literal

from django.utils import timezone

from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import OPEN_STATES, State
from minqing.ledger.models import DeadlineRule, Problem

# Used when the rules table has no match at all (an empty table on a new install).
FALLBACK = DeadlineRule(accept_days=5, handle_days=20, max_extension_days=10, warning_days=3)


def rule_for(problem: Problem, rules: list[DeadlineRule] | None = None) -> DeadlineRule:
    return rule_for_keys(problem.source, problem.channel, problem.urgency, rules)


def rule_for_keys(
    source: str, channel: str, urgency: str, rules: list[DeadlineRule] | None = None
) -> DeadlineRule:
    candidates = list(DeadlineRule.objects.all()) if rules is None else rules
    best, best_score = FALLBACK, -1
    for r in candidates:
        if r.source and r.source != source:
            continue
        if r.channel and r.channel != channel:
            continue
        if r.urgency and r.urgency != urgency:
            continue
        score = 4 * bool(r.source) + 2 * bool(r.channel) + bool(r.urgency)
        if score > best_score:
            best, best_score = r, score
    return best


def initial_dues(
    source: str,
    channel: str,
    urgency: str,
    registered_at: dt.datetime,
    cal: WorkCalendar,
    rules: list[DeadlineRule] | None = None,
) -> tuple[dt.date, dt.date]:
    """A new problem's acceptance and handling deadlines, counted from its registration day."""
    rule = rule_for_keys(source, channel, urgency, rules)
    day = timezone.localtime(registered_at).date()
    return cal.add_workdays(day, rule.accept_days), handle_due(day, cal, rule)


def accept_due(problem: Problem, cal: WorkCalendar, rule: DeadlineRule) -> dt.date:
    return cal.add_workdays(timezone.localtime(problem.registered_at).date(), rule.accept_days)


def handle_due(start: dt.date, cal: WorkCalendar, rule: DeadlineRule) -> dt.date:
    return cal.add_workdays(start, rule.handle_days)


# Before the unit has accepted, the acceptance deadline runs too; after, only the handling one.
PRE_ACCEPT_STATES = (State.REGISTERED, State.ASSIGNED, State.RETURNED)

DeadlineStatus = Literal["ok", "warning", "overdue"]


def effective_due(problem: Problem) -> dt.date | None:
    """The deadline that matters now: the earlier of acceptance and handling before acceptance."""
    if problem.state not in OPEN_STATES:
        return None
    dues = [problem.due_date]
    if problem.state in PRE_ACCEPT_STATES:
        dues.append(problem.accept_due)
    present = [d for d in dues if d is not None]
    return min(present) if present else None


def deadline_status(
    problem: Problem,
    calendar: WorkCalendar,
    rules: list[DeadlineRule] | None = None,
    today: dt.date | None = None,
) -> DeadlineStatus:
    """ok / warning (due within the rule's warning days) / overdue, for an open problem.

    Pages that list many problems load the calendar and the rules once and pass them in.
    """
    due = effective_due(problem)
    if due is None:
        return "ok"
    today = today or timezone.localdate()
    if today > due or problem.overdue:
        return "overdue"
    rule = rule_for(problem, rules)
    if calendar.workdays_between(today, due) <= rule.warning_days:
        return "warning"
    return "ok"
