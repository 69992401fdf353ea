"""Catalogues: the power list, reform measures and results, commendations.

The power list and the reforms are standing registers, counted as they stand at the as-of date
(``minqing.catalogues.counting``), not only what was added in the period; commendations are
those whose decision date (表彰决定日期; without one, the 表彰日期) falls in the period. With a
campaign, reforms and commendations of another campaign are left out (those of no campaign count).
"""

from django.utils.translation import gettext_lazy as _

from minqing.catalogues.counting import (
    COUNTED_ON,
    PowerSummary,
    ReformSummary,
    power_counts,
    reform_summary,
    reforms_as_of,
    with_counted_on,
)
from minqing.catalogues.models import Commendation
from minqing.core.paths import prefix_q
from minqing.reports.metrics.registry import MetricContext, metric


def powers(ctx: MetricContext) -> PowerSummary:
    result: PowerSummary = ctx.cached("catalogue.power", lambda: power_counts(ctx.unit.path, ctx.as_of))
    return result


def reforms(ctx: MetricContext) -> ReformSummary:
    def run() -> ReformSummary:
        measures = reforms_as_of(ctx.unit.path, ctx.as_of).filter(ctx.of_campaign_or_none())
        return reform_summary(measures, results_by=ctx.as_of)

    result: ReformSummary = ctx.cached("reforms", run)
    return result


@metric(
    "catalogue.power.departments",
    label=_("公布权力清单的部门和单位"),
    word=_("个"),
    definition=_("本单位及下级单位权力清单中有效、截至截止日期已公布的事项所属的不同部门和单位个数。"),
)
def power_departments(ctx: MetricContext) -> int:
    return powers(ctx).departments


@metric(
    "catalogue.power.categories",
    label=_("权力清单类别"),
    word=_("大类"),
    definition=_("本单位及下级单位权力清单中有效、截至截止日期已公布的事项涉及的不同权力类别数。"),
)
def power_categories(ctx: MetricContext) -> int:
    return powers(ctx).categories


@metric(
    "catalogue.power.items",
    label=_("行政权力事项"),
    word=_("项"),
    definition=_("本单位及下级单位权力清单中有效、截至截止日期已公布(没有公布日期的按录入日期)的事项数。"),
)
def power_items(ctx: MetricContext) -> int:
    return powers(ctx).items


@metric(
    "reforms.measures",
    label=_("改革举措"),
    word=_("项"),
    definition=_(
        "牵头部门为本单位或下级单位、截至截止日期已启动(没有启动日期的按录入日期)的改革举措项数"
        "(有专题时不含其他专题的举措)。"
    ),
)
def reform_measures(ctx: MetricContext) -> int:
    return reforms(ctx).measures


@metric(
    "reforms.results",
    label=_("改革成果"),
    word=_("条"),
    definition=_("上述改革举措截至截止日期记录的改革成果条数。"),
)
def reform_results(ctx: MetricContext) -> int:
    return reforms(ctx).results


@metric(
    "reforms.key",
    label=_("重点改革"),
    word=_("项"),
    definition=_("上述改革举措中标记为重点改革的项数。"),
)
def reform_key(ctx: MetricContext) -> int:
    return reforms(ctx).key


@metric(
    "reforms.key_with_staged_result",
    label=_("取得阶段性成果的重点改革"),
    word=_("项"),
    definition=_("上述重点改革中截至截止日期至少记录了一条改革成果的项数。"),
)
def reform_key_with_result(ctx: MetricContext) -> int:
    return reforms(ctx).key_with_result


@metric(
    "commendations.count",
    label=_("表彰"),
    word=_("名"),
    definition=_(
        "单位为本单位或下级单位、表彰决定日期(没有表彰决定日期的按表彰日期)在统计期内的表彰人次"
        "(任一荣誉称号;有专题时不含其他专题的表彰)。"
    ),
)
def commendations(ctx: MetricContext) -> int:
    qs = with_counted_on(Commendation.objects.filter(prefix_q(ctx.unit.path), ctx.of_campaign_or_none()))
    return qs.filter(ctx.in_period(COUNTED_ON, dated=True)).count()
