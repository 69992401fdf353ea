"""Bulletin pages: generate (sentences, figures, downloads), publish, the published list with its
checks, and the office's templates. Thin views over ``minqing.reports.bulletins``.

A unit or a published bulletin the user may not see is a 404, exactly like a missing one;
publishing needs the office role on the unit; a unit's templates are edited by its own office
only, the shipped default by the system administrator. Checks of published bulletins run on
demand (a button per bulletin, or one for the page) and their result is kept on the bulletin,
so the list shows the warning until the next check.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.campaigns.models import CampaignKind
from minqing.campaigns.selectors import visible_campaigns
from minqing.campaigns.services import campaign_set_bulletin_notes
from minqing.core.audit import audit
from minqing.core.errors import DomainError
from minqing.core.exports import csv_writer
from minqing.core.models import AuditEvent
from minqing.core.replica import replica_reads
from minqing.orgs.models import Unit
from minqing.orgs.selectors import unit_by_code
from minqing.orgs.unit_filters import flag_unit_error, unit_error
from minqing.reports.bulletins import permissions, selectors
from minqing.reports.bulletins.document import BulletinDoc
from minqing.reports.bulletins.forms import TemplateForm
from minqing.reports.bulletins.query import read_query
from minqing.reports.bulletins.renderers import FORMATS, filename
from minqing.reports.bulletins.renderers import render as render_format
from minqing.reports.bulletins.services import (
    bulletin_check_record,
    bulletin_generate,
    bulletin_publish,
    published_doc,
    registered_ids,
    templates_in_reach,
)
from minqing.reports.bulletins.template_writes import template_copy as template_copy_service
from minqing.reports.bulletins.template_writes import template_reset as template_reset_service
from minqing.reports.bulletins.template_writes import template_save
from minqing.reports.metrics.registry import METRICS

CHECK_ALL_LIMIT = 100


def _download(request: HttpRequest, doc: BulletinDoc, fmt: str, detail: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    try:
        data = render_format(doc, fmt)
    except DomainError as err:
        return HttpResponse(err.bilingual(), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename(doc, fmt)) or ""
    audit(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="reports.bulletin", detail=detail)
    return response


# --- generate -------------------------------------------------------------------------------


@login_required
@replica_reads
def index(request: HttpRequest) -> HttpResponse:
    """The bulletin of a unit (in the user's scope) as of a date: sentences, figures, downloads."""
    query = read_query(request.user, request.GET)
    doc: BulletinDoc | None = None
    errors = list(query.errors)
    if query.ok:
        assert query.unit is not None and query.as_of is not None and query.campaign is not None
        try:
            doc = bulletin_generate(
                unit=query.unit, as_of=query.as_of, campaign=query.campaign, actor=request.user
            )
        except DomainError as err:
            errors.append(err.bilingual())
    context: dict[str, Any] = {
        "query": query,
        "doc": doc,
        "errors": errors,
        "units": selectors.picker_units(request.user),
        "campaigns": visible_campaigns(request.user),
        "formats": list(FORMATS),
        "qs": urlencode(query.params()),
        "can_publish": doc is not None
        and query.unit is not None
        and permissions.can_publish(request.user, query.unit),
        "can_edit_notes": doc is not None
        and query.campaign is not None
        and permissions.can_edit_notes(request.user, query.campaign),
    }
    return render(request, "reports/bulletins.html", context)


@login_required
@replica_reads
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    query = read_query(request.user, request.GET, defaults=False)
    if fmt not in FORMATS or query.unit is None:
        raise Http404
    if not query.ok:
        return HttpResponse("\n".join(query.errors), status=400, content_type="text/plain; charset=utf-8")
    assert query.as_of is not None and query.campaign is not None
    try:
        doc = bulletin_generate(
            unit=query.unit, as_of=query.as_of, campaign=query.campaign, actor=request.user
        )
    except DomainError as err:
        return HttpResponse(err.bilingual(), status=400, content_type="text/plain; charset=utf-8")
    return _download(request, doc, fmt, f"bulletin {fmt} {query.unit.code} {query.as_of.isoformat()}")


def _bulletin_url(query: Any) -> str:
    """The bulletin page of a query (where a form posted from it goes back to)."""
    return reverse("reports:index") + "?" + urlencode(query.params())


@never_cache
@require_POST
@login_required
def publish(request: HttpRequest) -> HttpResponse:
    query = read_query(request.user, request.POST, defaults=False)
    if query.unit is None:
        raise Http404
    if not permissions.can_publish(request.user, query.unit):
        raise PermissionDenied
    back = _bulletin_url(query)
    if not query.ok:
        for e in query.errors:
            messages.error(request, e)
        return redirect(back)
    assert query.as_of is not None and query.campaign is not None
    try:
        bulletin = bulletin_publish(
            actor=request.user, unit=query.unit, as_of=query.as_of, campaign=query.campaign
        )
    except DomainError as err:
        messages.error(request, err.bilingual())
        return redirect(back)
    messages.success(request, _("已发布第 {n} 期简报").format(n=bulletin.number))
    return redirect("reports:published_detail", pk=bulletin.pk)


@never_cache
@require_POST
@login_required
def notes(request: HttpRequest) -> HttpResponse:
    """Save the campaign's bulletin notes, then show the bulletin the form was on."""
    query = read_query(request.user, request.POST, defaults=False)
    if query.campaign is None:
        raise Http404
    if not permissions.can_edit_notes(request.user, query.campaign):
        raise PermissionDenied
    back = _bulletin_url(query)
    try:
        campaign_set_bulletin_notes(
            actor=request.user, campaign=query.campaign, notes=request.POST.get("bulletin_notes", "")
        )
    except DomainError as err:
        messages.error(request, err.bilingual())
    else:
        messages.success(request, _("已保存“{name}”的简报说明").format(name=query.campaign.name))
    return redirect(back)


# --- published ------------------------------------------------------------------------------


@login_required
@replica_reads
def published(request: HttpRequest) -> HttpResponse:
    filters = selectors.PublishedFilters.from_mapping(request.GET)
    page = selectors.published_list(request.user, filters, request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "campaigns": visible_campaigns(request.user),
        "unit_error": unit_error(request),
    }
    return render(request, "reports/published.html", context)


@login_required
@replica_reads
def published_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.PublishedFilters.from_mapping(request.GET)
    qs = selectors.published_queryset(request.user, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _("已发布简报") + ".csv") or ""
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    w = csv_writer(response)
    w.writerow(
        [_("编号"), _("单位代码"), _("单位"), _("专题"), _("期号"), _("截止日期"), _("标题"), _("发布时间"),
         _("发布人"), _("核对时间"), _("变化的数据")]
    )  # fmt: skip
    for b in qs.iterator():
        w.writerow(
            [
                b.pk,
                b.unit.code,
                b.unit.name,
                b.campaign.name,
                b.number,
                b.as_of.isoformat(),
                b.title,
                b.published_at.isoformat(timespec="minutes"),
                b.published_by.get_username() if b.published_by else "",
                b.checked_at.isoformat(timespec="minutes") if b.checked_at else "",
                ";".join(c["id"] for c in b.changes or []),
            ]
        )
    audit(
        actor=request.user, action=AuditEvent.Action.EXPORT, object_type="reports.bulletin", detail="list csv"
    )
    return response


@login_required
@replica_reads
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.published_get(request.user, pk)
    doc = published_doc(bulletin)
    context = {"bulletin": bulletin, "doc": doc, "formats": list(FORMATS), "printed": set(doc.printed)}
    return render(request, "reports/published_detail.html", context)


@login_required
@replica_reads
def published_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    bulletin = selectors.published_get(request.user, pk)
    return _download(request, published_doc(bulletin), fmt, f"published bulletin {bulletin.pk} {fmt}")


@require_POST
@login_required
def published_check(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.published_get(request.user, pk)
    bulletin = bulletin_check_record(actor=request.user, bulletin=bulletin)
    if bulletin.changes:
        messages.warning(request, _("核对发现 {n} 项数据与发布时不同").format(n=len(bulletin.changes)))
    else:
        messages.success(request, _("核对完成:数据与发布时一致"))
    nxt = request.POST.get("next", "")
    if nxt == "list":
        return redirect("reports:published")
    return redirect("reports:published_detail", pk=bulletin.pk)


@require_POST
@login_required
def published_check_all(request: HttpRequest) -> HttpResponse:
    filters = selectors.PublishedFilters.from_mapping(request.POST)
    changed = checked = 0
    for b in selectors.published_queryset(request.user, filters)[:CHECK_ALL_LIMIT]:
        b = bulletin_check_record(actor=request.user, bulletin=b)
        checked += 1
        changed += int(bool(b.changes))
    messages.info(request, _("已核对 {n} 期简报,其中 {m} 期数据有变化").format(n=checked, m=changed))
    return redirect(reverse("reports:published") + "?" + urlencode(filters.as_query()))


# --- templates ------------------------------------------------------------------------------


def _templates_url(unit: Unit | None) -> str:
    return reverse("reports:templates") + (f"?unit={unit.code}" if unit is not None else "")


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """The templates a unit's bulletins use (its own, inherited, or the default), with its
    office's actions: edit, copy to my unit, go back to the inherited one."""
    flag_unit_error(request)
    own_units = selectors.office_units(request.user)
    unit = selectors.templates_unit(request.user, request.GET.get("unit", ""), own_units)
    rows = selectors.template_rows(unit)
    context = {
        "unit": unit,
        "rows": rows,
        "own_units": own_units,
        "can_edit": unit is not None and permissions.can_edit_template(request.user, unit),
        "can_edit_default": permissions.can_edit_template(request.user, None),
        "count": sum(1 for r in rows if r.template is not None),
    }
    return render(request, "reports/templates.html", context)


def _edit(request: HttpRequest, unit: Unit | None, kind: str) -> HttpResponse:
    if kind not in CampaignKind.values:
        raise Http404
    if not permissions.can_edit_template(request.user, unit):
        raise PermissionDenied
    reach = templates_in_reach(unit, [kind]).get(kind)
    own = reach is not None and reach.unit_id == (unit.pk if unit is not None else None)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                template_save(
                    actor=request.user,
                    unit=unit,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    grouping=form.cleaned_data["grouping"],
                    omit_zero=form.cleaned_data["omit_zero"],
                )
            except DomainError as err:
                form.add_error(None, err.bilingual())
            else:
                messages.success(request, _("已保存“{kind}”简报模板").format(kind=CampaignKind(kind).label))
                return redirect(_templates_url(unit))
    else:
        initial = (
            {
                "title": reach.title,
                "body": reach.body,
                "grouping": reach.grouping,
                "omit_zero": reach.omit_zero,
            }
            if reach
            else {}
        )
        form = TemplateForm(initial=initial)
    ids = registered_ids()
    context = {
        "form": form,
        "kind": kind,
        "kind_label": CampaignKind(kind).label,
        "unit": unit,
        "template": reach,
        "own": own,
        "metrics": [METRICS[i] for i in ids],
    }
    return render(request, "reports/template_edit.html", context)


@never_cache
@login_required
def template_edit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """A unit's own template (saving an inherited one makes it the unit's own copy)."""
    unit = unit_by_code(request.user, code)
    if unit is None:
        raise Http404
    return _edit(request, unit, kind)


@never_cache
@login_required
def template_default_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """The shipped default, which every unit without its own copy uses: the system administrator's."""
    return _edit(request, None, kind)


def _own_unit_action(request: HttpRequest, code: str, kind: str) -> Unit:
    unit = unit_by_code(request.user, code)
    if unit is None or kind not in CampaignKind.values:
        raise Http404
    if not permissions.can_edit_template(request.user, unit):
        raise PermissionDenied
    return unit


@never_cache
@require_POST
@login_required
def template_copy(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Copy to my unit: the inherited template becomes the unit's own, then its edit page."""
    unit = _own_unit_action(request, code, kind)
    try:
        template_copy_service(actor=request.user, unit=unit, kind=kind)
    except DomainError as err:
        messages.error(request, err.bilingual())
        return redirect(_templates_url(unit))
    messages.success(request, _("已复制“{kind}”简报模板到本单位").format(kind=CampaignKind(kind).label))
    return redirect("reports:template_edit", code=unit.code, kind=kind)


@never_cache
@require_POST
@login_required
def template_reset(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Drop the unit's own template: it uses the inherited one again."""
    unit = _own_unit_action(request, code, kind)
    if template_reset_service(actor=request.user, unit=unit, kind=kind):
        label = CampaignKind(kind).label
        messages.success(request, _("已删除本单位的“{kind}”简报模板,改用上级或默认模板").format(kind=label))
    return redirect(_templates_url(unit))
