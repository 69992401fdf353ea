"""The dashboard: one unit's subtree over a period, as tables that charts draw.

Query: ``unit`` (code; default the user's first unit), ``start`` / ``end`` (dates, both
included; default the campaign's dates, else this year), ``campaign`` (id), ``metric`` (what
colours the map) and ``format=csv`` (the child units' table). A unit out of the user's scope is
a 404 like a missing one. The page reads fully without JavaScript; ``reports/dashboard.js``
draws the charts with the ECharts file served from our own static files.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.campaigns.selectors import default_period
from minqing.core.exports import csv_writer
from minqing.core.replica import replica_reads
from minqing.nlp.topics.selectors import cached_hot_topics
from minqing.orgs import policy
from minqing.orgs.models import Unit
from minqing.orgs.unit_filters import request_unit, unit_error
from minqing.reports.dashboard import selectors
from minqing.reports.dashboard.assets import echarts_available
from minqing.reports.dashboard.charts import chart_payload
from minqing.reports.dashboard.period import Period, period_from

HOT_TOPICS = 5  # the dashboard's short list (the page has more)


def _query(unit: Unit, period: Period, campaign: Any, metric: str) -> dict[str, str]:
    q = {"unit": unit.code, "start": period.start.isoformat(), "end": period.end.isoformat()}
    if campaign is not None:
        q["campaign"] = str(campaign.pk)
    if metric != selectors.MAP_METRIC_KEYS[0]:
        q["metric"] = metric
    return q


def _csv(d: selectors.Dashboard) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"dashboard-{d.unit.code}-{d.period.start:%Y%m%d}-{d.period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    w = csv_writer(response)
    heads = (_("单位代码"), _("单位名称"), _("问题数"), _("已办结"), _("立行立改"), _("逾期"))
    w.writerow([*heads, _("活动次/场"), _("参加人次")])
    own = selectors.UnitRow(d.unit, d.problems, d.activity_totals)
    for r in [own, *d.children]:
        p = r.problems
        w.writerow(
            [
                r.unit.code,
                r.unit.name,
                p.total,
                p.resolved,
                p.on_the_spot,
                p.overdue,
                r.activities.sessions,
                r.activities.person_times,
            ]
        )
    return response


@login_required
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv" and unit_error(request):
        raise Http404  # a file never silently swaps a bad unit for another
    unit = request_unit(request)
    campaign = selectors.dashboard_campaign(request.user, request.GET.get("campaign"))
    period = period_from(request.GET, default_period(request.user, campaign, timezone.localdate()))
    metric = request.GET.get("metric", "")
    metric = metric if metric in selectors.MAP_METRIC_KEYS else selectors.MAP_METRIC_KEYS[0]
    base = reverse("reports:dashboard")

    def link(u: Unit) -> str:
        return f"{base}?{urlencode(_query(u, period, campaign, metric))}"

    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "campaign": campaign,
        "campaigns": selectors.dashboard_campaigns(request.user),
        "unit_choices": selectors.unit_choices(request.user, unit),
        "metrics": selectors.MAP_METRICS,
        "metric": metric,
    }
    if not period.valid:
        context["period_error"] = True
        return render(request, "reports/dashboard.html", context)
    d = selectors.dashboard(request.user, unit, period, campaign)
    if request.GET.get("format") == "csv":
        return _csv(d)
    echarts = echarts_available()
    context |= {
        "d": d,
        "echarts": echarts,
        "csv_url": f"{base}?{urlencode({**_query(unit, period, campaign, metric), 'format': 'csv'})}",
        "children": [(r, link(r.unit)) for r in d.children],
        "ancestors": [(u, link(u)) for u in d.ancestors],
        "map_areas": [(a, link(a.unit) if a.link and a.unit is not None else "") for a in d.map.areas]
        if d.map is not None
        else [],
        "payload": chart_payload(d, link, metric, echarts),
    }
    if policy.has_role(request.user, policy.HOT_TOPIC_READERS, unit.path):
        dates = {"unit": unit.code, "start": period.start.isoformat(), "end": period.end.isoformat()}
        # only what the hot-topics page has computed lately: the dashboard never waits for it
        context["hot_topics"] = cached_hot_topics(
            request.user, unit, period.start_at, period.end_at, top=HOT_TOPICS
        )
        context["hot_topics_url"] = f"{reverse('reports:hot_topics')}?{urlencode(dates)}"
    if d.records is not None and d.records.first and d.records.last:
        # every figure is zero: offer the period that holds the subtree's records
        span = Period(d.records.first, d.records.last)
        context["records_url"] = f"{base}?{urlencode(_query(unit, span, None, metric))}"
    return render(request, "reports/dashboard.html", context)
