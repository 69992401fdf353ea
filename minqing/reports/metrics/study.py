"""Study: sessions (次 / 场), person-times (人次) and people (人) per activity type.

All from one ``activity_counts`` call per context (the counting selector of
``minqing.activities.counting``): activities of the type organised in the subtree, starting in
the period (with a campaign, activities of the campaign); person-times are roster rows plus the
headcounts of activities without a roster; people are the distinct persons on the rosters.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.activities.counting import TypeCount, activity_counts
from minqing.activities.types_seed import DEFAULT_TYPES
from minqing.reports.metrics.registry import MetricContext, metric

NAMES: dict[str, Promise] = {
    "reading_class": _("读书班"),
    "seminar": _("研讨"),
    "special_seminar": _("专题研讨"),
    "exemplar": _("典型教育"),
    "tutorial_lecture": _("辅导讲座"),
    "central_group": _("中心组学习会"),
    "branch_study": _("支部学习会"),
    "weekend_lecture": _("双休日讲座"),
    "mobilisation": _("动员安排会"),
}
WORDS: dict[str, Promise] = {"次": _("次"), "场": _("场")}
SEED_WORD = {code: word for code, _name, word, _public, _lecture in DEFAULT_TYPES}

# the figures the bulletins print: (type code, measures)
FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reading_class", ("sessions", "people")),
    ("seminar", ("sessions", "person_times")),
    ("exemplar", ("sessions", "person_times")),
    ("tutorial_lecture", ("sessions", "person_times")),
    ("special_seminar", ("sessions",)),
    ("central_group", ("sessions",)),
    ("weekend_lecture", ("person_times",)),
    ("branch_study", ("person_times",)),
    ("mobilisation", ("sessions",)),
)

SCOPE = _("组织单位为本单位或下级单位、开始时间在统计期内(有专题时为该专题)的“{name}”类活动")


def counts(ctx: MetricContext) -> dict[str, TypeCount]:
    """Counts per activity type code, one ``activity_counts`` call per context."""

    def run() -> dict[str, TypeCount]:
        rows = activity_counts(ctx.actor, ctx.unit, ctx.start, ctx.end, campaign=ctx.campaign)
        return {c.type.code: c for c in rows}

    out: dict[str, TypeCount] = ctx.cached("study.counts", run)
    return out


def _value(code: str, measure: str) -> Callable[[MetricContext], int]:
    def value(ctx: MetricContext) -> int:
        c = counts(ctx).get(code)
        return int(getattr(c, measure)) if c is not None else 0

    return value


def _register(code: str, measure: str) -> None:
    name = NAMES[code]
    scope = format_lazy(SCOPE, name=name)
    label: str | Promise
    word: str | Promise
    if measure == "sessions":
        label = name
        word = WORDS[SEED_WORD[code]]
        definition = format_lazy(_("{scope}的次数(场次)。"), scope=scope)
    elif measure == "person_times":
        label = format_lazy(_("{name}参加人次"), name=name)
        word = _("人次")
        definition = format_lazy(
            _("{scope}的参加人次之和:有签到名单的活动按签到人数,没有名单的活动按登记的参加人数。"),
            scope=scope,
        )
    else:
        label = format_lazy(_("{name}参学人数"), name=name)
        word = _("人")
        definition = format_lazy(
            _(
                "{scope}签到名单上的不同人员数(一人参加多次只计一人;只有参加人数、没有签到名单的活动无法计入)。"
            ),
            scope=scope,
        )
    metric(f"study.{code}.{measure}", label=label, word=word, definition=definition)(_value(code, measure))


for _code, _measures in FIGURES:
    for _measure in _measures:
        _register(_code, _measure)
