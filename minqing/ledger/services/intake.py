"""Intake: feedback on the four channels and problems from every source enter the ledger here."""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from minqing.campaigns.models import Campaign
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.workdays import WorkCalendar
from minqing.ledger import deadlines
from minqing.ledger.access import can_see_problem
from minqing.ledger.enums import Action, Channel, Moderation, Source, State, Urgency
from minqing.ledger.masking import mask_personal
from minqing.ledger.models import (
    Category,
    DeadlineRule,
    Feedback,
    FeedbackIdentity,
    Problem,
    ProblemEvent,
)
from minqing.ledger.services.workflow import new_event
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit
from minqing.webhooks.sources import problem_events_emit

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


@dataclass
class Reporter:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.id_number or self.address)


@dataclass
class ChannelDetails:
    letter_date: dt.date | None = None
    visitors: int | None = None
    group_visit: bool = False


@dataclass
class ProblemFacts:
    """What a new problem starts with, whatever its source."""

    title: str
    description: str
    unit: Unit
    source: str = Source.PUBLIC
    channel: str = ""
    category: Category | None = None
    campaign: Campaign | None = None
    urgency: str = Urgency.NORMAL
    prominent: bool = False
    registered_at: dt.datetime | None = None
    number: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # written by staff (checked by its author, public at once) or a resident's report (pending
    # moderation, with a public title and text suggested with ``reporter_names`` masked)
    checked: bool = True
    reporter_names: tuple[str, ...] = ()


def _check_intake(actor: Actor | None, unit: Unit) -> None:
    """An intake role on ``unit`` or above it, or ``SYSTEM`` (the public form, jobs); ``None``:
    nobody, denied."""
    if not policy.has_role(actor, policy.INTAKE, unit.path):
        raise PermissionDeniedError()


def _problem_number(registered_at: dt.datetime) -> str:
    day = timezone.localtime(registered_at).strftime("%Y%m%d")
    return f"WT{day}{secrets.randbelow(10**6):06d}"


def problem_register(*, actor: Actor, facts: ProblemFacts, calendar: WorkCalendar | None = None) -> Problem:
    """A new problem in state 已登记 with its deadlines and a 登记 event, by an actor with an
    intake role on its unit (or ``SYSTEM``)."""
    _check_intake(actor, facts.unit)
    return problem_register_unchecked(actor=actor, facts=facts, calendar=calendar)


def new_problem(
    facts: ProblemFacts, calendar: WorkCalendar, rules: list[DeadlineRule] | None = None
) -> Problem:
    """The unsaved problem ``facts`` register, in state 已登记 with its deadlines (``rules``: the
    deadline rules loaded once, for a bulk load; None reads them)."""
    if facts.source not in Source.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="source", value=facts.source)
    if facts.channel and facts.channel not in Channel.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="channel", value=facts.channel)
    at = facts.registered_at or timezone.now()
    p = Problem(
        number=facts.number or _problem_number(at),
        campaign=facts.campaign,
        source=facts.source,
        channel=facts.channel,
        category=facts.category,
        title=facts.title[:200],
        description=facts.description,
        unit=facts.unit,
        path=facts.unit.path,
        urgency=facts.urgency,
        prominent=facts.prominent,
        registered_at=at,
        state=State.REGISTERED,
    )
    if facts.checked:  # checked by its author as registered
        p.moderation, p.is_public, p.moderation_at = Moderation.APPROVED, True, at
    else:  # pending since it entered the queue (not since ``at``, which may be back-dated)
        p.moderation, p.is_public, p.moderation_at = Moderation.PENDING, False, timezone.now()
        p.public_title = mask_personal(p.title, facts.reporter_names)[:200]
        p.public_text = mask_personal(p.description, facts.reporter_names)
    p.accept_due, p.due_date = deadlines.initial_dues(p.source, p.channel, p.urgency, at, calendar, rules)
    return p


def problem_register_unchecked(
    *, actor: Actor | None, facts: ProblemFacts, calendar: WorkCalendar | None = None
) -> Problem:
    """``problem_register`` for a caller that has checked the actor's right under its own rule:
    an inspection's findings (the office or an inspector of the unit), a problems file (its rows'
    units), a feedback (intake, checked by ``feedback_submit``). ``actor`` is only who the 登记
    event names (``None``: nobody is named)."""
    p = new_problem(facts, calendar or WorkCalendar())
    at = p.registered_at
    with transaction.atomic():
        for attempt in range(5):
            try:
                with transaction.atomic():
                    p.save()
                break
            except IntegrityError:
                if facts.number or attempt == 4:
                    raise
                p.number = _problem_number(at)
        event = register_event(p, actor, facts.extra)
        event.save(force_insert=True)
        problem_events_emit([(p, event)])  # webhooks: as record_event does; bulk loads emit none
    return p


