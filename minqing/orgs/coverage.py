"""The coverage panel: a registry of named checks ("村村见干部、户户有人问").

Each check is a function ``(actor, unit) -> (count, sample)`` over the unit's subtree, scoped
to the actor, with a Chinese label. A check whose data does not exist yet is registered as a
placeholder and shown as "not yet available" rather than with a made-up number; the app that
brings the data replaces it, e.g. in the visits app's ``AppConfig.ready()``::

    from minqing.orgs import coverage

    @coverage.register(coverage.HOUSEHOLDS_NEVER_VISITED, _("从未走访的户"), order=30)
    def households_never_visited(actor, unit):
        qs = scoped(Household.objects.filter(prefix_q(unit.path)), actor).filter(~Exists(...))
        return qs.count(), list(qs.order_by("path", "id")[:coverage.SAMPLE_SIZE])
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit, scoped
from minqing.orgs.selectors import active_assignments

SAMPLE_SIZE = 10
VILLAGES_WITHOUT_CADRE = "villages_without_cadre"
GRIDS_WITHOUT_CONTACT = "grids_without_contact"
HOUSEHOLDS_NEVER_VISITED = "households_never_visited"

CheckFunc = Callable[[Actor, Unit], tuple[int, Sequence[Any]]]


@dataclass(frozen=True)
class CoverageCheck:
    key: str
    label: str | Promise
    func: CheckFunc | None  # None: a placeholder until the app with the data registers it
    order: int = 100
    unavailable_note: str | Promise = ""


@dataclass(frozen=True)
class CoverageResult:
    key: str
    label: str | Promise
    available: bool
    count: int = 0
    sample: Sequence[Any] = ()
    note: str | Promise = ""


_REGISTRY: dict[str, CoverageCheck] = {}


def register(key: str, label: str | Promise, *, order: int = 100) -> Callable[[CheckFunc], CheckFunc]:
    """Register (or replace, e.g. a placeholder) the check ``key``."""

    def decorator(func: CheckFunc) -> CheckFunc:
        _REGISTRY[key] = CoverageCheck(key=key, label=label, func=func, order=order)
        return func

    return decorator


def register_placeholder(key: str, label: str | Promise, note: str | Promise, *, order: int = 100) -> None:
    """Announce a check whose data comes later; it is shown with ``note`` instead of a number."""
    if key in _REGISTRY and _REGISTRY[key].func is not None:
        return  # the real check is already registered
    _REGISTRY[key] = CoverageCheck(key=key, label=label, func=None, order=order, unavailable_note=note)


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def checks() -> list[CoverageCheck]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.key))


def run_checks(actor: Actor, unit: Unit) -> list[CoverageResult]:
    if not can_access_unit(actor, unit):
        return []
    out = []
    for check in checks():
        if check.func is None:
            note = check.unavailable_note or _("暂不可用")
            out.append(CoverageResult(check.key, check.label, available=False, note=note))
            continue
        count, sample = check.func(actor, unit)
        out.append(CoverageResult(check.key, check.label, available=True, count=count, sample=sample))
    return out


def _units_without_assignment(actor: Actor, unit: Unit, kind: str) -> tuple[int, Sequence[Any]]:
    """Units of ``kind`` in the subtree (the unit itself included) with no current assignment on them."""
    has_one = active_assignments().filter(unit=OuterRef("pk"))
    qs = scoped(Unit.objects.filter(prefix_q(unit.path), kind=kind), actor).filter(~Exists(has_one))
    return qs.count(), list(qs.order_by("path")[:SAMPLE_SIZE])


@register(VILLAGES_WITHOUT_CADRE, _("没有联系干部的村(社区)"), order=10)
def villages_without_cadre(actor: Actor, unit: Unit) -> tuple[int, Sequence[Any]]:
    return _units_without_assignment(actor, unit, UnitKind.VILLAGE)


@register(GRIDS_WITHOUT_CONTACT, _("没有联系人的网格"), order=20)
def grids_without_contact(actor: Actor, unit: Unit) -> tuple[int, Sequence[Any]]:
    return _units_without_assignment(actor, unit, UnitKind.GRID)


register_placeholder(HOUSEHOLDS_NEVER_VISITED, _("从未走访的户"), _("走访记录启用后显示"), order=30)
