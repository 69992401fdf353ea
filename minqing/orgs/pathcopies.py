"""Registry of the copied unit paths, so that a moved unit keeps every copy right.

Rows counted by subtree carry a copy of their unit's ``path`` (see ``core/paths.py``). When the
loader moves a unit, ``repath_copies`` rewrites every registered field under the old path and
then calls the registered hooks (e.g. the activity rollups, which are keyed by path, rebuild).
Apps register in their ``AppConfig.ready``::

    register_path_copies("activities.Activity", "activities.Attendance")
    register_repath_hook(rebuild_rollups)
"""

from collections.abc import Callable

from django.apps import apps
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from minqing.core.paths import prefix_q

_FIELDS: dict[str, tuple[str, ...]] = {}  # "app_label.Model" -> path fields
_HOOKS: list[Callable[[str, str], None]] = []


def register_path_copies(*labels: str, fields: tuple[str, ...] = ("path",)) -> None:
    for label in labels:
        _FIELDS[label] = tuple(dict.fromkeys((*_FIELDS.get(label, ()), *fields)))


def register_repath_hook(hook: Callable[[str, str], None]) -> None:
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def registered() -> dict[str, tuple[str, ...]]:
    return dict(_FIELDS)


def repath_copies(old: str, new: str) -> None:
    """Rewrite ``old``-prefixed copies to ``new`` in every registered field, then run the hooks."""
    for label, fields in _FIELDS.items():
        model = apps.get_model(label)
        for f in fields:
            model._default_manager.filter(prefix_q(old, f)).update(
                **{f: Concat(Value(new), Substr(f, len(old) + 1))}
            )
    for hook in _HOOKS:
        hook(old, new)
