"""The metrics registry: every figure a bulletin prints, counted from the records.

A metric module registers functions with ``@metric(...)``; ``compute`` evaluates the requested
metrics for one unit subtree, campaign and as-of date. Nothing is stored as a total.
"""

from minqing.reports.metrics.registry import (
    METRICS,
    MODULES,
    PERIOD_NOTE,
    Metric,
    MetricContext,
    MetricValue,
    compute,
    compute_all,
    default_campaign,
    load_all,
    metric,
)

__all__ = [
    "METRICS",
    "MODULES",
    "PERIOD_NOTE",
    "Metric",
    "MetricContext",
    "MetricValue",
    "compute",
    "compute_all",
    "default_campaign",
    "load_all",
    "metric",
]
