"""Writes for reform measures (one per department and title) and their dated results."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import ReformMeasure, ReformResult, ReformStatus
from minqing.catalogues.permissions import check_write
from minqing.catalogues.services._common import (
    KeyedRow,
    UpsertResult,
    audit_bulk,
    choice,
    required,
    upsert,
)
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit

TITLE_MAX, RESULT_MAX = 200, 500


def _taken(unit: Unit, title: str, exclude: int | None = None) -> bool:
    qs = ReformMeasure.objects.filter(unit=unit, title=title)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def reform_create(
    *,
    actor: Actor,
    unit: Unit,
    title: str,
    is_key: bool = False,
    status: str = ReformStatus.NOT_STARTED,
    campaign: Campaign | None = None,
    started_on: dt.date | None = None,
) -> ReformMeasure:
    """A new reform measure led by ``unit`` (office of the unit or above, or the unit's staff)."""
    check_write(actor, unit.path)
    title = required(title, "title", TITLE_MAX)
    status = choice(status, "status", ReformStatus.values)
    if _taken(unit, title):
        raise DomainError(ErrorCode.CATALOGUE_REFORM_EXISTS, unit=unit.name, title=title)
    measure = ReformMeasure.objects.create(
        unit=unit,
        path=unit.path,
        title=title,
        is_key=is_key,
        status=status,
        campaign=campaign,
        started_on=started_on,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=measure, detail=f"{unit.code} {title}")
    return measure


@transaction.atomic
def reform_update(
    *,
    actor: Actor,
    measure: ReformMeasure,
    title: str,
    is_key: bool,
    status: str,
    campaign: Campaign | None = None,
    started_on: dt.date | None = None,
) -> ReformMeasure:
    """Change a measure (its department stays): title, key flag, status, campaign, start date."""
    check_write(actor, measure.path)
    measure = ReformMeasure.objects.select_for_update().select_related("unit").get(pk=measure.pk)
    title = required(title, "title", TITLE_MAX)
    status = choice(status, "status", ReformStatus.values)
    if _taken(measure.unit, title, exclude=measure.pk):
        raise DomainError(ErrorCode.CATALOGUE_REFORM_EXISTS, unit=measure.unit.name, title=title)
    before = measure.status
    measure.title, measure.is_key, measure.status = title, is_key, status
    measure.campaign, measure.started_on = campaign, started_on
    measure.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=measure, detail=f"{title} {before}->{status}")
    return measure


@transaction.atomic
def reform_result_add(*, actor: Actor, measure: ReformMeasure, date: dt.date, text: str) -> ReformResult:
    """Record a result (改革成果) of the measure on ``date``; the same text on the same date once."""
    check_write(actor, measure.path)
    text = required(text, "text", RESULT_MAX)
    if ReformResult.objects.filter(measure=measure, date=date, text=text).exists():
        raise DomainError(ErrorCode.CATALOGUE_RESULT_EXISTS, date=date.isoformat())
    result = ReformResult.objects.create(
        measure=measure,
        path=measure.path,
        date=date,
        text=text,
        created_by=user_of(actor),
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=result, detail=f"{measure.pk} {date}")
    return result


def reform_row(*, unit: Unit, title: str, values: dict[str, Any] | None = None) -> KeyedRow:
    """A row for :func:`reforms_upsert`; ``values`` ⊆ is_key, status, campaign, started_on."""
    return KeyedRow(unit, (("title", title),), dict(values or {}))


@dataclass(frozen=True)
class ResultRow:
    unit: Unit
    title: str  # the measure's title (with ``unit``, its key)
    date: dt.date
    text: str


def _clean(row: KeyedRow) -> dict[str, Any]:
    required(dict(row.key)["title"], "title", TITLE_MAX)
    if "status" in row.values:
        choice(row.values["status"], "status", ReformStatus.values)
    return row.values


@transaction.atomic
def reforms_upsert(
    *, actor: Actor, rows: Sequence[KeyedRow], results: Sequence[ResultRow] = (), source: str = ""
) -> UpsertResult:
    """Create or update measures, then add the results not yet recorded (one audit record).

    Results are only ever added: a result already recorded (same measure, date and text) is
    left as it is, and results missing from ``results`` are not removed.
    """
    out = upsert(ReformMeasure, actor=actor, rows=rows, key_fields=("title",), clean=_clean)
    measures: dict[tuple[int, str], ReformMeasure] = {(k[0], k[1]): m for k, m in out.objects.items()}
    missing = {(r.unit.pk, r.title) for r in results} - measures.keys()
    for m in ReformMeasure.objects.filter(title__in=[t for _u, t in missing]):
        measures.setdefault((m.unit_id, m.title), m)
    have = set(
        ReformResult.objects.filter(measure__in=[m.pk for m in measures.values()]).values_list(
            "measure_id", "date", "text"
        )
    )
    new: list[ReformResult] = []
    for r in results:
        measure = measures.get((r.unit.pk, r.title))
        if measure is None:
            raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="title", value=r.title)
        check_write(actor, measure.path)
        text = required(r.text, "text", RESULT_MAX)
        key = (measure.pk, r.date, text)
        if key in have:
            continue
        have.add(key)
        new.append(ReformResult(measure=measure, path=measure.path, date=r.date, text=text))
    ReformResult.objects.bulk_create(new, batch_size=500)
    out.results_added = len(new)
    audit_bulk(
        actor=actor,
        object_type="catalogues.reformmeasure",
        source=source,
        result=out,
        extra=f", results added {len(new)}",
    )
    return out
