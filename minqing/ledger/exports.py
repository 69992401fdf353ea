"""Exports of the problem ledger in the 问题 format (xlsx or csv), re-importable unchanged.

Only problems the actor may see are written (``scoped_problems``), ordered by number (not by
registration time, which a file holds only to the second), so the same ledger always gives the
same bytes for csv, before and after a round trip. Rows are read with
``iterator()`` and written as they come: csv can stream (``iter_csv``), xlsx uses openpyxl's
write-only mode. Reporter identity is not part of the 问题 format and is never exported.
"""

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from minqing.core.exports import CSV_BOM, Format, csv_line_writer, safe_row
from minqing.core.paths import prefix_q
from minqing.ledger.access import scoped_problems
from minqing.ledger.enums import Channel, Source, State
from minqing.ledger.models import Problem
from minqing.ledger.problem_format import HEADERS, KEYS, ProblemRow
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit

CHUNK = 2000
DATETIME_KEYS = frozenset({"registered_at", "resolved_at"})
RELATED = ("campaign", "unit", "responsible_unit", "claimed_by")


@dataclass(frozen=True)
class ExportFilters:
    """The staff queue's filters: state, source, channel, unit (code; its subtree), q (title or number)."""

    state: str = ""
    source: str = ""
    channel: str = ""
    unit: str = ""
    q: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ExportFilters":
        def pick(name: str, allowed: list[str]) -> str:
            value = str(data.get(name) or "").strip()
            return value if value in allowed else ""

        return cls(
            state=pick("state", State.values),
            source=pick("source", Source.values),
            channel=pick("channel", Channel.values),
            unit=str(data.get("unit") or "").strip()[:32],
            q=str(data.get("q") or "").strip()[:100],
        )


def filtered_problems(actor: Actor, filters: ExportFilters | None = None) -> QuerySet[Problem]:
    """The problems the actor may see, narrowed by ``filters`` (an unknown or out-of-scope unit: none)."""
    f = filters or ExportFilters()
    q = Q()
    if f.state:
        q &= Q(state=f.state)
    if f.source:
        q &= Q(source=f.source)
    if f.channel:
        q &= Q(channel=f.channel)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        if unit is None or not can_access_unit(actor, unit):
            return Problem.objects.none()
        q &= prefix_q(unit.path, "path") | prefix_q(unit.path, "responsible_path")
    if f.q:
        q &= Q(title__contains=f.q) | Q(number__startswith=f.q)
    return scoped_problems(Problem.objects.filter(q), actor)


def problem_rows(actor: Actor, queryset: QuerySet[Problem]) -> Iterator[ProblemRow]:
    """The visible problems of ``queryset`` as rows, in a stable order, read in chunks."""
    qs = scoped_problems(queryset, actor).select_related(*RELATED).order_by("number")
    for p in qs.iterator(chunk_size=CHUNK):
        yield ProblemRow.of(p)


def iter_csv(rows: Iterable[ProblemRow]) -> Iterator[bytes]:
    """UTF-8 csv (with BOM) line by line: the header, then one line per row."""
    writer = csv_line_writer()
    yield (CSV_BOM + writer.writerow(HEADERS)).encode()
    for row in rows:
        yield writer.writerow(row.line()).encode()


def _xlsx_value(key: str, row: ProblemRow, text: str) -> Any:
    """Dates as Excel dates (local, naive); everything else as text, so codes keep their zeros."""
    if key in DATETIME_KEYS and text:
        value: dt.datetime | None = getattr(row, key)
        assert value is not None
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return text


def write_xlsx(rows: Iterable[ProblemRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(gettext("问题"))  # the importer reads the first sheet, whatever its name
    ws.append(safe_row(HEADERS))
    for row in rows:
        cells = row.cells()
        line = []
        for key in KEYS:
            value = _xlsx_value(key, row, cells[key])
            if isinstance(value, dt.datetime):
                cell = WriteOnlyCell(ws, value=value)
                has_time = (value.hour, value.minute, value.second) != (0, 0, 0)
                cell.number_format = "yyyy-mm-dd hh:mm:ss" if has_time else "yyyy-mm-dd"
                line.append(cell)
            else:
                line.append(value)
        ws.append(safe_row(line))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_problems(actor: Actor, queryset: QuerySet[Problem], fmt: Format) -> bytes:
    """The problems of ``queryset`` the actor may see, in the 问题 format, as an xlsx or csv file."""
    rows = problem_rows(actor, queryset)
    if fmt == "csv":
        return b"".join(iter_csv(rows))
    if fmt == "xlsx":
        return write_xlsx(rows)
    raise ValueError(f"unknown export format {fmt!r}")
