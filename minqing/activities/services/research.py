"""Writes for research: topics (课题), interviews in person-times (访谈人次), reports (调研报告)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from minqing.activities.models import Interview, ResearchReport, ResearchTopic
from minqing.activities.services._common import check_visible, check_writer
from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit


def _required(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=field)
    return value


@transaction.atomic
def topic_create(
    *,
    actor: Actor,
    title: str,
    leader: Person,
    unit: Unit,
    campaign: Campaign | None = None,
    is_key: bool = False,
    at: dt.datetime | None = None,
) -> ResearchTopic:
    """A research topic of ``unit`` led by ``leader``; office or unit staff of the unit (or above)."""
    check_writer(actor, unit.path)
    check_visible(actor, leader.path)
    topic = ResearchTopic.objects.create(
        title=_required(title, "title")[:200],
        leader=leader,
        unit=unit,
        path=unit.path,
        is_key=is_key,
        campaign=campaign,
        created_at=at or timezone.now(),
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=topic, detail=topic.title)
    return topic


@transaction.atomic
def interview_record(
    *, actor: Actor, topic: ResearchTopic, date: dt.date, person_times: int, notes: str = ""
) -> Interview:
    """One interview session of the topic with the number of people talked to (人次)."""
    check_writer(actor, topic.path)
    if person_times < 1:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="person_times", value=str(person_times))
    row = Interview.objects.create(topic=topic, date=date, person_times=person_times, notes=notes[:300])
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=row, detail=f"{topic.pk} {person_times}")
    return row


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    topic: ResearchTopic,
    title: str,
    author: Person | None = None,
    submitted_on: dt.date | None = None,
) -> ResearchReport:
    """The topic's report; the author is the topic's leader unless given."""
    check_writer(actor, topic.path)
    author = author or topic.leader
    if author.pk != topic.leader_id:
        check_visible(actor, author.path)
    report = ResearchReport.objects.create(
        topic=topic,
        author=author,
        title=_required(title, "title")[:200],
        submitted_on=submitted_on or timezone.localdate(),
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=report, detail=report.title)
    return report
