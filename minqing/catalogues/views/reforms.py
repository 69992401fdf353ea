"""Pages of reform measures: list with counts, new, detail (results timeline, add a result, edit),
export, upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import reform_summary
from minqing.catalogues.exports import export_reforms
from minqing.catalogues.formats import REFORMS
from minqing.catalogues.forms import RecordForm, ReformForm, ReformResultForm
from minqing.catalogues.models import ReformMeasure, ReformStatus
from minqing.catalogues.permissions import can_write_path
from minqing.catalogues.services.reforms import reform_create, reform_result_add, reform_update
from minqing.catalogues.views.common import (
    edit_page,
    export_view,
    list_view,
    new_view,
    upload_view,
)
from minqing.catalogues.views.kinds import CatalogueKind, Reads, Words, Writes
from minqing.core.errors import DomainError
from minqing.core.forms import fail

REFORM = CatalogueKind(
    name="reform",
    fmt=REFORMS,
    export=export_reforms,
    reads=Reads(sel.ReformFilters.from_mapping, sel.reforms, sel.reform_page, reform_summary),
    choices=lambda actor: {"statuses": ReformStatus.choices, "campaigns": sel.campaigns()},
    writes=Writes(ReformForm, reform_create, reform_update, record="measure"),
    words=Words(
        new=_("新增改革举措"),
        created=_("已新增改革举措"),
        upload=_("导入改革举措"),
    ),
    upload_help=_(
        "一行一条改革成果:有多条成果的举措占多行,各行的举措列须一致;没有成果的举措占一行,成果列留空。"
        "部门代码 + 举措名称 相同的举措更新,否则新增;成果只增加不删除;重复导入同一文件不会产生变化。"
    ),
)

reform_list = list_view(REFORM)
reform_new = new_view(REFORM)
reform_export = export_view(REFORM)
reform_upload = upload_view(REFORM)


def _page(
    request: HttpRequest,
    measure: ReformMeasure,
    *,
    form: RecordForm | None = None,
    result_form: ReformResultForm | None = None,
    status: int = 200,
) -> HttpResponse:
    writable = can_write_path(request.user, measure.path)
    if writable:
        form = form or ReformForm(actor=request.user, editing=True, initial=ReformForm.initial_for(measure))
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
    return edit_page(
        request, REFORM, measure, lambda form, status: _page(request, measure, form=form, status=status)
    )


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
        return _page(request, measure, result_form=form, status=fail(form, err))
    messages.success(request, gettext("已记录改革成果"))
    return redirect("catalogues:reform", pk=measure.pk)
