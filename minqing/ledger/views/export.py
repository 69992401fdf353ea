"""The export button of the staff queue: the visible, filtered problems as an xlsx or csv download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from minqing.core.audit import audit
from minqing.core.exports import FORMATS, download, download_stream
from minqing.core.models import AuditEvent
from minqing.core.replica import replica_reads
from minqing.ledger.exports import (
    ExportFilters,
    filtered_problems,
    iter_csv,
    problem_rows,
    write_xlsx,
)


@login_required
@replica_reads
def problem_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """``?format=xlsx|csv`` (default xlsx) plus the queue's filters: state, source, channel, unit, q."""
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    filters = ExportFilters.from_mapping(request.GET)
    qs = filtered_problems(request.user, filters)
    detail = f"format={fmt} " + " ".join(f"{k}={v}" for k, v in vars(filters).items() if v)
    if fmt == "csv":  # streamed: the audit row cannot count the lines written, so count here
        detail += f" problems={qs.count()}"
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="ledger.problem",
        detail=detail.strip(),
        request=request,
    )
    name = _("问题清单")
    rows = problem_rows(request.user, qs)
    if fmt == "csv":
        return download_stream(iter_csv(rows), fmt, name)
    return download(write_xlsx(rows), fmt, name)
