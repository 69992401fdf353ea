"""Problems in bulk (the demo's scale tiers, large back-fills): what ``problem_register`` and
``problem_transition`` would have written, row for row, but in chunked bulk inserts.

Each row is a new problem plus the later transitions it went through (``Step``), with their
dates. The steps are checked against the workflow's transition table and applied with the same
field changes as its handlers, so the problem's fields, ``version`` and event log end up as if
every step had gone through the service: the state as of any date, read from the events,
equals what the problem's state was then. Steps are applied by the system (actor None); no
permission check is made, so only trusted loaders (the demo, an office import) may call this.

Rows are written without building model instances (Django's ``bulk_create`` spends most of
its time compiling SQL per row): ``executemany`` on SQLite, ``COPY`` on PostgreSQL, values
prepared by each field's own ``get_db_prep_save``.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from minqing.core.batching import chunked
from minqing.core.workdays import WorkCalendar
from minqing.ledger import deadlines
from minqing.ledger.enums import Action, Moderation, Satisfaction, State, Urgency
from minqing.ledger.masking import mask_personal
from minqing.ledger.models import DeadlineRule, Problem, ProblemEvent
from minqing.ledger.services.workflow import TRANSITIONS
from minqing.orgs.services.bulk import BulkResult, UnitRef

CHUNK = 5_000  # problems per transaction
BULK_ACTIONS = frozenset(
    {Action.ASSIGN, Action.ACCEPT, Action.RETURN, Action.START, Action.RESOLVE, Action.CLOSE, Action.CALLBACK}
)


@dataclass
class Step:
    action: str
    at: dt.datetime
    unit: UnitRef | None = None  # assign: the responsible unit
    resolution_kind: str = ""  # resolve
    measures: str = ""  # resolve
    satisfaction: str = ""  # callback
    note: str = ""


@dataclass
class ProblemRow:
    number: str
    title: str
    description: str
    unit: UnitRef
    source: str
    registered_at: dt.datetime
    channel: str = ""
    category_id: int | None = None
    campaign_id: int | None = None
    urgency: str = Urgency.NORMAL
    prominent: bool = False
    steps: list[Step] = field(default_factory=list)
    # checked for the public list by its author, as ``problem_register`` writes it (the default), or
    # pending moderation with its masked title and text suggested, as a resident's report waits
    moderated: bool = True


def _fields(model: type[models.Model]) -> list["models.Field[Any, Any]"]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


P_FIELDS = _fields(Problem)
E_FIELDS = _fields(ProblemEvent)
P_DEFAULTS = {f.attname: f.get_default() for f in P_FIELDS}
E_DEFAULTS = {f.attname: f.get_default() for f in E_FIELDS}


def problems_bulk_register(
    rows: Iterable[ProblemRow], calendar: WorkCalendar, *, rules: list[DeadlineRule] | None = None
) -> BulkResult:
    """Create the problems, their 登记 events and every later step's event; returns the counts.

    ``BulkResult.skipped`` counts the events written (besides the problems in ``created``).
    """
    rules = list(DeadlineRule.objects.all()) if rules is None else rules
    memo: dict[tuple[str, str, str], DeadlineRule] = {}
    result = BulkResult()
    for chunk in chunked(rows, CHUNK):
        built = [_build(row, calendar, rules, memo) for row in chunk]
        with transaction.atomic():
            _insert(Problem, P_FIELDS, [p for p, _evs in built])
            ids: dict[str, int] = {}
            for numbers in chunked([p["number"] for p, _evs in built]):
                ids.update(Problem.objects.filter(number__in=numbers).values_list("number", "id"))
            events = []
            for p, evs in built:
                for e in evs:
                    e["problem_id"] = ids[p["number"]]
                    events.append(e)
            _insert(ProblemEvent, E_FIELDS, events)
        result.created += len(built)
        result.skipped += len(events)
    return result


def _converter(f: "models.Field[Any, Any]", conn: Any) -> Any:
    """Only dates, datetimes and JSON need preparing; strings, numbers and None pass as they are."""
    if isinstance(f, models.DateTimeField):
        return conn.ops.adapt_datetimefield_value
    if isinstance(f, models.DateField):
        return conn.ops.adapt_datefield_value
    if isinstance(f, models.JSONField):
        return lambda v: f.get_db_prep_save(v, conn)
    return None


def _insert(
    model: type[models.Model], fields: Sequence["models.Field[Any, Any]"], rows: list[dict[str, Any]]
) -> None:
    conn = connections[DEFAULT_DB_ALIAS]  # the real connection: no proxy lookup per value
    names = [f.attname for f in fields]
    convs = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, conn)) is not None]
    values = []
    for row in rows:
        v = [row[n] for n in names]
        for i, c in convs:
            if v[i] is not None:
                v[i] = c(v[i])
        values.append(v)
    qn = conn.ops.quote_name
    table, cols = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", values)


def _event(
    action: str, at: dt.datetime, frm: str, to: str, public: bool, note: str = "", **data: Any
) -> dict[str, Any]:
    e = dict(E_DEFAULTS)
    e.update(at=at, action=action, from_state=frm, to_state=to, note=note, public=public, data=data)
    return e


def _build(
    row: ProblemRow,
    cal: WorkCalendar,
    rules: list[DeadlineRule],
    memo: dict[tuple[str, str, str], DeadlineRule],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    key = (row.source, row.channel, row.urgency)
    if key not in memo:
        memo[key] = deadlines.rule_for_keys(*key, rules)
    rule = memo[key]
    day = timezone.localtime(row.registered_at).date()
    p = dict(P_DEFAULTS)
    p.update(
        number=row.number,
        campaign_id=row.campaign_id,
        source=row.source,
        channel=row.channel,
        category_id=row.category_id,
        title=row.title[:200],
        description=row.description,
        unit_id=row.unit.id,
        path=row.unit.path,
        urgency=row.urgency,
        prominent=row.prominent,
        registered_at=row.registered_at,
        state=State.REGISTERED,
        accept_due=cal.add_workdays(day, rule.accept_days),
        due_date=cal.add_workdays(day, rule.handle_days),
        version=0,
    )
    if row.moderated:
        p.update(moderation=Moderation.APPROVED, is_public=True, moderation_at=row.registered_at)
    else:
        p.update(moderation=Moderation.PENDING, is_public=False, moderation_at=timezone.now())
        p.update(public_title=mask_personal(row.title[:200]), public_text=mask_personal(row.description))
    events = [
        _event(
            Action.REGISTER,
            row.registered_at,
            "",
            State.REGISTERED,
            True,
            source=row.source,
            channel=row.channel,
        )
    ]
    last = row.registered_at
    for step in row.steps:
        if step.at < last:
            raise ValueError(f"{row.number}: step {step.action} at {step.at} is before {last}")
        last = step.at
        events.append(_apply(p, step, cal, rule))
        p["version"] += 1
    return p, events


def _apply(p: dict[str, Any], s: Step, cal: WorkCalendar, rule: DeadlineRule) -> dict[str, Any]:
    frm = p["state"]
    if s.action not in BULK_ACTIONS or frm not in TRANSITIONS[Action(s.action)].sources:
        raise ValueError(f"{p['number']}: {s.action} is not allowed in state {frm}")
    if s.action == Action.ASSIGN:
        if s.unit is None:
            raise ValueError(f"{p['number']}: assign needs a unit")
        due = cal.add_workdays(timezone.localtime(s.at).date(), rule.handle_days)
        p.update(responsible_unit_id=s.unit.id, responsible_path=s.unit.path, due_date=due, overdue=False)
        p["state"] = State.ASSIGNED
        return _event(s.action, s.at, frm, p["state"], True, s.note, unit=s.unit.code, due=str(due))
    if s.action == Action.RETURN:
        code = s.unit.code if s.unit else ""
        p.update(responsible_unit_id=None, responsible_path="", owner_id=None, state=State.RETURNED)
        return _event(s.action, s.at, frm, p["state"], False, s.note or "非本单位职责", unit=code)
    if s.action in (Action.ACCEPT, Action.START):
        p["state"] = State.ACCEPTED if s.action == Action.ACCEPT else State.RECTIFYING
        return _event(s.action, s.at, frm, p["state"], s.action == Action.ACCEPT, s.note)
    if s.action == Action.RESOLVE:
        p.update(
            resolution_kind=s.resolution_kind, measures=s.measures, resolved_at=s.at, state=State.RESOLVED
        )
        return _event(s.action, s.at, frm, p["state"], True, s.note, resolution_kind=s.resolution_kind)
    if s.action == Action.CLOSE:
        p.update(closed_at=s.at, state=State.CLOSED)
        return _event(s.action, s.at, frm, p["state"], True, s.note)
    # callback: satisfied closes, unsatisfied reopens (as problem_transition does)
    p["satisfaction"] = s.satisfaction
    if s.satisfaction == Satisfaction.UNSATISFIED:
        p.update(resolution_kind="", resolved_at=None, closed_at=None, state=State.RECTIFYING)
        return _event(Action.REOPEN, s.at, frm, p["state"], True, s.note, satisfaction=s.satisfaction)
    p.update(closed_at=p["closed_at"] or s.at, state=State.CLOSED)
    return _event(s.action, s.at, frm, p["state"], True, s.note, satisfaction=s.satisfaction)
