"""The problem taxonomy (一级 / 二级 / 三级分类): ``categories_load``, idempotent by full name.

A category is known by its full name (城乡建设/安全生产/事故处理), so loading the same rows twice
creates nothing the second time; existing categories (renamed or added in the admin) are kept.
"""

from collections.abc import Iterable, Sequence
from typing import Any

SEPARATOR = "/"
MAX_LEVELS = 3
NAME_MAX = 50


def _paths(rows: Iterable[Sequence[str]]) -> list[tuple[str, ...]]:
    """Every distinct category path (each prefix of each row), parents before children, in file order."""
    seen: dict[tuple[str, ...], None] = {}
    for row in rows:
        names = [n.strip().replace(SEPARATOR, "／")[:NAME_MAX] for n in row[:MAX_LEVELS]]
        while names and not names[-1]:
            names.pop()
        if not names or not all(names):
            continue
        for depth in range(1, len(names) + 1):
            seen.setdefault(tuple(names[:depth]), None)
    return sorted(seen, key=len)


def categories_load(rows: Iterable[Sequence[str]], *, model: Any = None) -> int:
    """Create the categories named by ``rows`` (level-1, level-2, level-3 names) that do not exist yet.

    Returns how many were created. ``model`` is the Category model (a migration passes its
    historical one).
    """
    if model is None:
        from minqing.ledger.models import Category

        model = Category
    paths = _paths(rows)
    by_full: dict[str, int] = dict(model.objects.values_list("full_name", "id"))
    created = 0
    for level in range(1, MAX_LEVELS + 1):
        new = [
            model(
                name=p[-1],
                level=level,
                full_name=SEPARATOR.join(p),
                parent_id=by_full[SEPARATOR.join(p[:-1])] if level > 1 else None,
            )
            for p in paths
            if len(p) == level and SEPARATOR.join(p) not in by_full
        ]
        if not new:
            continue
        model.objects.bulk_create(new, batch_size=500)
        created += len(new)
        names = [c.full_name for c in new]
        by_full.update(model.objects.filter(full_name__in=names).values_list("full_name", "id"))
    return created
