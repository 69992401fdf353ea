"""Moderation of the published list (晒出来, issue 14 part 3).

A resident's report (feedback on any channel) is registered ``PENDING``: it is on no public list
and no anonymous Open311 answer until a moderator (``policy.MODERATORS`` over the unit it
concerns) has checked it: approved with a public title and, if wanted, a public text, both
edited to hide what the resident typed about themselves, or kept private. What staff register
themselves (self-inspection, supervision, research, the office's problem files) is checked by
its author and published as written, as before.

When ``MINQING_PUBLIC_AUTO_PUBLISH_HOURS`` is set (0, the default: never), a report that is
still pending that many hours after it entered the queue is published by the moderation job
(``moderation_publish_due``, every 10 minutes by huey) with its suggested public title and text:
the resident's words with phone numbers, ID numbers and the reporter's name masked
(``mask_personal``). A report kept private is never published automatically.

Every decision is a write of the problem (audited by ``core.audit_writes``) and a 公开审核 event
on its staff timeline (never on the public one).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.ledger.access import can_see_problem
from minqing.ledger.enums import Action, Moderation, State
from minqing.ledger.masking import mask_personal
from minqing.ledger.models import FeedbackIdentity, Problem, ProblemEvent
from minqing.ledger.services.workflow import new_event, record_event
from minqing.orgs import policy
from minqing.orgs.actors import SYSTEM, Actor

APPROVE = "approve"
PRIVATE = "private"
DECISIONS = (APPROVE, PRIVATE)
CHUNK = 500


def reporter_names(problem: Problem) -> list[str]:
    """The names the reporters of the problem's feedback gave (for masking only, never shown)."""
    idents = FeedbackIdentity.objects.filter(feedback__problem=problem).only("name")
    return [i.name for i in idents if i.name]


def suggested_public(problem: Problem) -> tuple[str, str]:
    """The public title and text to start from: what is stored (the suggestion made at
    registration, or the last approved wording), else the title and content masked."""
    if problem.public_title:
        return problem.public_title, problem.public_text
    names = reporter_names(problem)
    return mask_personal(problem.title, names), mask_personal(problem.description, names)


def can_moderate(actor: Actor, problem: Problem) -> bool:
    """A moderator (``policy.MODERATORS``) over the unit the problem concerns."""
    return policy.has_role(actor, policy.MODERATORS, problem.path)


def problem_moderate(
    *,
    actor: Actor,
    problem: Problem,
    decision: str,
    public_title: str = "",
    public_text: str = "",
    note: str = "",
) -> Problem:
    """Approve the problem for the public list, with ``public_title`` (empty: the masked title)
    and ``public_text`` (empty: no text on the list), or keep it private (off the list, and never
    published by the delay); a later decision replaces an earlier one. Returns the fresh problem."""
    if decision not in DECISIONS:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="decision", value=decision)
    with transaction.atomic():
        p = Problem.objects.select_for_update().get(pk=problem.pk)
        if not can_see_problem(actor, p):
            raise PermissionDeniedError()
        if not can_moderate(actor, p):
            raise DomainError(ErrorCode.TRANSITION_ROLE, action=Action.MODERATE.label)
        if decision == APPROVE and p.state == State.MERGED:
            raise DomainError(ErrorCode.MODERATION_BAD, reason=State.MERGED.label)
        before = p.moderation
        p.moderation_at = timezone.now()
        if decision == APPROVE:
            title = public_title.strip()[:200] or mask_personal(p.title, reporter_names(p))
            p.moderation, p.is_public = Moderation.APPROVED, True
            p.public_title, p.public_text = title, public_text.strip()
        else:
            p.moderation, p.is_public = Moderation.PRIVATE, False
        p.save(update_fields=["moderation", "moderation_at", "is_public", "public_title", "public_text"])
        record_event(
            problem=p,
            actor=actor,
            action=Action.MODERATE,
            from_state=p.state,
            to_state=p.state,
            note=note.strip(),
            data={"decision": decision, "before": before},
        )
    return Problem.objects.get(pk=p.pk)


def auto_publish_hours() -> float:
    """``MINQING_PUBLIC_AUTO_PUBLISH_HOURS``; 0 or less: never automatically."""
    return float(getattr(settings, "MINQING_PUBLIC_AUTO_PUBLISH_HOURS", 0) or 0)


def moderation_publish_due(now: dt.datetime | None = None) -> int:
    """Publish the reports pending longer than ``MINQING_PUBLIC_AUTO_PUBLISH_HOURS`` (nobody
    checked them, nobody kept them private) with their suggested public title and text; returns
    how many. Idempotent; does nothing when the setting is 0."""
    hours = auto_publish_hours()
    if hours <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=hours)
    due = Problem.objects.filter(moderation=Moderation.PENDING, moderation_at__lte=cutoff).exclude(
        state=State.MERGED
    )
    ids = list(due.values_list("pk", flat=True))
    done = 0
    for chunk in chunked(ids, CHUNK):
        with transaction.atomic():
            rows = list(
                Problem.objects.select_for_update()
                .filter(pk__in=chunk, moderation=Moderation.PENDING)
                .only("pk", "state", "title", "public_title")
            )
            for p in rows:
                if not p.public_title:  # registered before suggestions were stored: mask it now
                    title = mask_personal(p.title, reporter_names(p))
                    Problem.objects.filter(pk=p.pk).update(public_title=title)
            keys = [p.pk for p in rows]
            Problem.objects.filter(pk__in=keys).update(
                moderation=Moderation.APPROVED, is_public=True, moderation_at=now
            )
            events = [
                new_event(
                    problem=p,
                    actor=SYSTEM,
                    action=Action.MODERATE,
                    from_state=p.state,
                    to_state=p.state,
                    data={"decision": APPROVE, "before": Moderation.PENDING, "auto": True},
                    at=now,
                )
                for p in rows
            ]
            ProblemEvent.objects.bulk_create(events)
            if keys:
                audit(
                    actor=SYSTEM,
                    action=AuditEvent.Action.UPDATE,
                    object_type="ledger.problem",
                    detail=f"auto-published after {hours:g} h unchecked: {len(keys)} problems",
                )
            done += len(keys)
    return done
