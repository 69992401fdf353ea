"""Visits to contact points (调研走访联系点)."""

from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Visit
from minqing.core.paths import prefix_q
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
    qs = Visit.objects.filter(prefix_q(ctx.unit.path), ctx.in_period("date", dated=True), unit__isnull=False)
    return qs.count()
