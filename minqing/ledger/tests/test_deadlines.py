"""Deadlines on working days across the 2025 National Day holiday (10-01..10-08 off; make-up
working days Sun 09-28 and Sat 10-11), office overrides, the Mon-Fri fallback, and the rules."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.core.models import WorkdayOverride
from minqing.core.workdays import WorkCalendar
from minqing.ledger.deadlines import deadline_status, effective_due, rule_for
from minqing.ledger.enums import Channel, Source, State, Urgency
from minqing.ledger.models import DeadlineRule
from minqing.ledger.rules_seed import default_rules
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

D = dt.date
FRI_0926 = timezone.make_aware(dt.datetime(2025, 9, 26, 10, 0))

# Working days after Fri 2025-09-26, counted by hand on the State Council's 2025 schedule:
# Sat 09-27 off; Sun 09-28 make-up (1); Mon 09-29 (2); Tue 09-30 (3); 10-01..10-08 off;
# Thu 10-09 (4); Fri 10-10 (5); Sat 10-11 make-up (6); 10-13..10-17 (7-11); 10-20..10-23 (12-15).
BY_HAND = {
    1: D(2025, 9, 28),
    3: D(2025, 9, 30),
    4: D(2025, 10, 9),
    6: D(2025, 10, 11),
    7: D(2025, 10, 13),
    15: D(2025, 10, 23),
}


def register(lw, channel=Channel.CALL, source=Source.PUBLIC, urgency=Urgency.NORMAL, at=FRI_0926):
    facts = ProblemFacts(
        title="小区供暖不热",
        description="国庆前报修,至今未修",
        unit=lw.u["village_a"],
        source=source,
        channel=channel,
        urgency=urgency,
        registered_at=at,
    )
    return problem_register(actor=SYSTEM, facts=facts)


@pytest.mark.parametrize(("days", "expected"), sorted(BY_HAND.items()))
def test_add_workdays_across_national_day(days, expected) -> None:
    assert WorkCalendar({}).add_workdays(D(2025, 9, 26), days) == expected


def test_holiday_and_make_up_days() -> None:
    cal = WorkCalendar({})
    assert cal.is_workday(D(2025, 9, 28)) and cal.is_workday(D(2025, 10, 11))  # Sun, Sat: make-up
    assert not any(cal.is_workday(D(2025, 10, d)) for d in range(1, 9))  # Wed 10-01 .. Wed 10-08
    assert cal.workdays_between(D(2025, 9, 26), D(2025, 10, 23)) == 15
    assert cal.workdays_between(D(2025, 10, 23), D(2025, 9, 26)) == -15


def test_call_registered_before_the_holiday(lw) -> None:
    """A call: accept within 3 working days, handle within 15 (the seeded rule)."""
    p = register(lw)
    rule = rule_for(p)
    assert (rule.accept_days, rule.handle_days) == (3, 15)
    assert p.accept_due == BY_HAND[3] == D(2025, 9, 30)
    assert p.due_date == BY_HAND[15] == D(2025, 10, 23)


def test_letter_follows_the_petition_rule(lw) -> None:
    p = register(lw, channel=Channel.LETTER)
    rule = rule_for(p)
    assert (rule.accept_days, rule.handle_days, rule.max_extension_days) == (15, 60, 30)
    assert p.accept_due == D(2025, 10, 23)  # 15 working days, the same count as above


def test_rules_by_source_channel_urgency(lw) -> None:
    rules = list(DeadlineRule.objects.all())
    assert len(rules) == len(default_rules())
    p = register(lw, source=Source.PETITION_BACKLOG, channel="")
    assert (rule_for(p, rules).accept_days, rule_for(p, rules).handle_days) == (15, 60)
    p = register(lw, urgency=Urgency.CRITICAL)
    assert (rule_for(p, rules).accept_days, rule_for(p, rules).handle_days) == (1, 3)
    assert p.due_date == BY_HAND[3]
    p = register(lw, urgency=Urgency.URGENT, channel=Channel.LETTER)
    assert rule_for(p, rules).handle_days == 10
    p = register(lw, source=Source.SUPERVISION, channel="")
    assert rule_for(p, rules).handle_days == 20


def test_office_override_beats_the_package(lw) -> None:
    # the office declares Thu 10-09 a holiday and Sun 10-19 a make-up working day
    WorkdayOverride.objects.create(date=D(2025, 10, 9), is_workday=False, note="调休")
    WorkdayOverride.objects.create(date=D(2025, 10, 19), is_workday=True, note="补班")
    cal = WorkCalendar()
    assert not cal.is_workday(D(2025, 10, 9)) and cal.is_workday(D(2025, 10, 19))
    assert cal.add_workdays(D(2025, 9, 26), 4) == D(2025, 10, 10)
    # one day lost (10-09), one gained (10-19): the 15th working day is unchanged ...
    assert cal.add_workdays(D(2025, 9, 26), 15) == D(2025, 10, 23)
    # ... but the 11th moves from Fri 10-17 to Sun 10-19
    assert cal.add_workdays(D(2025, 9, 26), 11) == D(2025, 10, 19)
    assert register(lw).due_date == D(2025, 10, 23)


def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday() -> None:
    cal = WorkCalendar({})
    assert cal.is_workday(D(2027, 10, 1))  # a Friday: no 2027 schedule in the package
    assert not cal.is_workday(D(2027, 10, 2))  # Saturday
    assert cal.add_workdays(D(2027, 1, 1), 5) == D(2027, 1, 8)
    cal = WorkCalendar({D(2027, 10, 1): False})  # until the office enters the schedule
    assert not cal.is_workday(D(2027, 10, 1))


def test_deadline_status_ok_warning_overdue(lw) -> None:
    cal, rules = WorkCalendar({}), list(DeadlineRule.objects.all())
    p = register(lw)
    assert effective_due(p) == D(2025, 9, 30)  # before acceptance, the acceptance deadline runs
    assert deadline_status(p, cal, rules, today=D(2025, 9, 26)) == "warning"  # 3 working days left
    assert deadline_status(p, cal, rules, today=D(2025, 10, 1)) == "overdue"
    p.state = State.RECTIFYING
    assert effective_due(p) == D(2025, 10, 23)
    assert deadline_status(p, cal, rules, today=D(2025, 10, 1)) == "ok"
    assert deadline_status(p, cal, rules, today=D(2025, 10, 17)) == "ok"  # 4 working days left
    assert deadline_status(p, cal, rules, today=D(2025, 10, 20)) == "warning"  # 3 left
    assert deadline_status(p, cal, rules, today=D(2025, 10, 23)) == "warning"  # due today
    assert deadline_status(p, cal, rules, today=D(2025, 10, 24)) == "overdue"
    p.state = State.CLOSED
    assert deadline_status(p, cal, rules, today=D(2025, 10, 24)) == "ok"
