"""The deadline job: mark overdue, escalate to the next unit up, warn before, notify.

Run every 30 minutes by huey (``minqing.ledger.tasks``) or from cron (``minqing run-deadlines``).
Set-based: two indexed queries find the few problems that change; only those are loaded, in
chunks, and each chunk is written in one transaction with bulk inserts. Idempotent: a second
run finds nothing to do.

- **Overdue**: an open problem whose deadline (see ``deadlines.effective_due``) is before today
  and that is not yet flagged. The flag is set by a compare-and-set on ``version`` (so a
  concurrent transition and the job cannot both win; the loser is picked up next run), with an
  逾期 event (actor: the system).
- **Escalation**: once per problem, with the overdue flag: ``escalated_to`` becomes the parent
  of the responsible unit (of the concerned unit while unassigned), with a 上报上级 event.
  A problem overdue again after an extension is not escalated a second time.
- **Warning**: an open problem due within its rule's ``warning_days`` working days is warned
  once per deadline (``warned_due``); a granted extension moves the deadline and warns again.
- **Notifications** go to the users holding the office, unit-staff or leader role on the
  responsible (or concerned) unit and on the escalation unit.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minqing.core.batching import chunked
from minqing.core.workdays import WorkCalendar
from minqing.ledger.deadlines import FALLBACK, PRE_ACCEPT_STATES, effective_due, rule_for
from minqing.ledger.enums import OPEN_STATES, Action
from minqing.ledger.models import DeadlineRule, Notification, NotificationKind, Problem, ProblemEvent
from minqing.ledger.services.notifications import unit_user_ids
from minqing.orgs.models import Unit
from minqing.webhooks.emit import active_subscriptions
from minqing.webhooks.sources import problem_events_emit

CHUNK = 500
FIELDS = (
    "id",
    "version",
    "number",
    "title",
    "state",
    "source",
    "channel",
    "urgency",
    "unit_id",
    "path",
    "responsible_unit_id",
    "responsible_path",
    "escalated_to_id",
    "accept_due",
    "due_date",
    "overdue",
    "warned_due",
)


@dataclass
class DeadlineReport:
    today: dt.date
    overdue_marked: int = 0
    escalated: int = 0
    warnings: int = 0
    notifications: int = 0
    stale: int = 0  # changed by a transition while the job ran; picked up next run

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["today"] = self.today.isoformat()
        return d


def run_deadlines(*, today: dt.date | None = None, calendar: WorkCalendar | None = None) -> DeadlineReport:
    """One pass over the ledger; ``today`` defaults to the local date (events are dated now)."""
    if today is None:
        now = timezone.now()
        today = timezone.localdate(now)
    else:
        now = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    cal = calendar or WorkCalendar()
    rules = list(DeadlineRule.objects.all())
    report = DeadlineReport(today=today)
    with translation.override(settings.LANGUAGE_CODE):
        _mark_overdue(report, today, now)
        _warn(report, today, cal, rules)
    return report


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


def _home(p: Problem) -> tuple[int, str]:
    """The unit answerable for the problem now: its responsible unit, else the unit it concerns."""
    if p.responsible_unit_id:
        return p.responsible_unit_id, p.responsible_path
    return p.unit_id, p.path


def _parents(paths: set[str]) -> dict[str, Unit]:
    """``child path -> parent unit`` for the given unit paths (roots have none)."""
    step = Unit.steplen
    want = {p[:-step] for p in paths if len(p) > step}
    found: dict[str, Unit] = {}
    for chunk in chunked(sorted(want)):
        for u in Unit.objects.filter(path__in=chunk).only("id", "path", "name"):
            found[u.path] = u
    return {p: found[p[:-step]] for p in paths if p[:-step] in found}


def _notes(
    p: Problem, users: list[int], kind: str, text: str, seen: set[tuple[int, int]]
) -> list[Notification]:
    out = []
    for user_id in users:
        if (p.pk, user_id) in seen:
            continue
        seen.add((p.pk, user_id))
        out.append(Notification(user_id=user_id, problem_id=p.pk, kind=kind, text=text[:300]))
    return out


def _mark_overdue(report: DeadlineReport, today: dt.date, now: dt.datetime) -> None:
    subscriptions = active_subscriptions()  # once per run: the webhooks of the 逾期 events
    late = Q(due_date__lt=today) | Q(state__in=PRE_ACCEPT_STATES, accept_due__lt=today)
    ids = list(
        Problem.objects.filter(late, state__in=OPEN_STATES, overdue=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in chunked(ids, CHUNK):
        problems = list(Problem.objects.filter(pk__in=chunk).only(*FIELDS).order_by("pk"))
        parents = _parents({_home(p)[1] for p in problems})
        unit_ids = {_home(p)[0] for p in problems} | {
            p.escalated_to_id for p in problems if p.escalated_to_id
        }
        unit_ids |= {u.pk for u in parents.values()}
        users = unit_user_ids(unit_ids)
        names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
        events: list[ProblemEvent] = []
        overdue: list[tuple[Problem, ProblemEvent]] = []
        notes: list[Notification] = []
        seen: set[tuple[int, int]] = set()
        with transaction.atomic():
            for p in problems:
                due = effective_due(p)
                if due is None or due >= today or p.overdue:
                    continue
                home_id, home_path = _home(p)
                parent = parents.get(home_path) if p.escalated_to_id is None else None
                fields: dict[str, Any] = {"overdue": True, "version": F("version") + 1}
                if parent is not None:
                    fields["escalated_to_id"] = parent.pk
                done = Problem.objects.filter(pk=p.pk, version=p.version, overdue=False).update(**fields)
                if done != 1:
                    report.stale += 1
                    continue
                report.overdue_marked += 1
                args = {"number": p.number, "title": _short(p.title), "due": due.isoformat()}
                events.append(_event(p, now, Action.OVERDUE, _("超过期限 {due},已逾期").format(**args), due))
                overdue.append((p, events[-1]))
                text = _("问题 {number}「{title}」已超过期限 {due},已逾期,请尽快办理。").format(**args)
                notes += _notes(p, users.get(home_id, []), NotificationKind.OVERDUE, text, seen)
                up_id = parent.pk if parent is not None else p.escalated_to_id
                if up_id is None:
                    continue
                args["unit"] = names.get(up_id, "")
                if parent is not None:
                    report.escalated += 1
                    note = _("逾期未办结,上报{unit}督办").format(**args)
                    events.append(_event(p, now, Action.ESCALATE, note, due, unit=parent.pk))
                text = _("问题 {number}「{title}」已逾期(期限 {due}),已上报{unit}督办。").format(**args)
                notes += _notes(p, users.get(up_id, []), NotificationKind.ESCALATED, text, seen)
            ProblemEvent.objects.bulk_create(events)
            Notification.objects.bulk_create(notes)
            problem_events_emit(overdue, subscriptions)
        report.notifications += len(notes)


def _event(p: Problem, at: dt.datetime, action: str, note: str, due: dt.date, **data: Any) -> ProblemEvent:
    return ProblemEvent(
        problem_id=p.pk,
        at=at,
        actor=None,
        actor_name="",
        action=action,
        from_state=p.state,
        to_state=p.state,
        note=note,
        public=False,
        data={"due": due.isoformat(), **data},
    )


def _warn(report: DeadlineReport, today: dt.date, cal: WorkCalendar, rules: list[DeadlineRule]) -> None:
    widest = max([r.warning_days for r in rules] + [FALLBACK.warning_days])
    horizon = cal.add_workdays(today, widest)
    soon = Q(due_date__gte=today, due_date__lte=horizon) | Q(
        state__in=PRE_ACCEPT_STATES, accept_due__gte=today, accept_due__lte=horizon
    )
    ids = list(
        Problem.objects.filter(soon, state__in=OPEN_STATES, overdue=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in chunked(ids, CHUNK):
        problems = list(Problem.objects.filter(pk__in=chunk).only(*FIELDS).order_by("pk"))
        due_now: list[tuple[Problem, dt.date, int]] = []
        for p in problems:
            due = effective_due(p)
            if due is None or due < today or p.warned_due == due:
                continue
            left = cal.workdays_between(today, due)
            if left <= rule_for(p, rules).warning_days:
                due_now.append((p, due, left))
        if not due_now:
            continue
        users = unit_user_ids({_home(p)[0] for p, _due, _left in due_now})
        notes: list[Notification] = []
        seen: set[tuple[int, int]] = set()
        with transaction.atomic():
            for p, due, left in due_now:
                # not a transition: no version bump, but a compare-and-set so a warning goes out once
                if Problem.objects.filter(pk=p.pk).exclude(warned_due=due).update(warned_due=due) != 1:
                    continue
                report.warnings += 1
                args = {"number": p.number, "title": _short(p.title), "due": due.isoformat(), "days": left}
                text = _("问题 {number}「{title}」将于 {due} 到期,还剩 {days} 个工作日。").format(**args)
                notes += _notes(p, users.get(_home(p)[0], []), NotificationKind.WARNING, text, seen)
            Notification.objects.bulk_create(notes)
        report.notifications += len(notes)
