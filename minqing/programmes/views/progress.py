"""Pages that write progress: the report form, the Excel upload (with its template) and the list of
reports with its export in the upload format. Thin views over ``selectors``, ``forms`` and the
services; a user without a reporting role in the programme gets a 403 and nothing changes.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.exports import FORMATS, download
from minqing.core.forms import fail
from minqing.core.importing import ImportFailed
from minqing.core.importing.audited import audited_import
from minqing.core.importing.uploads import saved_upload
from minqing.core.models import AuditEvent
from minqing.core.pages import paginate, parse_date
from minqing.orgs.models import Unit
from minqing.programmes import exports, selectors
from minqing.programmes.forms import ReportForm, UploadForm
from minqing.programmes.importers.progress import progress_bulk_upload
from minqing.programmes.models import Programme
from minqing.programmes.services.progress import progress_report
from minqing.programmes.views.pages import can_report_in


def _require_reporter(request: HttpRequest, programme: Programme) -> None:
    if not can_report_in(request.user, programme):
        raise PermissionDenied


def _detail_url(programme: Programme, unit: Unit | None = None) -> str:
    url = reverse("programmes:detail", args=[programme.pk])
    return f"{url}?unit={unit.code}" if unit is not None else url


@never_cache
@login_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    _require_reporter(request, programme)
    targets = selectors.targets(programme)
    initial: dict[str, Any] = {}
    unit = selectors.default_unit(request.user, programme)
    code = request.GET.get("unit", "").strip()
    if code:
        unit = selectors.unit_in_programme(request.user, programme, code) or unit
    if unit is not None:
        initial["unit_code"] = unit.code
    form = ReportForm(
        request.POST or None, actor=request.user, programme=programme, targets=targets, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        target, mode = d["target"]
        target.programme = programme
        try:
            done = progress_report(
                actor=request.user,
                target=target,
                unit=d["unit_code"],
                mode=mode,
                date=d["date"],
                in_progress=d["in_progress"],
                completed=d["completed"],
                funds=d["funds"],
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            if done.outcome == "updated":
                messages.success(request, _("已更正同一日期的进度报告"))
            elif done.outcome == "unchanged":
                messages.info(request, _("与已有的进度报告相同,未作修改"))
            else:
                messages.success(request, _("已填报进度"))
            if done.over_plan:
                messages.warning(request, _("请核实:{warning}").format(warning=done.over_plan))
            return redirect(_detail_url(programme, d["unit_code"]))
    context = {"programme": programme, "form": form, "targets": targets}
    return render(request, "programmes/report.html", context, status=status)


@never_cache
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form; POST: check the whole file, then write all of it or nothing (row errors)."""
    programme = selectors.programme_get(request.user, pk)
    _require_reporter(request, programme)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"programme": programme, "form": form, "targets": selectors.targets(programme)}
    if request.method == "POST" and form.is_valid():
        upload_file: UploadedFile = form.cleaned_data["file"]
        context["filename"] = upload_file.name
        with saved_upload(upload_file) as path:
            try:
                with audited_import("progress", upload_file.name or path.name, actor=request.user) as state:
                    result = state.result = progress_bulk_upload(
                        actor=request.user, path=path, programme=programme
                    )
            except ImportFailed as exc:
                context["issues"] = exc.issues
                context["failed"] = DomainError(
                    ErrorCode.IMPORT_FAILED, name=upload_file.name, count=len(exc.issues)
                ).bilingual()
                return render(request, "programmes/upload.html", context, status=200)
            except DomainError as err:
                context["failed"] = err.bilingual()
                return render(request, "programmes/upload.html", context, status=200)
        context["result"] = result
        context["form"] = UploadForm()
    return render(request, "programmes/upload.html", context)


@login_required
def upload_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The xlsx to fill in: one row per unit (the chosen unit's children with a plan, else the
    unit itself), target and mode."""
    programme = selectors.programme_get(request.user, pk)
    _require_reporter(request, programme)
    unit = selectors.unit_or_404(request.user, programme, request.GET.get("unit", ""))
    progress = selectors.programme_progress(request.user, programme, unit, timezone.localdate(), series=False)
    units = progress.children or [unit]
    data = exports.upload_template(programme, units, selectors.targets(programme), timezone.localdate())
    return download(data, "xlsx", _("{programme}进度填报模板").format(programme=programme.name))


@login_required
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The reports of a unit's subtree, filtered; ``?format=xlsx|csv`` exports them for upload."""
    programme = selectors.programme_get(request.user, pk)
    unit = selectors.unit_or_404(request.user, programme, request.GET.get("unit", ""))
    targets = selectors.targets(programme)
    key = request.GET.get("target", "")
    filters = selectors.ReportFilters(
        target=key if key in {t.key for t in targets} else "",
        start=parse_date(request.GET.get("start")),
        end=parse_date(request.GET.get("end")),
    )
    qs = selectors.report_list(request.user, programme, unit, filters)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            return HttpResponseBadRequest(_("不支持的导出格式"))
        audit(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            obj=programme,
            detail=f"reports format={fmt} unit={unit.code}",
            request=request,
        )
        name = _("{programme}进度报告").format(programme=programme.name)
        return download(exports.export_reports(programme, qs, fmt), fmt, name)  # type: ignore[arg-type]
    context = {
        "programme": programme,
        "unit": unit,
        "targets": targets,
        "filters": filters,
        "page_obj": paginate(qs, request.GET.get("page")),
    }
    return render(request, "programmes/reports.html", context)
