"""Pages of programmes: the list, a new programme, the progress page with its export, and the
targets and plans. Thin views over ``selectors``, ``forms`` and the services.

A programme, unit or target the user may not see is a 404, exactly like a missing one; a write the
user may not make is a 403 and changes nothing.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.core.audit import audit
from minqing.core.errors import DomainError
from minqing.core.exports import FORMATS, download
from minqing.core.forms import fail
from minqing.core.models import AuditEvent
from minqing.core.pages import parse_date
from minqing.core.replica import replica_reads
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, can_access_unit
from minqing.programmes import exports, selectors
from minqing.programmes.charts import progress_chart
from minqing.programmes.forms import PlanForm, ProgrammeForm, TargetForm
from minqing.programmes.models import Programme, Target
from minqing.programmes.services.programmes import (
    can_manage,
    plan_set,
    programme_create,
    target_create,
    target_update,
)


def as_of_from(request: HttpRequest) -> tuple[dt.date, bool]:
    """``?as_of=`` (a date); today when absent; (today, True) when unreadable."""
    text = request.GET.get("as_of", "").strip()
    if not text:
        return timezone.localdate(), False
    value = parse_date(text)
    return (value, False) if value is not None else (timezone.localdate(), True)


def can_report_in(actor: Actor, programme: Programme) -> bool:
    """Office or unit staff of the owner unit, a unit above it, or a unit inside the programme."""
    prefixes = actor_prefixes(actor, policy.UNIT_WRITERS)
    if prefixes is None:
        return True
    return any(programme.path.startswith(p) or p.startswith(programme.path) for p in prefixes)


# --- the list and a new programme --------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    programmes = selectors.programme_list(request.user, q)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            return HttpResponseBadRequest(_("不支持的导出格式"))
        audit(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type="programmes.programme",
            detail=f"format={fmt} q={q}",
            request=request,
        )
        return download(exports.export_programmes(programmes, fmt), fmt, _("项目"))  # type: ignore[arg-type]
    context = {
        "programmes": programmes,
        "q": q,
        "can_create": policy.has_role(request.user, policy.OFFICE),
    }
    return render(request, "programmes/index.html", context)


@never_cache
@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.OFFICE)
    form = ProgrammeForm(request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            programme = programme_create(
                actor=request.user,
                name=d["name"],
                owner=d["unit_code"],
                start_date=d["start_date"],
                end_date=d.get("end_date"),
                campaign=d.get("campaign"),
            )
        except DomainError as err:
            status = fail(form, err)
        else:
            messages.success(request, _("已新建项目:{name}").format(name=programme.name))
            return redirect("programmes:targets", pk=programme.pk)
    return render(request, "programmes/form.html", {"form": form, "title": _("新建项目")}, status=status)


# --- the progress page -------------------------------------------------------------------------


def _trail(actor: Actor, programme: Programme, unit: Unit) -> list[Unit]:
    """The units from the top of the programme (as the actor sees it) down to ``unit``'s parent."""
    step = Unit.steplen
    paths = [unit.path[:i] for i in range(len(programme.path), len(unit.path), step)]
    return [u for u in Unit.objects.filter(path__in=paths).order_by("path") if can_access_unit(actor, u)]


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    unit = selectors.unit_or_404(request.user, programme, request.GET.get("unit", ""))
    as_of, bad_date = as_of_from(request)
    progress = selectors.programme_progress(request.user, programme, unit, as_of)
    sections = [
        (tp, progress_chart(tp.series, tp.total.plan, tp.target.name, tp.target.measure))
        for tp in progress.targets
    ]
    context = {
        "programme": programme,
        "unit": unit,
        "as_of": as_of,
        "bad_date": bad_date,
        "progress": progress,
        "sections": sections,
        "trail": _trail(request.user, programme, unit),
        "can_manage": can_manage(request.user, programme),
        "can_report": can_report_in(request.user, programme),
        "recent": selectors.report_list(request.user, programme, unit)[:10],
    }
    return render(request, "programmes/detail.html", context)


