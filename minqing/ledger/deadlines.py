"""Deadline rules: the most specific rule for a problem's source, channel and urgency."""

import datetime as dt

from django.utils import timezone

from minqing.core.workdays import WorkCalendar
from minqing.ledger.models import DeadlineRule, Problem

# Used when the rules table has no match at all (an empty table on a new install).
FALLBACK = DeadlineRule(accept_days=5, handle_days=20, max_extension_days=10, warning_days=3)


def rule_for(problem: Problem, rules: list[DeadlineRule] | None = None) -> DeadlineRule:
    candidates = list(DeadlineRule.objects.all()) if rules is None else rules
    best, best_score = FALLBACK, -1
    for r in candidates:
        if r.source and r.source != problem.source:
            continue
        if r.channel and r.channel != problem.channel:
            continue
        if r.urgency and r.urgency != problem.urgency:
            continue
        score = 4 * bool(r.source) + 2 * bool(r.channel) + bool(r.urgency)
        if score > best_score:
            best, best_score = r, score
    return best


def accept_due(problem: Problem, cal: WorkCalendar, rule: DeadlineRule) -> dt.date:
    return cal.add_workdays(timezone.localtime(problem.registered_at).date(), rule.accept_days)


def handle_due(start: dt.date, cal: WorkCalendar, rule: DeadlineRule) -> dt.date:
    return cal.add_workdays(start, rule.handle_days)
