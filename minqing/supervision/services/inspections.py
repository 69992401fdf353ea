"""Writes for inspections: a guidance group's visit to a unit, and the problems it found.

Who: the office (领导小组办公室) or an inspector (督导组成员) of the inspected unit or of a unit
above it; ``SYSTEM`` (demo, imports) records anywhere.

Rounds (轮次): round n of a group is the group's n-th sweep through its units. An explicit
round must lie between 1 and the group's latest round + 1 (rounds do not skip numbers). Without
one, the inspection joins the group's latest round, unless the group has already been to this
unit on another day in that round: then the group has come back, and a new round begins. The
first inspection of a group is round 1; several inspections of one unit on one day (a meeting
sat in on and its records checked) are one visit, in one round.

Findings: each becomes a problem in the ledger through ``problem_register`` with source
督导发现, the inspected unit as its unit and the group's campaign; the inspection, its
findings and their problems are written in one transaction: all or nothing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.ledger.enums import Source
from minqing.ledger.models import Category
from minqing.ledger.services.intake import ProblemFacts, problem_register_unchecked
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit
from minqing.supervision.enums import InspectionKind
from minqing.supervision.models import Finding, GroupUnit, GuidanceGroup, Inspection

PROBLEM_SOURCE = Source.SUPERVISION
TITLE_MAX = 60
FOUND_AT = dt.time(17, 0)  # a finding of a past day is registered at the end of that working day


@dataclass(frozen=True)
class FindingSpec:
    """One problem found: its text (the problem's description), optional category and title
    (default: the text's first line, cut to 60 characters) and problem number (imports, demo)."""

    text: str
    category: Category | None = None
    title: str = ""
    number: str = ""


@dataclass(frozen=True)
class RecordsChecked:
    """What a records check (调阅) looked at."""

    minutes: bool = False
    scripts: bool = False
    media: bool = False

    def any(self) -> bool:
        return self.minutes or self.scripts or self.media


def can_record(actor: Actor, unit: Unit) -> bool:
    """Office or inspector of ``unit`` or of a unit above it (``SYSTEM`` everywhere)."""
    return policy.has_role(actor, policy.INSPECTORS, unit.path)


def in_group_range(group: GuidanceGroup, unit: Unit) -> bool:
    """The unit lies under one of the group's assigned units (under its sending unit if it has none)."""
    paths = list(GroupUnit.objects.filter(group=group).values_list("path", flat=True)) or [group.path]
    return any(unit.path.startswith(p) for p in paths)


def latest_round(group: GuidanceGroup) -> int:
    return Inspection.objects.filter(group=group).aggregate(n=Max("round"))["n"] or 0


def next_round(group: GuidanceGroup, unit: Unit, date: dt.date) -> int:
    """The round an inspection of ``unit`` on ``date`` joins when none is given (module doc)."""
    latest = latest_round(group)
    if latest == 0:
        return 1
    back = Inspection.objects.filter(group=group, round=latest, unit=unit).exclude(date=date).exists()
    return latest + 1 if back else latest


def title_of(text: str) -> str:
    line = text.strip().splitlines()[0].strip()
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1] + "…"


def _found_at(date: dt.date, at: dt.datetime) -> dt.datetime:
    if date == timezone.localdate(at):
        return at
    return timezone.make_aware(dt.datetime.combine(date, FOUND_AT))


def _validate(
    *, kind: str, date: dt.date, records: RecordsChecked, findings: Sequence[FindingSpec], at: dt.datetime
) -> None:
    if kind not in InspectionKind.values:
        raise DomainError(ErrorCode.SUPERVISION_BAD_KIND, value=kind)
    if date > timezone.localdate(at):
        raise DomainError(ErrorCode.SUPERVISION_FUTURE_DATE, value=str(date))
    if kind == InspectionKind.RECORDS_CHECK and not records.any():
        raise DomainError(ErrorCode.SUPERVISION_RECORDS_REQUIRED)
    if kind != InspectionKind.RECORDS_CHECK and records.any():
        raise DomainError(ErrorCode.SUPERVISION_RECORDS_NOT_CHECK)
    for n, f in enumerate(findings, start=1):
        if not f.text.strip():
            raise DomainError(ErrorCode.SUPERVISION_FINDING_EMPTY, n=n)


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    group: GuidanceGroup,
    unit: Unit,
    date: dt.date,
    kind: str,
    round: int | None = None,
    notes: str = "",
    records: RecordsChecked | None = None,
    findings: Sequence[FindingSpec] = (),
    at: dt.datetime | None = None,
) -> Inspection:
    """Record one inspection with its findings, each registered in the ledger as a problem."""
    if not can_record(actor, unit):
        raise PermissionDeniedError()
    at = at or timezone.now()
    records = records or RecordsChecked()
    _validate(kind=kind, date=date, records=records, findings=findings, at=at)
    # one writer per group at a time, so two recorders never compute the same "next" round apart
    group = GuidanceGroup.objects.select_for_update().select_related("campaign").get(pk=group.pk)
    if not in_group_range(group, unit):
        raise DomainError(ErrorCode.SUPERVISION_OUTSIDE_GROUP, code=unit.code, group=group.name)
    if round is None:
        round = next_round(group, unit, date)
    elif not 1 <= round <= latest_round(group) + 1:
        raise DomainError(ErrorCode.SUPERVISION_BAD_ROUND, max=latest_round(group) + 1)
    inspection = Inspection.objects.create(
        group=group,
        unit=unit,
        path=unit.path,
        date=date,
        kind=kind,
        round=round,
        checked_minutes=records.minutes,
        checked_scripts=records.scripts,
        checked_media=records.media,
        notes=notes.strip(),
        recorded_by=user_of(actor),
        recorded_at=at,
    )
    found_at = _found_at(date, at)
    for position, f in enumerate(findings):
        text = f.text.strip()
        facts = ProblemFacts(
            title=(f.title.strip() or title_of(text))[:200],
            description=text,
            unit=unit,
            source=PROBLEM_SOURCE,
            category=f.category,
            campaign=group.campaign,
            registered_at=found_at,
            number=f.number,
            extra={"inspection": inspection.pk, "group": group.name, "round": round},
        )
        # the permission is the one checked above (office or inspector): not the intake roles
        problem = problem_register_unchecked(actor=actor, facts=facts)
        Finding.objects.create(
            inspection=inspection, position=position, text=text, category=f.category, problem=problem
        )
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=inspection,
        detail=f"{group.name} #{round} {unit.code} {date} {kind} findings={len(findings)}",
    )
    return inspection
