"""Subtree filters over materialized paths.

Every unit has a treebeard path; households, people and assignments carry a copy of their
unit's path. "X is in the subtree of P" is "X.path starts with P". On PostgreSQL that is a
LIKE 'P%' served by a varchar_pattern_ops index; on SQLite (whose LIKE is case-insensitive and
so cannot use a BINARY index) it is the equivalent half-open range [P, P + U+FFFF).
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q

PATH_TOP = "\uffff"


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
