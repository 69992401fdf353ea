"""Writes for visits: a cadre's visit to a household or a contact point (a unit).

A problem raised on a visit enters the ledger through ``problem_register`` with source
调研发现 (``Source.RESEARCH``): the cadre found it while out visiting, it did not come in on
one of the four public channels (来信、来访、来电、网络), so it has no channel. Its unit is
the visited unit: the household's grid, or the contact point itself.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from minqing.activities.models import Visit
from minqing.activities.services._common import check_writer
from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.ledger.enums import Source
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.orgs.actors import Actor
from minqing.orgs.models import Household, Person, Unit

PROBLEM_SOURCE = Source.RESEARCH


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    cadre: Person,
    date: dt.date,
    household: Household | None = None,
    unit: Unit | None = None,
    notes: str = "",
    problem_title: str = "",
    problem_text: str = "",
    campaign: Campaign | None = None,
) -> Visit:
    """Record a visit to exactly one of ``household`` or ``unit`` (a contact point).

    Office or unit staff of the visited unit (or above) record it. With ``problem_title`` a
    problem is registered in the ledger and linked from the visit.
    """
    if (household is None) == (unit is None):
        raise DomainError(ErrorCode.VISIT_ONE_TARGET)
    target_unit = household.grid if household is not None else unit
    assert target_unit is not None
    path = household.path if household is not None else target_unit.path
    check_writer(actor, path)
    if date > timezone.localdate():
        raise DomainError(ErrorCode.VISIT_FUTURE_DATE, value=str(date))
    problem_title, problem_text = problem_title.strip(), problem_text.strip()
    if problem_text and not problem_title:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="problem_title")
    visit = Visit.objects.create(
        cadre=cadre, household=household, unit=unit, path=path, date=date, notes=notes
    )
    if problem_title:
        facts = ProblemFacts(
            title=problem_title,
            description=problem_text or problem_title,
            unit=target_unit,
            source=PROBLEM_SOURCE,
            campaign=campaign,
            extra={"visit": visit.pk, "cadre": cadre.number},
        )
        visit.problem = problem_register(actor=actor, facts=facts)
        visit.save(update_fields=["problem"])
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=visit, detail=f"{cadre.number} {date}")
    return visit
