"""Research: key topics, interview person-times, division-level leaders without a report."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from minqing.activities.coverage_rules import Period, division_leaders_without_report
from minqing.activities.models import Interview, ResearchTopic
from minqing.core.paths import prefix_q
from minqing.reports.metrics.registry import MetricContext, metric


@metric(
    "research.topics.key",
    label=_("重点调研课题"),
    word=_("个"),
    definition=_(
        "单位为本单位或下级单位、标记为重点课题、确定时间在统计期内(有专题时为该专题)的调研课题个数。"
    ),
)
def topics_key(ctx: MetricContext) -> int:
    qs = ResearchTopic.objects.filter(
        prefix_q(ctx.unit.path), ctx.in_period("created_at"), ctx.of_campaign(), is_key=True
    )
    return qs.count()


@metric(
    "research.interviews.person_times",
    label=_("访谈基层干部群众"),
    word=_("人次"),
    definition=_("本单位及下级单位的调研课题(有专题时为该专题的课题)在统计期内各次访谈登记的访谈人次之和。"),
)
def interviews_person_times(ctx: MetricContext) -> int:
    qs = Interview.objects.filter(
        prefix_q(ctx.unit.path, "topic__path"),
        ctx.in_period("date", dated=True),
        ctx.of_campaign("topic__campaign"),
    )
    return int(qs.aggregate(n=Sum("person_times"))["n"] or 0)


@metric(
    "research.leaders_without_report",
    label=_("没有调研报告的处级领导干部"),
    word=_("人"),
    definition=_(
        "本单位及下级单位职级为处级的人员中,统计期内没有提交调研报告(有专题时为该专题课题的报告)的人数;"
        "为 0 即处级领导干部每人至少有一篇调研报告。"
    ),
)
def leaders_without_report(ctx: MetricContext) -> int:
    n, _page = division_leaders_without_report(
        ctx.actor, ctx.unit, campaign=ctx.campaign, period=Period(ctx.first_day, ctx.as_of)
    )
    return n
