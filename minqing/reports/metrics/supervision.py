"""Supervision: guidance groups and how many rounds each has gone through its units."""

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from minqing.core.paths import prefix_q
from minqing.reports.metrics.registry import MetricContext, metric
from minqing.supervision.models import GuidanceGroup


def rounds_per_group(ctx: MetricContext) -> list[int]:
    """The rounds of each group of the context: its latest round among its inspections dated in the
    period (rounds never skip numbers), 0 before its first inspection."""

    def run() -> list[int]:
        groups = GuidanceGroup.objects.filter(
            prefix_q(ctx.unit.path), ctx.in_period("created_at"), ctx.of_campaign()
        )
        dated = Q(inspections__date__gte=ctx.first_day, inspections__date__lte=ctx.as_of)
        rows = groups.annotate(n=Max("inspections__round", filter=dated)).values_list("n", flat=True)
        return [n or 0 for n in rows]

    out: list[int] = ctx.cached("supervision.rounds", run)
    return out


@metric(
    "supervision.groups",
    label=_("指导组"),
    word=_("个"),
    definition=_("派出单位为本单位或下级单位、在统计期内成立(有专题时为该专题)的指导组个数。"),
)
def groups(ctx: MetricContext) -> int:
    return len(rounds_per_group(ctx))


@metric(
    "supervision.rounds.min_per_group",
    label=_("各指导组深入基层指导轮次的最少值"),
    word=_("轮"),
    definition=_(
        "上述各指导组截至截止日期的督导轮次(该组督导记录中最大的轮次)中的最小值;"
        "为 5 即“全部达到5轮以上”。没有指导组时为 0。"
    ),
)
def rounds_min_per_group(ctx: MetricContext) -> int:
    return min(rounds_per_group(ctx), default=0)
