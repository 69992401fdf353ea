"""Programmes against plan (“十个全覆盖”): funds, and per target the quantity and its share of plan.

The programmes counted are those owned by the unit, a unit above it or below it, started by the
as-of date (with a campaign: of the campaign or of none). Each is measured for the unit's subtree
(the whole programme when its owner lies below the unit) by ``programme_progress``: the latest
report of each unit as of the date, rolled up from the leaf-most reporting units; the plan rolled
down from the owner's (see ``minqing.programmes.models``). A target is found by its key.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.core.paths import prefix_q
from minqing.orgs.models import Unit
from minqing.programmes.models import Programme
from minqing.programmes.rollup import WAN_PER_YI, ZERO
from minqing.programmes.selectors import programme_progress
from minqing.reports.metrics.registry import MetricContext, metric

# the targets the bulletins print: key -> (name, measure)
TARGETS: dict[str, tuple[Promise, Promise]] = {
    "housing": (_("危房改造"), _("户")),
    "village_cleanup": (_("村庄整治"), _("间")),
    "road_paving": (_("街巷硬化"), _("公里")),
    "clinic": (_("卫生室"), _("个")),
    "culture_room": (_("文化活动室"), _("个")),
    "shop": (_("便民连锁超市"), _("个")),
}


@dataclass
class Tally:
    counted: Decimal = ZERO  # in progress + completed, or completed only (the target's share basis)
    plan: Decimal = ZERO


@dataclass
class ProgrammeFigures:
    funds: Decimal  # 万元
    targets: dict[str, Tally]


def programmes(ctx: MetricContext) -> list[Programme]:
    step = Unit.steplen
    above = [ctx.unit.path[:k] for k in range(step, len(ctx.unit.path) + 1, step)]
    qs = Programme.objects.filter(Q(path__in=above) | prefix_q(ctx.unit.path), start_date__lte=ctx.as_of)
    return list(qs.filter(ctx.of_campaign_or_none()).select_related("owner").order_by("path", "pk"))


def figures(ctx: MetricContext) -> ProgrammeFigures:
    def run() -> ProgrammeFigures:
        out = ProgrammeFigures(ZERO, {})
        for p in programmes(ctx):
            unit = ctx.unit if ctx.unit.path.startswith(p.path) else p.owner
            progress = programme_progress(ctx.actor, p, unit, ctx.as_of, series=False, drill=False)
            for tp in progress.targets:
                out.funds += tp.total.funds
                tally = out.targets.setdefault(tp.target.key, Tally())
                tally.counted += tp.total.counted
                tally.plan += tp.total.plan or ZERO
        return out

    result: ProgrammeFigures = ctx.cached("programmes.figures", run)
    return result


@metric(
    "programme.funds",
    label=_("投入资金"),
    word=_("亿元"),
    kind="amount",
    definition=_(
        "本单位及下级单位在各项目各指标上截至截止日期最新填报的累计投入资金之和"
        "(以亿元计,1 亿元 = 10,000 万元);"
        "项目为本单位、上级或下级单位的、截止日期前开始的项目(有专题时为该专题的或不属于任何专题的项目)。"
    ),
)
def funds(ctx: MetricContext) -> Decimal:
    return figures(ctx).funds / WAN_PER_YI


def _quantity(key: str) -> Callable[[MetricContext], Decimal]:
    def value(ctx: MetricContext) -> Decimal:
        tally = figures(ctx).targets.get(key)
        return tally.counted if tally is not None else ZERO

    return value


def _share(key: str) -> Callable[[MetricContext], Decimal]:
    def value(ctx: MetricContext) -> Decimal:
        tally = figures(ctx).targets.get(key)
        if tally is None or tally.plan <= 0:
            return ZERO
        return tally.counted / tally.plan

    return value


for _key, (_name, _measure) in TARGETS.items():
    metric(
        f"programme.target.{_key}.quantity",
        label=format_lazy(_("{name}完成量"), name=_name),
        word=_measure,
        kind="amount",
        definition=format_lazy(
            _(
                "指标代码为“{key}”({name})的指标在本单位及下级单位截至截止日期的在建及完工量"
                "(指标按“完工”口径时只计完工量),取各单位最新的累计填报,由最下层填报单位汇总。"
            ),
            key=_key,
            name=_name,
        ),
    )(_quantity(_key))
    metric(
        f"programme.target.{_key}.share",
        label=format_lazy(_("{name}占计划比例"), name=_name),
        kind="share",
        definition=format_lazy(
            _("{name}完成量占本单位计划数的比例(小数,如 0.796 即 79.6%);没有计划时为 0。"),
            name=_name,
        ),
    )(_share(_key))
