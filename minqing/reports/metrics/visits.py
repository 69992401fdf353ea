"""Visits to contact points (调研走访联系点).

A unit down to the county reads the per-county, per-day counters the database keeps
(``VisitDayCount``: a city's weeks are a few hundred rows instead of tens of thousands of visits);
a unit below the county counts its own visits."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Visit, VisitDayCount
from minqing.core.paths import COUNTY_PATH, prefix_q
from minqing.reports.metrics.registry import MetricContext, metric


@metric(
    "visits.contact_points.person_times",
    label=_("调研走访联系点"),
    word=_("人次"),
    definition=_(
        "统计期内干部走访本单位及下级单位中联系点(单位,不含入户走访)的次数,每名干部每次走访计 1 人次。"
    ),
)
def contact_points_person_times(ctx: MetricContext) -> int:
    period = ctx.in_period("date", dated=True)
    if len(ctx.unit.path) <= COUNTY_PATH:
        counters = VisitDayCount.objects.filter(prefix_q(ctx.unit.path), period)
        return int(counters.aggregate(n=Sum("visits"))["n"] or 0)
    return Visit.objects.filter(prefix_q(ctx.unit.path), period, unit__isnull=False).count()
