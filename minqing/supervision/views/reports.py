"""Coverage of supervision: rounds per unit, and units never inspected in a campaign.

Both read a unit subtree (``?unit=``, the top of the actor's scope by default) and export
what they show (``?format=xlsx|csv``).
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minqing.core.exports import export_query
from minqing.core.pages import paginate
from minqing.core.replica import replica_reads
from minqing.orgs.enums import UnitKind
from minqing.supervision import selectors as sel
from minqing.supervision.exports import table_response, wanted_format
from minqing.supervision.views._common import campaigns, current_campaign, current_unit

LEVELS = [
    (k.value, k.label)
    for k in (
        UnitKind.COUNTY,
        UnitKind.TOWNSHIP,
        UnitKind.VILLAGE,
        UnitKind.GRID,
        UnitKind.AGENCY,
        UnitKind.ENTERPRISE,
        UnitKind.SOCIAL_ORG,
    )
]
LEVEL_VALUES = [v for v, _label in LEVELS]
UNIT_HEADERS = (
    gettext_lazy("单位代码"),
    gettext_lazy("单位名称"),
    gettext_lazy("类别"),
    gettext_lazy("督导次数"),
    gettext_lazy("轮次"),
    gettext_lazy("最近督导日期"),
    gettext_lazy("督导方式"),
)
NEVER_HEADERS = (
    gettext_lazy("单位代码"),
    gettext_lazy("单位名称"),
    gettext_lazy("类别"),
    gettext_lazy("细类"),
)


def _level(request: HttpRequest, default: str = "") -> str:
    value = request.GET.get("level", default)
    return value if value in LEVEL_VALUES else default


@login_required
@replica_reads
def unit_rounds(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    campaign = current_campaign(request)
    level = _level(request)
    rows = sel.unit_rounds(request.user, unit, campaign=campaign, level=level)
    fmt = wanted_format(request)
    if fmt:
        data = (
            [
                r.unit.code,
                r.unit.name,
                r.unit.get_kind_display(),
                r.inspections,
                r.rounds,
                r.last_date,
                r.kind_labels,
            ]
            for r in rows
        )
        return table_response(
            request,
            fmt=fmt,
            name=_("各单位督导轮次"),
            headers=UNIT_HEADERS,
            rows=data,
            object_type="supervision.inspection",
        )
    ctx: dict[str, Any] = {
        "unit": unit,
        "campaign": campaign,
        "campaigns": campaigns(request),
        "level": level,
        "levels": LEVELS,
        "page_obj": paginate(rows, request.GET.get("page")),
        "total_inspections": sum(r.inspections for r in rows),
        "export_query": export_query(request),
    }
    return render(request, "supervision/unit_rounds.html", ctx)


@login_required
@replica_reads
def never_inspected(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    campaign = current_campaign(request)
    level = _level(request, UnitKind.TOWNSHIP)
    below = request.GET.get("below") == "1"
    qs = (
        sel.never_inspected(request.user, unit, campaign=campaign, level=level, below=below)
        if campaign
        else None
    )
    fmt = wanted_format(request)
    if fmt and qs is not None:
        data = ([u.code, u.name, u.get_kind_display(), u.get_subkind_display()] for u in qs)
        return table_response(
            request,
            fmt=fmt,
            name=_("未督导单位"),
            headers=NEVER_HEADERS,
            rows=data,
            object_type="orgs.unit",
        )
    ctx: dict[str, Any] = {
        "unit": unit,
        "campaign": campaign,
        "campaigns": campaigns(request),
        "level": level,
        "levels": LEVELS,
        "below": below,
        "page_obj": paginate(qs, request.GET.get("page")) if qs is not None else None,
        "level_total": sel.unit_kind_counts(request.user, unit, level),
        "export_query": export_query(request),
    }
    return render(request, "supervision/never_inspected.html", ctx)
