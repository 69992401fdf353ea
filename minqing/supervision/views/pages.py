"""Guidance group pages: the list (with counts of inspections and rounds), a group with its
rounds, and the office's create and edit forms. Thin views over ``selectors``, ``forms`` and
``services.groups``.

Reads need a role in the group's reach (else 404); writes are for the office of the sending
unit (else 403, nothing changed).
"""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minqing.core.errors import DomainError
from minqing.core.exports import export_query
from minqing.core.forms import fail
from minqing.core.pages import paginate
from minqing.orgs import policy
from minqing.orgs.selectors import default_unit
from minqing.supervision import selectors as sel
from minqing.supervision.exports import table_response, wanted_format
from minqing.supervision.forms import GroupForm
from minqing.supervision.models import GuidanceGroup
from minqing.supervision.services import groups as svc
from minqing.supervision.services.inspections import can_record
from minqing.supervision.views._common import (
    campaigns,
    current_campaign,
)


def _group_rows(request: HttpRequest, qs: Any) -> Iterator[list[Any]]:
    for g in qs:
        units, _others = sel.group_units(request.user, g)
        yield [
            g.name,
            g.campaign.name,
            g.unit.code,
            g.unit.name,
            g.leader_name or "",
            "、".join(f"{u.name}({u.code})" for u in units),
            g.n_inspections,
            g.n_rounds,
            g.last_date,
        ]


GROUP_HEADERS = (
    gettext_lazy("指导组名称"),
    gettext_lazy("专题"),
    gettext_lazy("派出单位代码"),
    gettext_lazy("派出单位"),
    gettext_lazy("组长"),
    gettext_lazy("联系单位"),
    gettext_lazy("督导次数"),
    gettext_lazy("轮次"),
    gettext_lazy("最近督导日期"),
)


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    q = request.GET.get("q", "").strip()[:50]
    qs = sel.group_list(request.user, campaign=campaign, q=q)
    fmt = wanted_format(request)
    if fmt:
        return table_response(
            request,
            fmt=fmt,
            name=_("指导组"),
            headers=GROUP_HEADERS,
            rows=_group_rows(request, qs),
            object_type="supervision.guidancegroup",
        )
    ctx = {
        "page_obj": paginate(qs, request.GET.get("page")),
        "campaign": campaign,
        "campaigns": campaigns(request),
        "q": q,
        "can_create": policy.has_role(request.user, policy.OFFICE),
        "can_record": policy.has_role(request.user, policy.INSPECTORS),
        "export_query": export_query(request),
    }
    return render(request, "supervision/groups.html", ctx)


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.OFFICE)
    unit = default_unit(request.user, policy.OFFICE)
    initial = {"unit_code": unit.code if unit is not None else ""}
    form = GroupForm(request.POST or None, actor=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = svc.group_create(
                actor=request.user,
                name=d["name"],
                campaign=d["campaign"],
                unit=d["unit_code"],
                units=d["units"],
                members=d["member_specs"],
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            messages.success(request, _("已新建指导组"))
            return redirect("supervision:group", pk=group.pk)
    ctx = {"form": form, "title": _("新建指导组")}
    return render(request, "supervision/form.html", ctx, status=status)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = sel.group_get(request.user, pk)
    units, others = sel.group_units(request.user, group)
    ctx = {
        "group": group,
        "members": sel.group_members(group),
        "units": units,
        "other_units": others,
        "rounds": sel.group_rounds(request.user, group),
        "can_manage": svc.can_manage(request.user, group.unit),
        "can_record": any(can_record(request.user, u) for u in units) or can_record(request.user, group.unit),
    }
    return render(request, "supervision/group.html", ctx)


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group: GuidanceGroup = sel.group_get(request.user, pk)
    if not svc.can_manage(request.user, group.unit):
        raise PermissionDenied
    form = GroupForm(
        request.POST or None, actor=request.user, editing=True, initial=GroupForm.initial_for(group)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.group_update(
                actor=request.user, group=group, name=d["name"], units=d["units"], members=d["member_specs"]
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            messages.success(request, _("已保存指导组"))
            return redirect("supervision:group", pk=group.pk)
    ctx = {"form": form, "title": _("修改指导组:{name}").format(name=group.name), "group": group}
    return render(request, "supervision/form.html", ctx, status=status)