@login_required
@replica_reads
def progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    """``?format=xlsx|csv&unit=&as_of=``: the progress table of the page."""
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    programme = selectors.programme_get(request.user, pk)
    unit = selectors.unit_or_404(request.user, programme, request.GET.get("unit", ""))
    as_of, _bad = as_of_from(request)
    progress = selectors.programme_progress(request.user, programme, unit, as_of, series=False)
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        obj=programme,
        detail=f"progress format={fmt} unit={unit.code} as_of={as_of}",
        request=request,
    )
    name = _("{programme}进度").format(programme=programme.name)
    return download(exports.export_progress(progress, fmt), fmt, name)  # type: ignore[arg-type]


# --- targets and plans -------------------------------------------------------------------------


@never_cache
@login_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    manager = can_manage(request.user, programme)
    form = TargetForm(request.POST or None) if manager else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                target = target_create(
                    actor=request.user,
                    programme=programme,
                    key=d["key"],
                    name=d["name"],
                    measure=d["measure"],
                    plan_quantity=d["plan_quantity"],
                    share_basis=d["share_basis"],
                    modes=d["modes"],
                )
            except DomainError as err:
                status = fail(form, err)
            else:
                messages.success(request, _("已新增指标:{name}").format(name=target.name))
                return redirect("programmes:targets", pk=programme.pk)
    context = {
        "programme": programme,
        "targets": selectors.targets(programme),
        "form": form,
        "can_manage": manager,
    }
    return render(request, "programmes/targets.html", context, status=status)


def _target_page(
    request: HttpRequest,
    programme: Programme,
    target: Target,
    target_form: TargetForm | None = None,
    plan_form: PlanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manager = can_manage(request.user, programme)
    unit = selectors.unit_or_404(request.user, programme, request.GET.get("unit", ""))
    if manager:
        target_form = target_form or TargetForm(target=target)
        plan_form = plan_form or PlanForm(actor=request.user, target=target)
    context = {
        "programme": programme,
        "target": target,
        "unit": unit,
        "plans": selectors.target_plans(request.user, target, unit),
        "target_form": target_form if manager else None,
        "plan_form": plan_form if manager else None,
        "can_manage": manager,
    }
    return render(request, "programmes/target.html", context, status=status)


@never_cache
@login_required
def target_detail(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    target = selectors.target_get(request.user, programme, key)
    if request.method != "POST":
        return _target_page(request, programme, target)
    if not can_manage(request.user, programme):
        raise PermissionDenied
    if "plan-unit_code" in request.POST:
        plan_form = PlanForm(request.POST, actor=request.user, target=target)
        if not plan_form.is_valid():
            return _target_page(request, programme, target, plan_form=plan_form)
        d = plan_form.cleaned_data
        try:
            plan_set(
                actor=request.user,
                target=target,
                unit=d["unit_code"],
                quantity=d.get("quantity"),
                mode=d.get("mode") or "",
            )
        except DomainError as err:
            return _target_page(request, programme, target, plan_form=plan_form, status=fail(plan_form, err))
        messages.success(request, _("已保存 {unit} 的计划").format(unit=d["unit_code"].name))
    else:
        target_form = TargetForm(request.POST, target=target)
        if not target_form.is_valid():
            return _target_page(request, programme, target, target_form=target_form)
        d = target_form.cleaned_data
        try:
            target_update(
                actor=request.user,
                target=target,
                name=d["name"],
                measure=d["measure"],
                plan_quantity=d["plan_quantity"],
                share_basis=d["share_basis"],
                modes=d["modes"],
            )
        except DomainError as err:
            status = fail(target_form, err)
            return _target_page(request, programme, target, target_form=target_form, status=status)
        messages.success(request, _("已保存指标:{name}").format(name=target.name))
    return redirect(reverse("programmes:target", args=[programme.pk, target.key]))
