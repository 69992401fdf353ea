"""Inspection pages: the list (filters, counts, export), the form (an inspection with its
findings, which become problems in the ledger), and one inspection with links to its problems.

The form works without JavaScript: findings are repeated rows (a formset); "增加一行" posts
the form back with more blank rows, keeping what was typed.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache

from minqing.core.errors import DomainError
from minqing.core.exports import export_query
from minqing.core.forms import fail
from minqing.core.pages import paginate, parse_date
from minqing.orgs import policy
from minqing.supervision import selectors as sel
from minqing.supervision.enums import InspectionKind
from minqing.supervision.exports import table_response, wanted_format
from minqing.supervision.forms import FindingFormSet, InspectionForm, with_more_rows
from minqing.supervision.models import Inspection
from minqing.supervision.services.inspections import inspection_record
from minqing.supervision.views._common import (
    campaigns,
    current_campaign,
    current_unit,
)

INSPECTION_HEADERS = (
    pgettext_lazy("column", "指导组"),
    gettext_lazy("专题"),
    gettext_lazy("轮次"),
    gettext_lazy("督导日期"),
    gettext_lazy("单位代码"),
    gettext_lazy("单位名称"),
    gettext_lazy("督导方式"),
    gettext_lazy("调阅资料"),
    gettext_lazy("督导情况"),
    gettext_lazy("发现问题数"),
)


def _rows(qs: Any) -> Iterator[list[Any]]:
    for i in qs:
        yield [
            i.group.name,
            i.group.campaign.name,
            i.round,
            i.date,
            i.unit.code,
            i.unit.name,
            i.get_kind_display(),
            "、".join(i.records_checked()),
            i.notes,
            i.n_findings,
        ]


def _group_filter(request: HttpRequest) -> Any:
    value = request.GET.get("group", "")
    if not value.isdigit():
        return None
    return sel.visible_groups(request.user).filter(pk=int(value)).first()


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    kind = request.GET.get("kind", "")
    filters = sel.InspectionFilters(
        campaign=current_campaign(request),
        group=_group_filter(request),
        kind=kind if kind in InspectionKind.values else "",
        start=parse_date(request.GET.get("start")),
        end=parse_date(request.GET.get("end")),
    )
    qs = sel.inspection_list(request.user, unit, filters)
    fmt = wanted_format(request)
    if fmt:
        return table_response(
            request,
            fmt=fmt,
            name=_("督导记录"),
            headers=INSPECTION_HEADERS,
            rows=_rows(qs),
            object_type="supervision.inspection",
        )
    ctx = {
        "unit": unit,
        "filters": filters,
        "campaign": filters.campaign,
        "campaigns": campaigns(request),
        "groups": sel.groups_for_recording(request.user),
        "kinds": InspectionKind.choices,
        "page_obj": paginate(qs, request.GET.get("page")),
        "can_record": policy.has_role(request.user, policy.INSPECTORS),
        "export_query": export_query(request),
    }
    return render(request, "supervision/inspections.html", ctx)


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    group = _group_filter(request)
    if group is not None:
        initial["group"] = group.pk
    if request.GET.get("unit", "").strip():
        initial["unit_code"] = request.GET["unit"].strip()[:32]
    return initial


@never_cache
@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.INSPECTORS)
    if request.method != "POST":
        form = InspectionForm(actor=request.user, initial=_initial(request))
        return _form_page(request, form, FindingFormSet(prefix="finding"))
    if "more" in request.POST:  # 增加一行: the same form, more blank rows, nothing saved
        data = with_more_rows(request.POST)
        # what was typed comes back as initial values: no "required" errors for fields left blank yet
        typed = {name: data.get(name) for name in InspectionForm.base_fields if name in data}
        return _form_page(
            request, InspectionForm(actor=request.user, initial=typed), FindingFormSet(data, prefix="finding")
        )
    form = InspectionForm(request.POST, actor=request.user)
    findings = FindingFormSet(request.POST, prefix="finding")
    if not (form.is_valid() and findings.is_valid()):
        return _form_page(request, form, findings)
    d = form.cleaned_data
    try:
        inspection = inspection_record(
            actor=request.user,
            group=d["group"],
            unit=d["unit_code"],
            date=d["date"],
            kind=d["kind"],
            round=d.get("round"),
            notes=d["notes"],
            records=form.records(),
            findings=findings.specs(),
        )
    except DomainError as err:
        return _form_page(request, form, findings, status=fail(form, err))
    n = inspection.findings.count()
    if n:
        messages.success(request, _("已记录督导,{n} 个问题已登记到问题台账").format(n=n))
    else:
        messages.success(request, _("已记录督导"))
    return redirect("supervision:inspection", pk=inspection.pk)


def _form_page(request: HttpRequest, form: InspectionForm, findings: Any, status: int = 200) -> HttpResponse:
    ctx = {"form": form, "findings": findings}
    return render(request, "supervision/inspection_form.html", ctx, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection: Inspection = sel.inspection_get(request.user, pk)
    ctx = {"inspection": inspection, "findings": sel.inspection_findings(inspection)}
    return render(request, "supervision/inspection.html", ctx)
