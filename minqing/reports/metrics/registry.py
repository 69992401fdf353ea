"""Metric definitions and their evaluation.

Each metric has an id (the key of ``minqing bulletin --format json``, e.g.
``study.reading_class.sessions``), a Chinese label, a counting word (次, 场, 人, 人次, 个, 条, 户,
间, 公里, 亿元, or "" for a share), a definition, a kind (``count``, ``share`` as a fraction
0..1, ``amount`` as a Decimal) and a function ``(ctx) -> number`` that counts from the records.

``MetricContext`` carries the unit (whole subtree), the campaign (may be None), the actor
(``minqing.orgs.actors.SYSTEM`` for the command line and the bulletins), the as-of date
(records dated up to the end of that local day count; a problem's state as of the date comes
from its event log) and a per-evaluation cache so that metrics sharing a query (e.g. all the
``study.*`` figures from one ``activity_counts`` call) run it once.

Which records count, for every metric (each definition says it in Chinese):

- the subtree: the record's copied unit ``path`` starts with the unit's path;
- the period: from the campaign's first day (without a campaign, from 1 January of the as-of
  year) to the end of the as-of date; a record counts by its own date (an activity's start, a
  problem's registration, a topic's creation, an interview's or a visit's date ...);
- with a campaign: activities, problems, research topics, work plans and guidance groups count
  only when they carry it; programmes, reform measures and commendations when they carry it or
  none; visits and assignments carry none and count by their dates;
- except: a problem's state and resolution kind are those of its event log at the end of the
  as-of date; the power list and the reform measures are counted as they stand at the as-of
  date (not only what was added in the period); programme progress is the latest cumulative
  report of each unit by the as-of date; a demonstration assignment counts when it was in force
  at some time in the period.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.ledger.rollup import plans_shared
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit
from minqing.reports.metrics import lanes

Number = int | float | Decimal
KINDS = ("count", "share", "amount")

# what every definition's 统计期 (period) and 本单位 (subtree) mean, for the bulletin's notes
PERIOD_NOTE = _(
    "统计范围为本单位及其全部下级单位;统计期自专题开始之日(未指定专题时自截止日期当年1月1日)"
    "至截止日期当天结束,各记录按其自身日期计入。指定专题时,活动、问题、调研课题、工作方案、"
    "指导组只统计该专题的记录,项目、改革举措、表彰统计该专题的和不属于任何专题的记录。"
    "问题的状态和办结方式取截止日期当天结束时办理记录所示的状态。"
)


@dataclass
class MetricContext:
    unit: Unit
    as_of: dt.date
    campaign: Campaign | None = None
    actor: Actor = field(kw_only=True)  # SYSTEM for the command line and bulletins; else a user's scope
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the as-of date (local time): records before it count."""
        return timezone.make_aware(dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time()))

    @property
    def first_day(self) -> dt.date:
        """The period's first day: the campaign's, or 1 January of the as-of year."""
        return self.campaign.start_date if self.campaign is not None else self.as_of.replace(month=1, day=1)

    @property
    def start(self) -> dt.datetime:
        """The campaign's first day (local midnight), or the beginning of the as-of year."""
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time()))

    def cached(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]

    # filters every metric module shares

    def in_period(self, field: str, *, dated: bool = False) -> Q:
        """``field`` (a datetime, or a date with ``dated``) falls in the period."""
        if dated:
            return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.as_of})
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def of_campaign(self, field: str = "campaign") -> Q:
        """Records of the campaign (everything without one)."""
        return Q(**{field: self.campaign}) if self.campaign is not None else Q()

    def of_campaign_or_none(self, field: str = "campaign") -> Q:
        """Records of the campaign or of no campaign (standing registers, programmes)."""
        if self.campaign is None:
            return Q()
        return Q(**{field: self.campaign}) | Q(**{f"{field}__isnull": True})


@dataclass(frozen=True)
class Metric:
    id: str
    label: "str | Promise"
    word: "str | Promise"
    definition: "str | Promise"
    func: Callable[[MetricContext], Number]
    kind: str = "count"  # count | share | amount
    group: str = ""  # the first part of the id: study, problems, research, ...


