"""One checked 问题 row: a problem through ``problem_register``, then its events dated as the row says.

Registration is dated 登记时间. A row in 已办结 / 已销号 was being rectified from 登记时间 (an event
to 整改中 then) and is resolved, and closed, at 办结时间; any other 状态 has no date of its own and is
reached at 登记时间. A claim (认领人员编号) is an event at 登记时间. So the state as of any date,
read from the event log, is what the row implies.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from minqing.campaigns.models import Campaign
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Action, State
from minqing.ledger.models import Problem
from minqing.ledger.problem_format import RESOLVED_STATES, ProblemRow
from minqing.ledger.services.intake import ProblemFacts, problem_register_unchecked
from minqing.ledger.services.workflow import record_event
from minqing.orgs.actors import Actor
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


def write_problem(c: Candidate, *, actor: Actor, calendar: WorkCalendar, source_name: str) -> Problem:
    v = c.values
    facts = ProblemFacts(
        title=v.title,
        description=v.content,
        unit=c.unit,
        source=v.source,
        channel=v.channel,
        campaign=c.campaign,
        prominent=v.prominent,
        registered_at=v.registered_at,
        number=v.number,
        extra={"import": source_name},
    )
    p = problem_register_unchecked(actor=actor, facts=facts, calendar=calendar)
    todo = steps(c)
    for s in todo:
        record_event(
            problem=p,
            actor=actor,
            action=s.action,
            from_state=s.from_state,
            to_state=s.to_state,
            public=True,
            data={**s.data, "import": source_name},
            at=s.at,
        )
    resolved = v.resolved_at if v.state in RESOLVED_STATES else None
    Problem.objects.filter(pk=p.pk).update(
        responsible_unit=c.responsible,
        responsible_path=c.responsible.path if c.responsible else "",
        claimed_by=c.claimed_by,
        must_solve=v.must_solve,
        state=v.state,
        resolution_kind=v.resolution_kind,
        measures=v.measures,
        satisfaction=v.satisfaction,
        resolved_at=resolved,
        closed_at=resolved if v.state == State.CLOSED else None,
        version=len(todo),
    )
    return p
