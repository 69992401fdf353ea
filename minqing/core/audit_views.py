"""The audit page (``/audit/``): the audit administrator's only (``Duty.AUDIT``; 403 for anyone
else, superusers included), with filters, pages and the export of the filtered rows."""

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.audit import audit
from minqing.core.audit_selectors import AuditFilters, audit_events
from minqing.core.exports import CSV_BOM, FORMATS, NumberText, csv_writer, download, export_query, safe_row
from minqing.core.models import AuditEvent
from minqing.core.pages import paginate
from minqing.orgs import policy
from minqing.orgs.enums import Duty

EXPORT_MAX_ROWS = 200_000


def _headers() -> list[str]:
    return [_("时间"), _("操作人账号"), _("动作"), _("结果"), _("对象类型"), _("对象编号"), _("说明"),
            _("来源地址"), _("客户端")]  # fmt: skip


def _cells(e: AuditEvent) -> list[Any]:
    at = timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")
    return [NumberText(at), e.actor_name, e.get_action_display(), e.get_outcome_display(), e.object_type,
            e.object_id, e.detail, e.ip or "", e.user_agent]  # fmt: skip


def _csv(rows: Any) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(_headers())
    for e in rows:
        writer.writerow(_cells(e))
    return (CSV_BOM + out.getvalue()).encode()


def _xlsx(rows: Any) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("审计记录")[:31])
    ws.append(safe_row(_headers()))
    for e in rows:
        ws.append(safe_row(_cells(e)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def events(request: HttpRequest) -> HttpResponse:
    policy.require_duty(request.user, Duty.AUDIT)
    filters = AuditFilters.from_mapping(request.GET)
    qs = audit_events(request.user, filters)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            return HttpResponseBadRequest(_("不支持的导出格式"))
        audit(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type="core.auditevent",
            detail=f"format={fmt} {filters.described()}".strip(),
            request=request,
        )
        rows = qs[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        return download(_csv(rows) if fmt == "csv" else _xlsx(rows), fmt, _("审计记录"))
    context = {
        "page_obj": paginate(qs, request.GET.get("page")),
        "filters": filters,
        "actions": AuditEvent.Action.choices,
        "outcomes": AuditEvent.Outcome.choices,
        "export_query": export_query(request),
    }
    return render(request, "core/audit_events.html", context)
