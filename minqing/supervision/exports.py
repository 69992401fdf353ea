"""The export button of the supervision lists: the rows on screen (all pages) as xlsx or csv."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from minqing.core.audit import audit
from minqing.core.exports import CSV_BOM, FORMATS, NumberText, csv_writer, download, safe_row
from minqing.core.models import AuditEvent


def wanted_format(request: HttpRequest) -> str:
    """``?format=xlsx|csv`` asks for a file; "" for the page; anything else is a bad request."""
    return request.GET.get("format", "").strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return NumberText(value.isoformat())
    return value if isinstance(value, str) else NumberText(value)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return (CSV_BOM + out.getvalue()).encode()


def write_xlsx(sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.append(safe_row(headers))
    for row in rows:
        line: list[Any] = []
        for v in row:
            if hasattr(v, "isoformat") and not isinstance(v, str):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                line.append(cell)
            elif isinstance(v, int) and not isinstance(v, bool):
                line.append(v)
            else:
                line.append(_text(v))  # codes stay text, so their zeros stay
        ws.append(safe_row(line))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(
    request: HttpRequest,
    *,
    fmt: str,
    name: str,
    headers: Sequence[str | Promise],
    rows: Iterable[Sequence[Any]],
    object_type: str,
) -> HttpResponse:
    """The table as a download (its headers in the page's language), the export audited."""
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        detail=f"format={fmt} {request.GET.urlencode()}"[:500],
        request=request,
    )
    titles = [str(h) for h in headers]
    body = write_csv(titles, rows) if fmt == "csv" else write_xlsx(name, titles, rows)
    return download(body, fmt, name)
