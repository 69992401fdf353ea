"""One checked 问题 row: a problem as ``problem_register`` makes it, then its events dated as the row says.

Registration is dated 登记时间. A row in 已办结 / 已销号 was being rectified from 登记时间 (an event
to 整改中 then) and is resolved, and closed, at 办结时间; any other 状态 has no date of its own and is
reached at 登记时间. A claim (认领人员编号) is an event at 登记时间. So the state as of any date,
read from the event log, is what the row implies.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from minqing.campaigns.models import Campaign
from minqing.core.fast_insert import Prepared, insert_prepared, prepare_rows
from minqing.core.workdays import WorkCalendar
from minqing.ledger.deadlines import initial_dues
from minqing.ledger.enums import Action, Moderation, State, Urgency
from minqing.ledger.models import DeadlineRule, Problem, ProblemEvent
from minqing.ledger.problem_format import RESOLVED_STATES, ProblemRow
from minqing.ledger.satisfaction import JUDGED, JUDGEMENTS
from minqing.orgs.actors import Actor, actor_label, is_system, user_of
from minqing.orgs.models import Person, Unit

# The event that reaches each state at 登记时间 (resolved and closed rows pass through 整改中).
REACHED_BY = {
    State.ASSIGNED: Action.ASSIGN,
    State.ACCEPTED: Action.ACCEPT,
    State.RECTIFYING: Action.START,
    State.RETURNED: Action.RETURN,
    State.MERGED: Action.MERGE,
}


@dataclass
class Candidate:
    """A checked row with its related records."""

    row: int
    values: ProblemRow
    unit: Unit
    responsible: Unit | None
    campaign: Campaign | None
    claimed_by: Person | None


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    data: dict[str, Any]


def steps(c: Candidate) -> list[Step]:
    """The events after registration, in order."""
    v = c.values
    reg = v.registered_at
    first = State.RECTIFYING if v.state in RESOLVED_STATES else v.state
    out: list[Step] = []
    if first != State.REGISTERED:
        out.append(Step(reg, REACHED_BY[State(first)], State.REGISTERED, first, {}))
    if c.claimed_by is not None:
        out.append(Step(reg, Action.CLAIM, first, first, {"leader": c.claimed_by.number}))
    if v.state in RESOLVED_STATES and v.resolved_at is not None:
        kind = {"resolution_kind": v.resolution_kind}
        out.append(Step(v.resolved_at, Action.RESOLVE, State.RECTIFYING, State.RESOLVED, kind))
        if v.state == State.CLOSED:
            action = Action.CALLBACK if v.satisfaction else Action.CLOSE
            sat = {"satisfaction": v.satisfaction} if v.satisfaction else {}
            out.append(Step(v.resolved_at, action, State.RESOLVED, State.CLOSED, sat))
    return out


class Dues:
    """``initial_dues`` for the rows of one file, each answer kept: it depends only on 来源, 渠道
    and the local day of 登记时间, which many rows share."""

    def __init__(self, calendar: WorkCalendar, rules: list[DeadlineRule]) -> None:
        self.calendar, self.rules = calendar, rules
        self.tz = timezone.get_current_timezone()  # ``timezone.localtime``'s, looked up once
        self._seen: dict[tuple[str, str, dt.date], tuple[dt.date, dt.date]] = {}

    def __call__(self, source: str, channel: str, registered_at: dt.datetime) -> tuple[dt.date, dt.date]:
        key = (source, channel, registered_at.astimezone(self.tz).date())
        got = self._seen.get(key)
        if got is None:
            got = initial_dues(source, channel, Urgency.NORMAL, registered_at, self.calendar, self.rules)
            self._seen[key] = got
        return got


def problem_row(c: Candidate, *, dues: Dues, todo: list[Step], public: bool) -> dict[str, Any]:
    """The row's problem as ``problem_register`` makes it (``intake.new_problem``: deadlines from
    登记时间 by the rule for its source and channel), then as its events ``todo`` leave it."""
    v = c.values
    accept_due, due_date = dues(v.source, v.channel, v.registered_at)
    resolved = v.resolved_at if v.state in RESOLVED_STATES else None
    return {
        "number": v.number,
        "campaign_id": c.campaign.pk if c.campaign else None,
        "source": v.source,
        "channel": v.channel,
        "title": v.title[:200],
        "description": v.content,
        "unit_id": c.unit.pk,
        "path": c.unit.path,
        "responsible_unit_id": c.responsible.pk if c.responsible else None,
        "responsible_path": c.responsible.path if c.responsible else "",
        "claimed_by_id": c.claimed_by.pk if c.claimed_by else None,
        "must_solve": v.must_solve,
        "prominent": v.prominent,
        "urgency": Urgency.NORMAL,
        "registered_at": v.registered_at,
        "accept_due": accept_due,
        "due_date": due_date,
        "state": v.state,
        "resolution_kind": v.resolution_kind,
        "measures": v.measures,
        "satisfaction": v.satisfaction,
        "resolved_at": resolved,
        "closed_at": resolved if v.state == State.CLOSED else None,
        # the office's file: checked by the staff who import it (``intake.ProblemFacts.checked``);
        # kept off the list (``public`` False) until the last batch is in
        "is_public": public,
        "moderation": Moderation.APPROVED,
        "moderation_at": v.registered_at,
        "version": len(todo),
        # what the trigger on the event log (migration 0010) would set as each event goes in: the
        # latest event's time (登记时间 or 办结时间); set here, the trigger finds it already true and
        # leaves the row alone instead of rewriting it once per event
        "last_event_at": max([v.registered_at, *(s.at for s in todo)]),
        # likewise the latest judgement (migration 0012), by time and then by order of writing
        **_judged(todo),
    }


def _judged(todo: list[Step]) -> dict[str, Any]:
    """``judged_at`` and ``judgement`` as the event log's trigger would set them for ``todo``."""
    judged = [
        (s.at, i, s.data["satisfaction"])
        for i, s in enumerate(todo)
        if s.action in JUDGEMENTS and s.data.get("satisfaction") in JUDGED
    ]
    if not judged:
        return {"judged_at": None, "judgement": None}
    at, _, value = max(judged)
    return {"judged_at": at, "judgement": value}


