"""The problem workflow: one transition table behind one service, ``problem_transition``.

Every action checks the problem's state, the actor's role and subtree, takes a row lock
(``select_for_update``) and bumps ``version`` with a compare-and-set, so two concurrent
transitions on one problem cannot both win; each appends a ``ProblemEvent``. In the same
transaction, the people concerned are notified (``event_notifications``) and a public event (a
state change, a note ticked public) queues a message to every reporter following the problem
(``minqing.notify``); imports and the deadline job, which record events without a transition,
message nobody.

Which steps show on the public timeline is fixed per action (``Change.public``: assignment,
acceptance, the first claim, resolution, closing, callback, merge, a granted extension); the
note written with a step is public only when its author ticked 公开 (the ``public`` parameter,
``ProblemEvent.note_public``), so a step may show without its note. A leader's claim shows once:
claiming again what one already claimed is refused, and a second leader's claim is recorded for
staff only.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.workdays import WorkCalendar
from minqing.ledger import deadlines
from minqing.ledger.access import can_see_problem
from minqing.ledger.enums import OPEN_STATES, Action, ResolutionKind, Satisfaction, State
from minqing.ledger.models import Extension, ExtensionState, Feedback, Problem, ProblemEvent
from minqing.ledger.services.event_notifications import notify_event
from minqing.notify.services import public_event_queued
from minqing.orgs import policy
from minqing.orgs.actors import Actor, actor_label, is_system, user_of
from minqing.orgs.models import Person, Unit
from minqing.webhooks.sources import problem_events_emit

ANY_STATE = frozenset(State)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    roles: policy.RoleSet
    scope: str  # "problem": path or responsible_path; "responsible": responsible_path only


TRANSITIONS: dict[str, Transition] = {
    Action.ASSIGN: Transition(
        frozenset({State.REGISTERED, State.RETURNED}), State.ASSIGNED, policy.DISPATCHERS, "problem"
    ),
    Action.ACCEPT: Transition(
        frozenset({State.ASSIGNED}), State.ACCEPTED, policy.UNIT_WRITERS, "responsible"
    ),
    Action.RETURN: Transition(
        frozenset({State.ASSIGNED}), State.RETURNED, policy.UNIT_WRITERS, "responsible"
    ),
    Action.CLAIM: Transition(
        frozenset({State.ASSIGNED, State.ACCEPTED, State.RECTIFYING}), None, policy.CLAIMERS, "problem"
    ),
    Action.START: Transition(
        frozenset({State.ACCEPTED}), State.RECTIFYING, policy.UNIT_WRITERS, "responsible"
    ),
    Action.REQUEST_EXTENSION: Transition(
        frozenset({State.ACCEPTED, State.RECTIFYING}), None, policy.UNIT_WRITERS, "responsible"
    ),
    Action.GRANT_EXTENSION: Transition(
        frozenset({State.ACCEPTED, State.RECTIFYING}), None, policy.EXTENSION_DECIDERS, "problem"
    ),
    Action.DENY_EXTENSION: Transition(
        frozenset({State.ACCEPTED, State.RECTIFYING}), None, policy.EXTENSION_DECIDERS, "problem"
    ),
    Action.RESOLVE: Transition(
        frozenset({State.ASSIGNED, State.ACCEPTED, State.RECTIFYING}),
        State.RESOLVED,
        policy.UNIT_WRITERS,
        "responsible",
    ),
    Action.CLOSE: Transition(frozenset({State.RESOLVED}), State.CLOSED, policy.OFFICE, "problem"),
    # callback: satisfied closes, unsatisfied reopens (target decided by the handler)
    Action.CALLBACK: Transition(
        frozenset({State.RESOLVED, State.CLOSED}), State.CLOSED, policy.DISPATCHERS, "problem"
    ),
    Action.MERGE: Transition(frozenset(OPEN_STATES), State.MERGED, policy.DISPATCHERS, "problem"),
    Action.NOTE: Transition(ANY_STATE, None, policy.NOTE_WRITERS, "problem"),
}

SYSTEM_ONLY = frozenset({Action.REGISTER, Action.OVERDUE, Action.ESCALATE, Action.REOPEN})


@dataclass
class Change:
    """What a handler decides: field updates, the state reached, the event's note and data."""

    fields: dict[str, Any]
    to_state: str
    note: str = ""
    public: bool = False
    data: dict[str, Any] | None = None


