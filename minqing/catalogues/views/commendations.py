"""Pages of commendations: list with counts by title and year, new, detail/edit, export, upload.

A commendation is a public honour: its pages show the honouree's name, never a phone or ID
number (those live in ``PersonIdentity``, which nothing here reads).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import commendation_summary
from minqing.catalogues.exports import export_commendations
from minqing.catalogues.formats import COMMENDATIONS
from minqing.catalogues.forms import COMMON_TITLES, CommendationForm
from minqing.catalogues.models import Commendation
from minqing.catalogues.permissions import can_write_any, can_write_path, is_office
from minqing.catalogues.services.commendations import commendation_create, commendation_update
from minqing.catalogues.views.common import export_query, export_response, fail_status, upload_page
from minqing.core.errors import DomainError


@login_required
def commendation_list(request: HttpRequest) -> HttpResponse:
    f = sel.CommendationFilters.from_mapping(request.user, request.GET)
    titles, years = sel.commendation_choices(request.user)
    ctx = {
        "f": f,
        "titles": titles,
        "years": years,
        "campaigns": sel.campaigns(),
        "summary": commendation_summary(sel.commendations(request.user, f)),
        "page_obj": sel.commendation_page(request.user, f, request.GET.get("page")),
        "export_query": export_query(request),
        "can_write": can_write_any(request.user),
        "can_upload": is_office(request.user),
    }
    return render(request, "catalogues/commendation_list.html", ctx)


def _form_page(request: HttpRequest, ctx: dict[str, object], status: int = 200) -> HttpResponse:
    ctx.setdefault("datalist", COMMON_TITLES)
    return render(request, "catalogues/form.html", ctx, status=status)


@login_required
def commendation_new(request: HttpRequest) -> HttpResponse:
    if not can_write_any(request.user):
        raise PermissionDenied
    form = CommendationForm(request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = commendation_create(
                actor=request.user,
                unit=d["unit_code"],
                person=d["person_number"],
                name=d["name"],
                title=d["title"],
                date=d["date"],
                decided_on=d["decided_on"],
                awarded_by=d["awarded_by"],
                campaign=d.get("campaign"),
            )
        except DomainError as err:
            status = fail_status(form, err)
        else:
            messages.success(request, _("已新增表彰"))
            return redirect("catalogues:commendation", pk=row.pk)
    ctx: dict[str, object] = {"form": form, "title": _("新增表彰"), "back": "catalogues:commendations"}
    return _form_page(request, ctx, status)


def _initial(c: Commendation) -> dict[str, object]:
    return {
        "person_number": c.person.number if c.person else "",
        "name": c.name,
        "title": c.title,
        "date": c.date,
        "decided_on": c.decided_on,
        "awarded_by": c.awarded_by,
        "campaign": c.campaign_id,
    }


@login_required
def commendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = sel.commendation_get(request.user, pk)
    writable = can_write_path(request.user, row.path)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    form = None
    status = 200
    if writable:
        form = CommendationForm(request.POST or None, actor=request.user, editing=True, initial=_initial(row))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                commendation_update(
                    actor=request.user,
                    commendation=row,
                    person=d["person_number"],
                    name=d["name"],
                    title=d["title"],
                    date=d["date"],
                    decided_on=d["decided_on"],
                    awarded_by=d["awarded_by"],
                    campaign=d.get("campaign"),
                )
            except DomainError as err:
                status = fail_status(form, err)
            else:
                messages.success(request, _("已保存"))
                return redirect("catalogues:commendation", pk=row.pk)
    ctx = {"row": row, "form": form, "datalist": COMMON_TITLES}
    return render(request, "catalogues/commendation_detail.html", ctx, status=status)


@login_required
def commendation_export(request: HttpRequest) -> HttpResponse:
    f = sel.CommendationFilters.from_mapping(request.user, request.GET)
    qs = sel.commendations(request.user, f)
    return export_response(
        request,
        fmt=COMMENDATIONS,
        object_type="catalogues.commendation",
        build=lambda kind: export_commendations(qs, kind),
    )


@login_required
def commendation_upload(request: HttpRequest) -> HttpResponse:
    return upload_page(
        request,
        kind="commendations",
        fmt=COMMENDATIONS,
        title=_("导入表彰"),
        back="catalogues:commendations",
        help_text=_(
            "一行一项表彰。单位代码 + 姓名 + 荣誉称号 + 表彰日期 相同的行更新已有表彰,否则新增;"
            "系统中的人员可填人员编号(姓名须一致或留空);重复导入同一文件不会产生变化。"
        ),
    )