def event_rows(c: Candidate, todo: list[Step], *, actor: Actor, source_name: str) -> list[dict[str, Any]]:
    """The row's events as ``record_event`` writes them: 登记 (``intake.register_event``), then
    ``todo``; their ``problem_id`` is the database's, set when the problem is in (``write_batch``)."""
    user = user_of(actor)
    who = {
        "actor_id": user.pk if user is not None else None,
        "actor_name": "" if is_system(actor) else actor_label(actor),
        "public": True,
    }
    v = c.values
    register = {"source": v.source, "channel": v.channel, "import": source_name}
    rows = [
        {
            **who,
            "at": v.registered_at,
            "action": Action.REGISTER,
            "to_state": State.REGISTERED,
            "data": register,
        }
    ]
    for s in todo:
        rows.append(
            {
                **who,
                "at": s.at,
                "action": str(s.action),
                "from_state": str(s.from_state),
                "to_state": str(s.to_state),
                "data": {**s.data, "import": source_name},
            }
        )
    return rows


@dataclass
class Batch:
    """Rows made ready to insert (``prepare_batch``) before the write transaction begins, so the
    transaction (and SQLite's write lock) lasts only as long as the inserts."""

    numbers: list[str]
    problems: Prepared
    events: Prepared
    owners: list[int]  # each event's row in ``numbers``

    def __len__(self) -> int:
        return len(self.numbers)


def prepare_batch(
    cands: list[Candidate],
    *,
    actor: Actor,
    calendar: WorkCalendar,
    rules: list[DeadlineRule],
    source_name: str,
    hidden: bool = False,
    dues: Dues | None = None,
) -> Batch:
    """The rows' problems and events as ``write_batch`` inserts them; no database access.
    ``hidden``: not on the public list until the importer publishes them. ``dues``: the file's
    (its answers kept from batch to batch), else one for these rows."""
    dues = dues or Dues(calendar, rules)
    todos = [steps(c) for c in cands]
    rows = [
        problem_row(c, dues=dues, todo=todo, public=not hidden) for c, todo in zip(cands, todos, strict=True)
    ]
    events: list[dict[str, Any]] = []
    owners: list[int] = []
    for i, (c, todo) in enumerate(zip(cands, todos, strict=True)):
        mine = event_rows(c, todo, actor=actor, source_name=source_name)
        events.extend(mine)
        owners.extend([i] * len(mine))
    return Batch(
        [c.values.number for c in cands],
        prepare_rows(Problem, rows),
        prepare_rows(ProblemEvent, events),
        owners,
    )


def write_batch(batch: Batch) -> list[int]:
    """Insert the batch's problems, then their events; the new problems' primary keys, in row order."""
    before = Problem.objects.aggregate(top=Max("id"))["top"] or 0
    insert_prepared(batch.problems)
    # the new rows are all above ``before`` (keys only grow); any other row there (a public
    # submission, on PostgreSQL) has another number
    pks = dict(Problem.objects.filter(id__gt=before).values_list("number", "id"))
    keys = [pks[n] for n in batch.numbers]
    batch.events.set("problem_id", [keys[i] for i in batch.owners])
    insert_prepared(batch.events)
    return keys
