"""Subtree filters over materialized paths.

Every unit has a treebeard path; households, people and assignments carry a copy of their
unit's path. "X is in the subtree of P" is "X.path starts with P". On PostgreSQL that is a
LIKE 'P%' served by a varchar_pattern_ops index; on SQLite (whose LIKE is case-insensitive and
so cannot use a BINARY index) it is the equivalent half-open range [P, P + U+FFFF).
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F, Func, Q

PATH_TOP = "\uffff"
# a county's path (province, prefecture, county: treebeard steps of 3): the per-county counters and
# rollups keep a path cut to this length, a unit above the counties its own shorter one
COUNTY_PATH = 9


def prefix_q(prefix: str, field: str = "path") -> Q:
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + PATH_TOP})


def any_prefix_q(prefixes: Iterable[str], field: str = "path") -> Q:
    """OR of prefix filters; an empty list gives a filter that matches nothing."""
    q = Q(pk__in=[])
    for p in minimal_prefixes(prefixes):
        q |= prefix_q(p, field)
    return q


def minimal_prefixes(prefixes: Iterable[str]) -> list[str]:
    """Drop prefixes covered by a shorter one: [A, AB, C] -> [A, C]."""
    out: list[str] = []
    for p in sorted(set(prefixes)):
        if not out or not p.startswith(out[-1]):
            out.append(p)
    return out


def not_by_index(field: str, output_field: Any) -> F | Func:
    """``field`` in a form SQLite's planner takes no index for (``+field``: SQLite's unary plus
    returns its operand unchanged, text included), so that a range on it beside a subtree filter
    is checked row by row on the (path, field) index instead of read through the field's own
    index. Without histograms SQLite rates every range alike, and read a village's year of
    problems through the registration-date index: every problem of the year, 0.5 s at the city
    tier. PostgreSQL's planner has the statistics to choose: the field itself."""
    if connection.vendor == "sqlite":
        return Func(F(field), template="+%(expressions)s", output_field=output_field)
    return F(field)