def register_event(p: Problem, actor: Actor | None, extra: dict[str, Any]) -> ProblemEvent:
    """The 登记 event of a new problem, unsaved, dated its registration."""
    return new_event(
        problem=p,
        actor=actor,
        action=Action.REGISTER,
        from_state="",
        to_state=State.REGISTERED,
        public=True,
        data={"source": p.source, "channel": p.channel, **extra},
        at=p.registered_at,
    )


def feedback_submit(
    *,
    actor: Actor,
    channel: str,
    title: str,
    content: str,
    unit: Unit,
    received_at: dt.datetime | None = None,
    reporter: Reporter | None = None,
    anonymous: bool = False,
    details: ChannelDetails | None = None,
    place: str = "",
    campaign: Campaign | None = None,
    category: Category | None = None,
    urgency: str = Urgency.NORMAL,
    merge_into: Problem | None = None,
    idempotency_key: str | None = None,
    calendar: WorkCalendar | None = None,
) -> Feedback:
    """One submission: a Feedback row, the reporter apart, and a new problem (or an existing one).

    ``SYSTEM`` takes the public online form; a clerk (intake, office, unit staff) records letters,
    visits and calls. A repeated ``idempotency_key`` returns the first submission unchanged.
    """
    if channel not in Channel.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="channel", value=channel)
    if not title.strip() or not content.strip():
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="title/content")
    _check_intake(actor, unit)
    if merge_into is not None and not can_see_problem(actor, merge_into, policy.INTAKE):
        raise PermissionDeniedError()
    if idempotency_key:
        earlier = Feedback.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    details = details or ChannelDetails()
    at = received_at or timezone.now()
    try:
        return _record_feedback(
            actor=actor,
            channel=channel,
            title=title,
            content=content,
            unit=unit,
            at=at,
            reporter=reporter,
            anonymous=anonymous,
            details=details,
            place=place,
            campaign=campaign,
            category=category,
            urgency=urgency,
            merge_into=merge_into,
            idempotency_key=idempotency_key,
            calendar=calendar,
        )
    except IntegrityError:
        # the same idempotency key posted twice at once: the other request won; answer with it
        if not idempotency_key:
            raise
        return Feedback.objects.get(idempotency_key=idempotency_key)


def _record_feedback(
    *,
    actor: Actor,
    channel: str,
    title: str,
    content: str,
    unit: Unit,
    at: dt.datetime,
    reporter: Reporter | None,
    anonymous: bool,
    details: ChannelDetails,
    place: str,
    campaign: Campaign | None,
    category: Category | None,
    urgency: str,
    merge_into: Problem | None,
    idempotency_key: str | None,
    calendar: WorkCalendar | None,
) -> Feedback:
    with transaction.atomic():
        if merge_into is None:
            facts = ProblemFacts(
                title=title,
                description=content,
                unit=unit,
                source=Source.PUBLIC,
                channel=channel,
                category=category,
                campaign=campaign,
                urgency=urgency,
                registered_at=at,
                checked=False,  # a resident's report: on the public list only once checked
                reporter_names=(reporter.name,) if reporter is not None and reporter.name else (),
            )
            problem = problem_register_unchecked(actor=actor, facts=facts, calendar=calendar)
        else:
            problem = merge_into
        fb = Feedback(
            problem=problem,
            channel=channel,
            received_at=at,
            title=title[:200],
            content=content,
            unit=unit,
            place=place,
            anonymous=anonymous,
            tracking_code=new_tracking_code(),
            letter_date=details.letter_date if channel == Channel.LETTER else None,
            visitors=details.visitors if channel == Channel.VISIT else None,
            group_visit=details.group_visit if channel == Channel.VISIT else False,
            idempotency_key=idempotency_key or None,
            created_by=user_of(actor),
        )
        fb.save()
        if reporter is not None and not anonymous and not reporter.is_empty():
            FeedbackIdentity.objects.create(
                feedback=fb,
                name=reporter.name,
                phone=reporter.phone,
                id_number=reporter.id_number,
                address=reporter.address,
            )
    return fb
