"""Pages of reform measures: list with counts, new, detail (results timeline, add a result, edit),
export, upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import reform_summary
from minqing.catalogues.exports import export_reforms
from minqing.catalogues.formats import REFORMS
from minqing.catalogues.forms import ReformForm, ReformResultForm
from minqing.catalogues.models import ReformMeasure, ReformStatus
from minqing.catalogues.permissions import can_write_any, can_write_path, is_office
from minqing.catalogues.services.reforms import reform_create, reform_result_add, reform_update
from minqing.catalogues.views.common import export_query, export_response, fail_status, upload_page
from minqing.core.errors import DomainError


@login_required
def reform_list(request: HttpRequest) -> HttpResponse:
    f = sel.ReformFilters.from_mapping(request.user, request.GET)
    ctx = {
        "f": f,
        "statuses": ReformStatus.choices,
        "campaigns": sel.campaigns(),
        "summary": reform_summary(sel.reforms(request.user, f)),
        "page_obj": sel.reform_page(request.user, f, request.GET.get("page")),
        "export_query": export_query(request),
        "can_write": can_write_any(request.user),
        "can_upload": is_office(request.user),
    }
    return render(request, "catalogues/reform_list.html", ctx)


@login_required
def reform_new(request: HttpRequest) -> HttpResponse:
    if not can_write_any(request.user):
        raise PermissionDenied
    form = ReformForm(request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            measure = reform_create(
                actor=request.user,
                unit=d["unit_code"],
                title=d["title"],
                is_key=d["is_key"],
                status=d["status"],
                campaign=d.get("campaign"),
                started_on=d["started_on"],
            )
        except DomainError as err:
            status = fail_status(form, err)
        else:
            messages.success(request, _("已新增改革举措"))
            return redirect("catalogues:reform", pk=measure.pk)
    ctx = {"form": form, "title": _("新增改革举措"), "back": "catalogues:reforms"}
    return render(request, "catalogues/form.html", ctx, status=status)


def _initial(m: ReformMeasure) -> dict[str, object]:
    return {
        "title": m.title,
        "is_key": m.is_key,
        "status": m.status,
        "campaign": m.campaign_id,
        "started_on": m.started_on,
    }


def _page(
    request: HttpRequest,
    measure: ReformMeasure,
    *,
    form: ReformForm | None = None,
    result_form: ReformResultForm | None = None,
    status: int = 200,
) -> HttpResponse:
    writable = can_write_path(request.user, measure.path)
    if writable:
        form = form or ReformForm(actor=request.user, editing=True, initial=_initial(measure))
        result_form = result_form or ReformResultForm()
    ctx = {
        "measure": measure,
        "results": sel.reform_results(request.user, measure),
        "form": form if writable else None,
        "result_form": result_form if writable else None,
    }
    return render(request, "catalogues/reform_detail.html", ctx, status=status)


@login_required
def reform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The measure and its results; the edit form for those who may write it (POST saves)."""
    measure = sel.reform_get(request.user, pk)
    if request.method != "POST":
        return _page(request, measure)
    if not can_write_path(request.user, measure.path):
        raise PermissionDenied
    form = ReformForm(request.POST, actor=request.user, editing=True)
    if not form.is_valid():
        return _page(request, measure, form=form)
    d = form.cleaned_data
    try:
        reform_update(
            actor=request.user,
            measure=measure,
            title=d["title"],
            is_key=d["is_key"],
            status=d["status"],
            campaign=d.get("campaign"),
            started_on=d["started_on"],
        )
    except DomainError as err:
        return _page(request, measure, form=form, status=fail_status(form, err))
    messages.success(request, _("已保存"))
    return redirect("catalogues:reform", pk=measure.pk)


@require_POST
@login_required
def reform_result_new(request: HttpRequest, pk: int) -> HttpResponse:
    measure = sel.reform_get(request.user, pk)
    if not can_write_path(request.user, measure.path):
        raise PermissionDenied
    form = ReformResultForm(request.POST)
    if not form.is_valid():
        return _page(request, measure, result_form=form)
    try:
        reform_result_add(
            actor=request.user,
            measure=measure,
            date=form.cleaned_data["date"],
            text=form.cleaned_data["text"],
        )
    except DomainError as err:
        return _page(request, measure, result_form=form, status=fail_status(form, err))
    messages.success(request, _("已记录改革成果"))
    return redirect("catalogues:reform", pk=measure.pk)


@login_required
def reform_export(request: HttpRequest) -> HttpResponse:
    f = sel.ReformFilters.from_mapping(request.user, request.GET)
    qs = sel.reforms(request.user, f)
    return export_response(
        request,
        fmt=REFORMS,
        object_type="catalogues.reformmeasure",
        build=lambda kind: export_reforms(qs, kind),
    )


@login_required
def reform_upload(request: HttpRequest) -> HttpResponse:
    return upload_page(
        request,
        kind="reforms",
        fmt=REFORMS,
        title=_("导入改革举措"),
        back="catalogues:reforms",
        help_text=_(
            "一行一条改革成果:有多条成果的举措占多行,各行的举措列须一致;没有成果的举措占一行,成果列留空。"
            "部门代码 + 举措名称 相同的举措更新,否则新增;成果只增加不删除;重复导入同一文件不会产生变化。"
        ),
    )
