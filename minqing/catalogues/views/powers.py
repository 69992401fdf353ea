"""Pages of the administrative power list: list with counts, new, detail/edit, export, upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import power_summary
from minqing.catalogues.exports import export_powers
from minqing.catalogues.formats import POWERS
from minqing.catalogues.forms import PowerItemForm
from minqing.catalogues.models import PowerCategory, PowerItem
from minqing.catalogues.permissions import can_write_any, can_write_path, is_office
from minqing.catalogues.services.powers import power_item_create, power_item_update
from minqing.catalogues.views.common import export_query, export_response, fail_status, upload_page
from minqing.core.errors import DomainError


@login_required
def power_list(request: HttpRequest) -> HttpResponse:
    f = sel.PowerFilters.from_mapping(request.user, request.GET)
    ctx = {
        "f": f,
        "categories": PowerCategory.choices,
        "summary": power_summary(sel.power_items(request.user, f)),
        "page_obj": sel.power_page(request.user, f, request.GET.get("page")),
        "export_query": export_query(request),
        "can_write": can_write_any(request.user),
        "can_upload": is_office(request.user),
    }
    return render(request, "catalogues/power_list.html", ctx)


@login_required
def power_new(request: HttpRequest) -> HttpResponse:
    if not can_write_any(request.user):
        raise PermissionDenied
    form = PowerItemForm(request.POST or None, actor=request.user, initial={"is_active": True})
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = power_item_create(
                actor=request.user,
                unit=d["unit_code"],
                category=d["category"],
                name=d["name"],
                code=d["code"],
                legal_basis=d["legal_basis"],
                published_on=d["published_on"],
                is_active=d["is_active"],
            )
        except DomainError as err:
            status = fail_status(form, err)
        else:
            messages.success(request, _("已新增权力事项"))
            return redirect("catalogues:power", pk=item.pk)
    ctx = {"form": form, "title": _("新增权力事项"), "back": "catalogues:powers"}
    return render(request, "catalogues/form.html", ctx, status=status)


def _initial(item: PowerItem) -> dict[str, object]:
    return {
        "category": item.category,
        "name": item.name,
        "code": item.code,
        "legal_basis": item.legal_basis,
        "published_on": item.published_on,
        "is_active": item.is_active,
    }


@login_required
def power_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item; its edit form for those who may write it (POST saves)."""
    item = sel.power_get(request.user, pk)
    writable = can_write_path(request.user, item.path)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    form = None
    status = 200
    if writable:
        form = PowerItemForm(request.POST or None, actor=request.user, editing=True, initial=_initial(item))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                power_item_update(
                    actor=request.user,
                    item=item,
                    category=d["category"],
                    name=d["name"],
                    code=d["code"],
                    legal_basis=d["legal_basis"],
                    published_on=d["published_on"],
                    is_active=d["is_active"],
                )
            except DomainError as err:
                status = fail_status(form, err)
            else:
                messages.success(request, _("已保存"))
                return redirect("catalogues:power", pk=item.pk)
    return render(request, "catalogues/power_detail.html", {"item": item, "form": form}, status=status)


@login_required
def power_export(request: HttpRequest) -> HttpResponse:
    f = sel.PowerFilters.from_mapping(request.user, request.GET)
    qs = sel.power_items(request.user, f)
    return export_response(
        request, fmt=POWERS, object_type="catalogues.poweritem", build=lambda kind: export_powers(qs, kind)
    )


@login_required
def power_upload(request: HttpRequest) -> HttpResponse:
    return upload_page(
        request,
        kind="powers",
        fmt=POWERS,
        title=_("导入权力清单"),
        back="catalogues:powers",
        help_text=_(
            "一行一个权力事项。部门代码 + 权力类别 + 事项名称 相同的行更新已有事项,否则新增;"
            "重复导入同一文件不会产生变化。"
        ),
    )
