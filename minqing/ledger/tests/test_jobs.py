"""The deadline job: overdue once, escalation to the parent, the right people told, warnings
once, extensions respected, idempotent; the huey task; the command; the notification list."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from minqing.core.errors import PermissionDeniedError
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Action, Channel, State
from minqing.ledger.jobs import run_deadlines
from minqing.ledger.models import Notification, NotificationKind, Problem, ProblemEvent
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.notifications import (
    notification_mark_read,
    notifications_for,
    notify_unit_users,
)
from minqing.ledger.services.workflow import problem_transition

pytestmark = pytest.mark.django_db

D = dt.date
CAL = WorkCalendar({})
FRI_0926 = timezone.make_aware(dt.datetime(2025, 9, 26, 10, 0))
DUE = D(2025, 10, 23)  # 15 working days after 09-26 (see test_deadlines)


def call(lw, unit_key="village_a"):
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title="小区供暖不热",
        content="国庆前报修,至今未修",
        unit=lw.u[unit_key],
        received_at=FRI_0926,
        reporter=Reporter(name="张先生", phone="13900002222"),
        calendar=CAL,
    )
    return fb.problem


def accepted(lw, unit_key="village_a", town="town_a", staff="a_staff"):
    p = call(lw, unit_key)
    p = problem_transition(
        actor=lw.users["county_office"],
        problem=p,
        action=Action.ASSIGN,
        responsible_unit=lw.u[town],
        due_date=DUE,
        at=FRI_0926,
    )
    return problem_transition(actor=lw.users[staff], problem=p, action=Action.ACCEPT, at=FRI_0926)


def told(problem, kind=None):
    qs = Notification.objects.filter(problem=problem)
    if kind:
        qs = qs.filter(kind=kind)
    return sorted(qs.values_list("user__username", flat=True))


def test_overdue_marked_once_and_escalated_to_the_parent(lw) -> None:
    p = accepted(lw)
    other = accepted(lw, "village_b", "town_b", "b_staff")
    Problem.objects.filter(pk=other.pk).update(due_date=D(2025, 11, 28))  # not late
    assert run_deadlines(today=DUE, calendar=CAL).overdue_marked == 0  # due today: not yet late
    report = run_deadlines(today=D(2025, 10, 24), calendar=CAL)
    assert (report.overdue_marked, report.escalated) == (1, 1)
    p.refresh_from_db()
    assert p.overdue and p.escalated_to == lw.u["county"] and p.state == State.ACCEPTED
    assert p.version == 3  # register 0, assign 1, accept 2, overdue 3
    events = list(
        ProblemEvent.objects.filter(problem=p).values_list("action", "actor", "from_state", "to_state")
    )
    assert events[-2:] == [
        (Action.OVERDUE, None, State.ACCEPTED, State.ACCEPTED),
        (Action.ESCALATE, None, State.ACCEPTED, State.ACCEPTED),
    ]
    # the responsible town's staff; the county's office and leader (not intake, not the viewer)
    assert told(p, NotificationKind.OVERDUE) == ["a_staff"]
    assert told(p, NotificationKind.ESCALATED) == ["county_leader", "county_office"]
    # (the workflow's own notifications, kind INFO, are tested in test_event_notifications.py)
    assert (
        not Notification.objects.filter(user__username__in=["b_staff", "b_office", "village_a_staff"])
        .exclude(kind=NotificationKind.INFO)
        .exists()
    )
    assert report.notifications == 3
    other.refresh_from_db()
    assert not other.overdue and other.escalated_to is None


def test_second_run_changes_nothing(lw) -> None:
    p = accepted(lw)
    run_deadlines(today=D(2025, 10, 24), calendar=CAL)
    counts = (ProblemEvent.objects.count(), Notification.objects.count())
    p.refresh_from_db()
    version = p.version
    for day in (D(2025, 10, 24), D(2025, 10, 27)):
        report = run_deadlines(today=day, calendar=CAL)
        assert (report.overdue_marked, report.escalated, report.warnings, report.notifications) == (
            0,
            0,
            0,
            0,
        )
    p.refresh_from_db()
    assert p.version == version
    assert (ProblemEvent.objects.count(), Notification.objects.count()) == counts


def test_unassigned_problem_escalates_from_the_unit_it_concerns(lw) -> None:
    p = call(lw)  # registered, never assigned: the acceptance deadline (3 working days) runs
    assert p.accept_due == D(2025, 9, 30)
    report = run_deadlines(today=D(2025, 10, 9), calendar=CAL)
    assert (report.overdue_marked, report.escalated) == (1, 1)
    p.refresh_from_db()
    assert p.overdue and p.escalated_to == lw.u["town_a"]  # village_a's parent
    assert told(p, NotificationKind.OVERDUE) == ["village_a_staff"]
    assert told(p, NotificationKind.ESCALATED) == ["a_staff"]


def test_warning_once_per_deadline(lw) -> None:
    p = accepted(lw)
    assert run_deadlines(today=D(2025, 10, 17), calendar=CAL).warnings == 0  # 4 working days left
    report = run_deadlines(today=D(2025, 10, 20), calendar=CAL)  # 3 left: the call rule warns at 3
    assert (report.warnings, report.notifications) == (1, 1)
    assert told(p, NotificationKind.WARNING) == ["a_staff"]
    assert "2025-10-23" in Notification.objects.get(problem=p, kind=NotificationKind.WARNING).text
    assert run_deadlines(today=D(2025, 10, 21), calendar=CAL).warnings == 0
    p.refresh_from_db()
    assert p.warned_due == DUE and p.version == 2  # a warning is not a transition


def test_granted_extension_is_not_overdue(lw) -> None:
    p = accepted(lw)
    p = problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.REQUEST_EXTENSION, days=5, reason="等配件"
    )
    p = problem_transition(
        actor=lw.users["county_office"], problem=p, action=Action.GRANT_EXTENSION, calendar=CAL
    )
    assert p.due_date == D(2025, 10, 30)  # 10-23 + 5 working days
    report = run_deadlines(today=D(2025, 10, 24), calendar=CAL)
    assert report.overdue_marked == 0
    p.refresh_from_db()
    assert not p.overdue and p.escalated_to is None
    assert run_deadlines(today=D(2025, 10, 31), calendar=CAL).overdue_marked == 1


def test_overdue_again_after_an_extension_is_not_escalated_twice(lw) -> None:
    p = accepted(lw)
    run_deadlines(today=D(2025, 10, 24), calendar=CAL)
    p = problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.REQUEST_EXTENSION, days=2, reason="等配件"
    )
    p = problem_transition(
        actor=lw.users["county_office"], problem=p, action=Action.GRANT_EXTENSION, calendar=CAL
    )
    assert not p.overdue and p.escalated_to == lw.u["county"]
    report = run_deadlines(today=D(2025, 11, 3), calendar=CAL)
    assert (report.overdue_marked, report.escalated) == (1, 0)
    assert ProblemEvent.objects.filter(problem=p, action=Action.ESCALATE).count() == 1
    assert ProblemEvent.objects.filter(problem=p, action=Action.OVERDUE).count() == 2


def test_closed_problems_are_left_alone(lw) -> None:
    p = accepted(lw)
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind="explained"
    )
    report = run_deadlines(today=D(2025, 12, 1), calendar=CAL)
    assert (report.overdue_marked, report.warnings, report.notifications) == (0, 0, 0)


def test_a_concurrent_transition_wins_the_compare_and_set(lw, monkeypatch) -> None:
    p = accepted(lw)
    from minqing.ledger import jobs

    real = jobs.effective_due

    def racing(problem):  # a transition lands between the job's read and its write
        Problem.objects.filter(pk=problem.pk).update(version=problem.version + 1)
        return real(problem)

    monkeypatch.setattr(jobs, "effective_due", racing)
    report = run_deadlines(today=D(2025, 10, 24), calendar=CAL)
    assert (report.overdue_marked, report.stale) == (0, 1)
    monkeypatch.setattr(jobs, "effective_due", real)
    assert run_deadlines(today=D(2025, 10, 24), calendar=CAL).overdue_marked == 1
    assert ProblemEvent.objects.filter(problem=p, action=Action.OVERDUE).count() == 1


def test_huey_task_runs_the_job(lw) -> None:
    from huey.contrib.djhuey import HUEY

    from minqing.ledger.tasks import deadlines_every_half_hour

    assert HUEY.immediate
    p = accepted(lw)  # due 2025-10-23: overdue whenever the tests run
    deadlines_every_half_hour()  # enqueued and, in immediate mode, run at once (no stored result)
    p.refresh_from_db()
    assert p.overdue and p.escalated_to == lw.u["county"]
    assert deadlines_every_half_hour.call_local()["overdue_marked"] == 0  # the plain function


def test_command_prints_a_summary(lw) -> None:
    accepted(lw)
    out = io.StringIO()
    call_command("run_deadlines", "--date", "2025-10-24", stdout=out)
    text = out.getvalue()
    assert "标记逾期 1 件" in text and "上报上级 1 件" in text and "发送通知 3 条" in text
    out = io.StringIO()
    call_command("run_deadlines", "--date", "2025-10-24", "--json", stdout=out)
    assert '"overdue_marked": 0' in out.getvalue()


def test_notification_list_is_the_owners_own(lw) -> None:
    p = accepted(lw)
    Notification.objects.all().delete()  # the workflow's own (test_event_notifications.py)
    notify_unit_users(unit=lw.u["county"], problem=p, text="第一条")
    notify_unit_users(unit=lw.u["county"], problem=p, text="第二条")
    office, leader = lw.users["county_office"], lw.users["county_leader"]
    mine = list(notifications_for(office))
    assert [n.text for n in mine] == ["第二条", "第一条"]  # newest first
    assert notifications_for(lw.users["b_staff"]).count() == 0
    with pytest.raises(PermissionDeniedError):
        notification_mark_read(actor=leader, notification=mine[0])
    assert Notification.objects.get(pk=mine[0].pk).read_at is None
    notification_mark_read(actor=office, notification=mine[0])
    assert list(notifications_for(office, unread_only=True)) == [mine[1]]
