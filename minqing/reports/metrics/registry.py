"""Metric definitions and their evaluation.

Each metric has an id (the key of ``minqing bulletin --format json``, e.g.
``study.reading_class.sessions``), a Chinese label, a counting word (次, 场, 人, 人次, 个, 条, 户,
间, 公里, 亿元, or "" for a share), a definition, a kind (``count``, ``share`` as a fraction
0..1, ``amount`` as a Decimal) and a function ``(ctx) -> number`` that counts from the records.

``MetricContext`` carries the unit (whole subtree), the campaign (may be None), the as-of date
(records dated up to the end of that local day count; a problem's state as of the date comes
from its event log) and a per-evaluation cache so that metrics sharing a query (e.g. all the
``study.*`` figures from one ``activity_counts`` call) run it once.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

from minqing.campaigns.models import Campaign
from minqing.orgs.models import Unit

Number = int | float | Decimal


@dataclass
class MetricContext:
    unit: Unit
    as_of: dt.date
    campaign: Campaign | None = None
    actor: Any = None  # None: the system (CLI, published bulletins); else scoped to the user
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the as-of date (local time): records before it count."""
        return timezone.make_aware(dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time()))

    @property
    def start(self) -> dt.datetime:
        """The campaign's first day (local midnight), or the beginning of the as-of year."""
        day = self.campaign.start_date if self.campaign is not None else self.as_of.replace(month=1, day=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    def cached(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


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

    def deco(func: Callable[[MetricContext], Number]) -> Callable[[MetricContext], Number]:
        if id in METRICS:
            raise ValueError(f"metric {id} registered twice")
        METRICS[id] = Metric(id, label, word, definition, func, kind, id.split(".", 1)[0])
        return func

    return deco


def compute(ctx: MetricContext, ids: Iterable[str] | None = None) -> dict[str, MetricValue]:
    """Evaluate ``ids`` (all registered metrics by default) in ``ctx``, in registry order."""
    load_all()
    wanted = list(METRICS) if ids is None else list(ids)
    return {i: MetricValue(METRICS[i], METRICS[i].func(ctx)) for i in wanted}


# the modules of ``minqing/reports/metrics/`` that define metrics, one per domain, in print order
MODULES: tuple[str, ...] = ()


def load_all() -> None:
    """Import every metric module (each registers its metrics on import)."""
    from importlib import import_module

    for name in MODULES:
        import_module(f"minqing.reports.metrics.{name}")