Handler = Callable[[Actor, Problem, dict[str, Any], WorkCalendar], Change]


def _required(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value in (None, ""):
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=name)
    return value


def _assign(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    unit: Unit = _required(params, "responsible_unit")
    if not policy.has_role(actor, policy.DISPATCHERS, unit.path):
        raise PermissionDeniedError()
    rule = deadlines.rule_for(p)
    today = timezone.localdate(params["at"])  # the assignment date (back-dated imports too)
    due = params.get("due_date") or deadlines.handle_due(today, cal, rule)
    fields = {"responsible_unit": unit, "responsible_path": unit.path, "due_date": due, "overdue": False}
    data = {"unit": unit.code, "due": str(due)}
    if params.get("owner") is not None:
        fields["owner"] = params["owner"]
    if params.get("category") is not None and params["category"] != p.category:
        fields["category"] = params["category"]
        data["category"] = params["category"].full_name
    return Change(fields, State.ASSIGNED, params.get("note", ""), True, data)


def _return(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    note = _required(params, "note")
    data = {"unit": p.responsible_unit.code if p.responsible_unit else ""}
    return Change(
        {"responsible_unit": None, "responsible_path": "", "owner": None}, State.RETURNED, note, False, data
    )


def _claim(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    user = user_of(actor)
    leader: Person | None = params.get("leader") or (
        Person.objects.filter(user=user).first() if user is not None else None
    )
    if leader is None:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="leader")
    if p.claimed_by_id == leader.pk:  # one claim shows once: the same claim again is refused
        raise DomainError(ErrorCode.ALREADY_CLAIMED, leader=leader.name)
    must = bool(params.get("must_solve", True))
    return Change(
        {"claimed_by": leader, "must_solve": must},
        p.state,
        params.get("note", ""),
        p.claimed_by_id is None,  # the public timeline shows the problem claimed, once
        {"leader": leader.number},
    )


def _request_extension(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    days = int(_required(params, "days"))
    reason = _required(params, "reason")
    rule = deadlines.rule_for(p)
    # pending requests count too: two pending requests must not add up past the limit once granted
    taken = (ExtensionState.GRANTED, ExtensionState.REQUESTED)
    used = sum(e.days for e in p.extensions.filter(state__in=taken))
    if days <= 0 or used + days > rule.max_extension_days:
        raise DomainError(ErrorCode.EXTENSION_TOO_LONG, limit=rule.max_extension_days, used=used)
    requester = user_of(actor)
    if requester is None:  # an extension is asked for by a person of the responsible unit
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="requested_by")
    Extension.objects.create(
        problem=p,
        requested_at=timezone.now(),
        requested_by=requester,
        days=days,
        reason=reason,
        old_due=p.due_date,
    )
    return Change({}, p.state, reason, False, {"days": days})


def _decide_extension(grant: bool) -> Handler:
    def handler(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
        ext = p.extensions.filter(state=ExtensionState.REQUESTED).order_by("requested_at").first()
        if ext is None:
            raise DomainError(ErrorCode.EXTENSION_NONE_PENDING)
        ext.decided_by, ext.decided_at = user_of(actor), timezone.now()
        fields: dict[str, Any] = {}
        if grant:
            limit = deadlines.rule_for(p).max_extension_days  # the rule may have changed since the request
            used = sum(e.days for e in p.extensions.filter(state=ExtensionState.GRANTED))
            if used + ext.days > limit:
                raise DomainError(ErrorCode.EXTENSION_TOO_LONG, limit=limit, used=used)
            base = p.due_date or timezone.localdate()
            ext.new_due = cal.add_workdays(base, ext.days)
            ext.state = ExtensionState.GRANTED
            fields = {"due_date": ext.new_due, "overdue": False}
        else:
            ext.state = ExtensionState.DENIED
        ext.save()
        data = {"days": ext.days, "new_due": str(ext.new_due) if ext.new_due else ""}
        return Change(fields, p.state, params.get("note", ""), grant, data)

    return handler


def _resolve(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    kind = _required(params, "resolution_kind")
    if kind not in ResolutionKind.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="resolution_kind", value=kind)
    fields = {"resolution_kind": kind, "measures": params.get("measures", ""), "resolved_at": params["at"]}
    return Change(fields, State.RESOLVED, params.get("note", ""), True, {"resolution_kind": kind})


def _close(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    return Change({"closed_at": params["at"]}, State.CLOSED, params.get("note", ""), True)


def _callback(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    value = _required(params, "satisfaction")
    if value not in Satisfaction.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="satisfaction", value=value)
    data: dict[str, Any] = {"satisfaction": value}
    if params.get("by") == "reporter":  # the reporter by tracking code (services/rating.py)
        data["by"] = "reporter"
    if value == Satisfaction.UNSATISFIED:  # reopened: back to rectification
        fields = {"satisfaction": value, "resolution_kind": "", "resolved_at": None, "closed_at": None}
        return Change(fields, State.RECTIFYING, params.get("note", ""), True, data)
    fields = {"satisfaction": value, "closed_at": p.closed_at or params["at"]}
    return Change(fields, State.CLOSED, params.get("note", ""), True, data)


def _merge(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    target: Problem = _required(params, "into")
    if target.pk == p.pk:
        raise DomainError(ErrorCode.MERGE_TARGET, reason="same problem")
    if target.state == State.MERGED:
        raise DomainError(ErrorCode.MERGE_TARGET, reason=str(State(target.state).label))
    if not can_see_problem(actor, target, policy.DISPATCHERS):
        raise PermissionDeniedError()
    Feedback.objects.filter(problem=p).update(problem=target)
    return Change(
        {"merged_into": target}, State.MERGED, params.get("note", ""), True, {"into": target.number}
    )


def _same(to: str | None = None) -> Handler:
    def handler(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
        return Change({}, to or p.state, params.get("note", ""), bool(params.get("public", False)))

    return handler


def _accept(actor: Actor, p: Problem, params: dict[str, Any], cal: WorkCalendar) -> Change:
    fields: dict[str, Any] = {}
    user = user_of(actor)
    if user is not None and p.owner_id is None:
        fields["owner"] = user
    return Change(fields, State.ACCEPTED, params.get("note", ""), True)


HANDLERS: dict[str, Handler] = {
    Action.ASSIGN: _assign,
    Action.ACCEPT: _accept,
    Action.RETURN: _return,
    Action.CLAIM: _claim,
    Action.START: _same(State.RECTIFYING),
    Action.REQUEST_EXTENSION: _request_extension,
    Action.GRANT_EXTENSION: _decide_extension(True),
    Action.DENY_EXTENSION: _decide_extension(False),
    Action.RESOLVE: _resolve,
    Action.CLOSE: _close,
    Action.CALLBACK: _callback,
    Action.MERGE: _merge,
    Action.NOTE: _same(),
}


def allowed_actions(actor: Actor, problem: Problem) -> list[str]:
    """The actions the actor may try on the problem now (for the buttons on its page); not a
    claim of what the actor (as a person) has already claimed."""
    out = [a for a, t in TRANSITIONS.items() if problem.state in t.sources and permitted(actor, problem, t)]
    if Action.CLAIM in out and problem.claimed_by_id is not None:
        user = user_of(actor)
        if user is not None and Person.objects.filter(pk=problem.claimed_by_id, user=user).exists():
            out.remove(Action.CLAIM)
    return out


def permitted(actor: Actor, p: Problem, t: Transition) -> bool:
    """The actor's roles allow ``t`` on the problem (its unit's path, or its responsible unit's)."""
    if t.scope == "responsible":
        return bool(p.responsible_path) and policy.has_role(actor, t.roles, p.responsible_path)
    return can_see_problem(actor, p, t.roles)


def transition_check(actor: Actor, problem: Problem, action: str) -> None:
    """The problem's state allows ``action`` (else ``TRANSITION_NOT_ALLOWED``) and the actor's
    roles allow it there (else ``TRANSITION_ROLE``); ``problem_transition`` checks it again under
    the row lock. A caller may ask first, before reading the action's inputs (the API)."""
    t = TRANSITIONS[Action(action)]
    if problem.state not in t.sources:
        raise DomainError(
            ErrorCode.TRANSITION_NOT_ALLOWED, state=State(problem.state).label, action=Action(action).label
        )
    if not permitted(actor, problem, t):
        raise DomainError(ErrorCode.TRANSITION_ROLE, action=Action(action).label)


def problem_transition(
    *,
    actor: Actor,
    problem: Problem,
    action: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    **params: Any,
) -> Problem:
    """Apply ``action`` to ``problem`` as ``actor`` (``SYSTEM``: imports, jobs, the demo); returns
    the fresh problem."""
    if action not in TRANSITIONS:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="action", value=action)
    cal = calendar or WorkCalendar()
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to responsible_unit
        p = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("responsible_unit")
            .get(pk=problem.pk)
        )
        if not can_see_problem(actor, p):
            raise PermissionDeniedError()
        if expected_version is not None and p.version != expected_version:
            raise DomainError(ErrorCode.TRANSITION_STALE)
        transition_check(actor, p, action)
        params["at"] = at or timezone.now()
        change = HANDLERS[action](actor, p, params, cal)
        # the note is public only when its author ticked 公开, and only on a step shown publicly
        note_public = change.public and bool(params.get("public")) and bool(change.note)
        updated = Problem.objects.filter(pk=p.pk, version=p.version).update(
            state=change.to_state, version=p.version + 1, **change.fields
        )
        if updated != 1:
            raise DomainError(ErrorCode.TRANSITION_STALE)
        event_action = (
            Action.REOPEN if change.to_state == State.RECTIFYING and action == Action.CALLBACK else action
        )
        event = record_event(
            problem=p,
            actor=actor,
            action=event_action,
            from_state=p.state,
            to_state=change.to_state,
            note=change.note,
            public=change.public,
            note_public=note_public,
            data=change.data or {},
            at=params["at"],
        )
        fresh = Problem.objects.get(pk=p.pk)
        notify_event(actor=actor, problem=fresh, action=event_action)
        if event.public:  # a public change or note: the reporters who follow it (minqing.notify)
            public_event_queued(problem=fresh, event=event)
    return fresh


def record_event(
    *,
    problem: Problem,
    actor: Actor | None,
    action: str,
    from_state: str,
    to_state: str,
    note: str = "",
    public: bool = False,
    note_public: bool = False,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> ProblemEvent:
    """One event on the problem's timeline; it names the user or the application (the page shows
    "系统" for the system and for ``None``). The applications subscribed to it get a webhook
    delivery, written in the same transaction (``minqing.webhooks``)."""
    event = new_event(
        problem=problem,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
        note_public=note_public,
        data=data,
        at=at,
    )
    event.save(force_insert=True)
    problem_events_emit([(problem, event)])
    return event


def new_event(
    *,
    problem: Problem,
    actor: Actor | None,
    action: str,
    from_state: str,
    to_state: str,
    note: str = "",
    public: bool = False,
    note_public: bool = False,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> ProblemEvent:
    """``record_event``'s event, unsaved (a bulk load saves many at once, without webhooks)."""
    return ProblemEvent(
        problem=problem,
        at=at or timezone.now(),
        actor=user_of(actor),
        actor_name="" if is_system(actor) else actor_label(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
        note_public=public and note_public and bool(note),
        data=data or {},
    )
