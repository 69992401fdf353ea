"""Exports of the three catalogues in their import formats (``formats``), re-importable unchanged.

The caller passes an already scoped and filtered queryset (``selectors``); rows come out in a
stable order (by unit code, then the natural key), so the same records give the same bytes.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from minqing.catalogues.formats import (
    COMMENDATIONS,
    POWERS,
    REFORMS,
    ExportFormat,
    category_word,
    date_text,
    status_word,
    write,
    yes_no,
)
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure, ReformResult, category_order

CHUNK = 2000


def power_rows(qs: QuerySet[PowerItem]) -> Iterator[dict[str, str]]:
    items = qs.select_related("unit").order_by("unit__code", category_order(), "name", "pk")
    for item in items.iterator(chunk_size=CHUNK):
        yield {
            "unit_code": item.unit.code,
            "unit_name": item.unit.name,
            "category": category_word(item.category),
            "name": item.name,
            "code": item.code,
            "legal_basis": item.legal_basis,
            "published_on": date_text(item.published_on),
            "is_active": yes_no(item.is_active),
        }


def reform_rows(qs: QuerySet[ReformMeasure]) -> Iterator[dict[str, str]]:
    """One row per result; a measure without results, one row with the result columns blank."""
    measures = list(qs.select_related("unit", "campaign").order_by("unit__code", "title", "pk"))
    results: dict[int, list[ReformResult]] = {}
    ids = [m.pk for m in measures]
    for i in range(0, len(ids), 900):
        for r in ReformResult.objects.filter(measure_id__in=ids[i : i + 900]).order_by("date", "text", "pk"):
            results.setdefault(r.measure_id, []).append(r)
    for m in measures:
        base = {
            "unit_code": m.unit.code,
            "unit_name": m.unit.name,
            "title": m.title,
            "is_key": yes_no(m.is_key),
            "status": status_word(m.status),
            "campaign": m.campaign.name if m.campaign else "",
            "started_on": date_text(m.started_on),
        }
        mine: list[ReformResult | None] = [*results.get(m.pk, [])] or [None]
        for res in mine:
            yield {
                **base,
                "result_date": date_text(res.date) if res else "",
                "result_text": res.text if res else "",
            }


def commendation_rows(qs: QuerySet[Commendation]) -> Iterator[dict[str, str]]:
    """Names and person numbers only: never a phone or ID number."""
    rows = qs.select_related("unit", "person", "campaign").order_by(
        "unit__code", "date", "title", "name", "pk"
    )
    for c in rows.iterator(chunk_size=CHUNK):
        yield {
            "name": c.name,
            "person_number": c.person.number if c.person else "",
            "unit_code": c.unit.code,
            "unit_name": c.unit.name,
            "title": c.title,
            "date": date_text(c.date),
            "decided_on": date_text(c.decided_on),
            "awarded_by": c.awarded_by,
            "campaign": c.campaign.name if c.campaign else "",
        }


def export_powers(qs: QuerySet[PowerItem], kind: ExportFormat) -> bytes:
    return write(POWERS, power_rows(qs), kind)


def export_reforms(qs: QuerySet[ReformMeasure], kind: ExportFormat) -> bytes:
    return write(REFORMS, reform_rows(qs), kind)


def export_commendations(qs: QuerySet[Commendation], kind: ExportFormat) -> bytes:
    return write(COMMENDATIONS, commendation_rows(qs), kind)