@dataclass(frozen=True)
class MetricValue:
    metric: Metric
    value: Number

    @property
    def id(self) -> str:
        return self.metric.id


METRICS: dict[str, Metric] = {}


def metric(
    id: str,
    *,
    label: "str | Promise",
    word: "str | Promise" = "",
    definition: "str | Promise" = "",
    kind: str = "count",
) -> Callable[[Callable[[MetricContext], Number]], Callable[[MetricContext], Number]]:
    """Register ``func`` as metric ``id``."""
    if kind not in KINDS:
        raise ValueError(f"metric {id}: unknown kind {kind}")

    def deco(func: Callable[[MetricContext], Number]) -> Callable[[MetricContext], Number]:
        if id in METRICS:
            raise ValueError(f"metric {id} registered twice")
        METRICS[id] = Metric(id, label, word, definition, func, kind, id.split(".", 1)[0])
        return func

    return deco


def compute(ctx: MetricContext, ids: Iterable[str] | None = None) -> dict[str, MetricValue]:
    """Evaluate ``ids`` (all registered metrics by default) in ``ctx``, in registry order.

    An actor who may not see the unit gets ``Http404``, as for any other read of a unit. On
    PostgreSQL outside a transaction the groups of ``lanes.SECOND_LANE`` run in a second lane
    (``minqing.reports.metrics.lanes``); both lanes use ``ctx.cache``, each group under keys named
    after itself, so a key is never filled by both."""
    load_all()
    if not can_access_unit(ctx.actor, ctx.unit):
        raise Http404
    wanted = list(METRICS) if ids is None else list(ids)
    unknown = [i for i in wanted if i not in METRICS]
    if unknown:
        raise KeyError(f"unknown metrics: {', '.join(unknown)}")
    with plans_shared():  # the problem figures and 满意率 plan their reading of the rollup once
        second = [i for i in wanted if METRICS[i].group in lanes.SECOND_LANE]
        first = [i for i in wanted if METRICS[i].group not in lanes.SECOND_LANE]
        if not second or not first or not lanes.enabled():
            return {i: MetricValue(METRICS[i], METRICS[i].func(ctx)) for i in wanted}
        later = lanes.submit(lambda: {i: METRICS[i].func(ctx) for i in second})
        values = {i: METRICS[i].func(ctx) for i in first}
        values.update(later.result())
        return {i: MetricValue(METRICS[i], values[i]) for i in wanted}


def compute_all(
    unit: Unit, as_of: dt.date, campaign: Campaign | None = None, *, actor: Actor
) -> dict[str, MetricValue]:
    """Every registered metric for ``unit``'s subtree, ``campaign`` (None: no filter) and ``as_of``."""
    return compute(MetricContext(unit=unit, as_of=as_of, campaign=campaign, actor=actor))


def default_campaign(unit: Unit, as_of: dt.date) -> Campaign | None:
    """The campaign running at ``as_of`` (started by then, not yet ended or open-ended) whose scope
    contains the unit or lies inside it; the most specific one: the unit's own, else the deepest
    scope above the unit, else the shallowest scope below it; then the latest start; then name."""
    step = Unit.steplen
    above = [unit.path[:k] for k in range(step, len(unit.path) + 1, step)]
    candidates = Campaign.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_of),
        Q(path__in=above) | prefix_q(unit.path),
        start_date__lte=as_of,
    )

    def rank(c: Campaign) -> tuple[int, int, int, str]:
        above = unit.path.startswith(c.path)  # the scope is the unit or above it
        depth = len(c.path) if above else -len(c.path)
        return (0 if above else 1, -depth, -c.start_date.toordinal(), c.name)

    return min(candidates, key=rank, default=None)


# the modules of ``minqing/reports/metrics/`` that define metrics, one per domain, in print order
MODULES: tuple[str, ...] = (
    "research",
    "problems",
    "supervision",
    "orgs",
    "study",
    "plans",
    "lectures",
    "programmes",
    "demonstration",
    "visits",
    "catalogues",
)


def load_all() -> None:
    """Import every metric module (each registers its metrics on import)."""
    from importlib import import_module

    for name in MODULES:
        import_module(f"minqing.reports.metrics.{name}")
