"""The export button of the staff queue: the visible, filtered problems as an xlsx or csv download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.ledger.exports import (
    FORMATS,
    ExportFilters,
    filtered_problems,
    iter_csv,
    problem_rows,
    write_xlsx,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def problem_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """``?format=xlsx|csv`` (default xlsx) plus the queue's filters: state, source, channel, unit, q."""
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    filters = ExportFilters.from_mapping(request.GET)
    qs = filtered_problems(request.user, filters)
    detail = f"format={fmt} " + " ".join(f"{k}={v}" for k, v in vars(filters).items() if v)
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="ledger.problem",
        detail=detail.strip(),
        request=request,
    )
    filename = _("问题清单") + f"-{timezone.localdate():%Y%m%d}.{fmt}"
    rows = problem_rows(request.user, qs)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(rows), content_type=CONTENT_TYPES[fmt])
    else:
        response = HttpResponse(write_xlsx(rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
