"""Problems: counted from the ledger, with state and resolution kind as of the date.

Problems of the subtree (所属单位 in it) registered in the period (with a campaign: of the
campaign); a problem merged into another (已合并 as of the date) is counted once, as the problem
it was merged into. The state and the resolution kind are those of the event log at the end of
the as-of date (``minqing.ledger.asof``): a problem resolved the day after is not resolved yet.
The counts come from the ledger's ``problem_figures`` (the dashboard's selector too): one
grouped query per context serves every figure.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from minqing.ledger.enums import Source, State
from minqing.ledger.figures import Cell, ProblemFigures, problem_figures
from minqing.ledger.satisfaction import SatisfactionCounts, satisfaction_counts
from minqing.reports.metrics.registry import MetricContext, metric

PUBLIC = (Source.PUBLIC,)
PUBLIC_SELF = (Source.PUBLIC, Source.SELF_INSPECTION)


def figures(ctx: MetricContext) -> ProblemFigures:
    """The period's problems in their state as of the date, from the ledger's one selector (the
    dashboard's too), once per context."""

    def run() -> ProblemFigures:
        return problem_figures(
            ctx.actor,
            ctx.unit,
            ctx.start,
            ctx.end,
            as_of=ctx.as_of,
            campaign=ctx.campaign,
            make=ProblemFigures,
        )

    out: ProblemFigures = ctx.cached("problems.figures", run)
    return out


def count(ctx: MetricContext, keep: Callable[[Cell], bool]) -> int:
    """Problems (not merged away) whose group passes ``keep``."""
    return figures(ctx).count(keep)


def _sources(sources: Iterable[str]) -> Callable[[Cell], bool]:
    wanted = set(sources)
    return lambda c: c.source in wanted


@metric(
    "problems.public_self.count",
    label=_("收到群众反映及自我检视发现问题"),
    word=_("条"),
    definition=_(
        "来源为群众反映(来信、来访、来电、网络任一渠道)或自我检视的问题条数;"
        "所属单位为本单位或下级单位、在统计期内登记(有专题时为该专题)的问题,合并到其他问题的不重复计算。"
    ),
)
def public_self_count(ctx: MetricContext) -> int:
    return count(ctx, _sources(PUBLIC_SELF))


@metric(
    "problems.public_self.on_the_spot",
    label=_("群众反映及自我检视问题中已立行立改"),
    word=_("条"),
    definition=_(
        "上述群众反映及自我检视问题中,截止日期当天结束时已办结或已销号、办结方式为立行立改的条数"
        "(取截止日期时的办理记录,之后才办结的不计)。"
    ),
)
def public_self_on_the_spot(ctx: MetricContext) -> int:
    keep = _sources(PUBLIC_SELF)
    return count(ctx, lambda c: keep(c) and c.on_the_spot)


@metric(
    "problems.petition_backlog.resolved",
    label=_("化解信访积案"),
    word=_("个"),
    definition=_(
        "来源为信访积案、截止日期当天结束时已办结或已销号(任一办结方式)的问题个数;"
        "积案须在统计期内登记入台账(有专题时为该专题),专题开始前的积案在专题中接办时登记。"
    ),
)
def petition_backlog_resolved(ctx: MetricContext) -> int:
    keep = _sources((Source.PETITION_BACKLOG,))
    return count(ctx, lambda c: keep(c) and c.done)


@metric(
    "problems.prominent.resolved",
    label=_("解决突出问题"),
    word=_("个"),
    definition=_(
        "标记为突出问题(任一来源)、截止日期当天结束时已办结或已销号的问题个数;"
        "所属单位为本单位或下级单位、在统计期内登记(有专题时为该专题)的问题。"
    ),
)
def prominent_resolved(ctx: MetricContext) -> int:
    return count(ctx, lambda c: c.prominent and c.done)


@metric(
    "problems.public.count",
    label=_("收到群众反映问题"),
    word=_("条"),
    definition=_(
        "来源为群众反映(来信、来访、来电、网络)的问题条数;"
        "所属单位为本单位或下级单位、在统计期内登记(有专题时为该专题)的问题,合并到其他问题的不重复计算。"
    ),
)
def public_count(ctx: MetricContext) -> int:
    return count(ctx, _sources(PUBLIC))


@metric(
    "problems.public.on_the_spot",
    label=_("群众反映问题中已立行立改"),
    word=_("条"),
    definition=_("上述群众反映问题中,截止日期当天结束时已办结或已销号、办结方式为立行立改的条数。"),
)
def public_on_the_spot(ctx: MetricContext) -> int:
    keep = _sources(PUBLIC)
    return count(ctx, lambda c: keep(c) and c.on_the_spot)


@metric(
    "problems.public.rectifying",
    label=_("群众反映问题中正在整改"),
    word=_("条"),
    definition=_(
        "上述群众反映问题中,截止日期当天结束时状态为“整改中”的条数"
        "(已登记、已交办、已受理、已退回的尚未开始整改,不计入)。"
    ),
)
def public_rectifying(ctx: MetricContext) -> int:
    keep = _sources(PUBLIC)
    return count(ctx, lambda c: keep(c) and c.state == State.RECTIFYING)


def _satisfaction(ctx: MetricContext) -> SatisfactionCounts:
    def run() -> SatisfactionCounts:
        return satisfaction_counts(ctx.actor, ctx.unit, ctx.start, ctx.end, campaign=ctx.campaign)

    out: SatisfactionCounts = ctx.cached("problems.satisfaction", run)
    return out


@metric(
    "problems.satisfaction.judged",
    label=_("已评价满意度的问题"),
    word=_("条"),
    definition=_(
        "所属单位为本单位或下级单位、在统计期内登记的问题中,截止日期当天结束前经回访或由反映人"
        "凭查询码评价过满意度的条数;多次评价的以最后一次为准。"
    ),
)
def satisfaction_judged(ctx: MetricContext) -> int:
    return _satisfaction(ctx).judged


@metric(
    "problems.satisfaction.rate",
    label=_("群众满意率"),
    kind="share",
    definition=_(
        "上述已评价满意度的问题中,最后一次评价为“满意”或“基本满意”的比例(小数,如 0.925 即 92.5%);"
        "没有评价时为 0。"
    ),
)
def satisfaction_rate(ctx: MetricContext) -> Decimal:
    return _satisfaction(ctx).rate
