"""The tables behind a bulletin's figures, one per metric group, for the xlsx sheets.

Each provider takes the bulletin's ``MetricContext`` (unit subtree, campaign, as-of date) and
returns a titled table counted from the records with the same rules as the metrics: activities
by type (``activity_counts``), problems by source and state as of the date (from the event log).
A group without a provider gets the list of its figures only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from minqing.activities.counting import activity_counts
from minqing.ledger.enums import Source, State
from minqing.reports.metrics import problems
from minqing.reports.metrics.registry import MetricContext

Cell = str | int | float


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""


def study_table(ctx: MetricContext) -> Table:
    counts = activity_counts(ctx.actor, ctx.unit, ctx.start, ctx.end, campaign=ctx.campaign)
    t = Table(
        _("各类活动次/场、人次和人数"),
        [_("活动类型"), _("代码"), _("计数单位"), _("次/场"), _("人次"), _("人"), _("无签到名单的活动")],
        note=_("无签到名单的活动按登记的参加人数计人次,不计入“人”。"),
    )
    for c in counts:
        t.rows.append(
            [
                c.type.name,
                c.type.code,
                c.type.get_counting_word_display(),
                c.sessions,
                c.person_times,
                c.people,
                c.headcount_only,
            ]
        )
    return t


def problems_table(ctx: MetricContext) -> Table:
    """Problems of the subtree registered in the period (of the campaign, when there is one), by
    source and by state as of the date (merged duplicates show as 已合并): the figures the
    bulletin's problem metrics count (``metrics.problems.figures``, read once per context)."""
    counts: dict[tuple[str, str], int] = {}
    for cell in problems.figures(ctx).cells:
        counts[(cell.source, cell.state)] = counts.get((cell.source, cell.state), 0) + cell.n
    states = list(State)
    t = Table(
        _("问题按来源和截止日期时的状态"),
        [_("来源"), *[str(s.label) for s in states], _("合计")],
        note=_("登记时间在期间内的问题;状态取截止日期当天结束时办理记录中的最新状态。"),
    )
    for source in Source:
        row: list[Cell] = [str(source.label)]
        row += [counts.get((source.value, s.value), 0) for s in states]
        row.append(sum(counts.get((source.value, s.value), 0) for s in states))
        t.rows.append(row)
    totals: list[Cell] = [_("合计")]
    totals += [sum(counts.get((src.value, s.value), 0) for src in Source) for s in states]
    totals.append(sum(counts.values()))
    t.rows.append(totals)
    return t


PROVIDERS: dict[str, Callable[[MetricContext], Table]] = {
    "study": study_table,
    "problems": problems_table,
}
