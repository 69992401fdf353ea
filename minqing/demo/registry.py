"""The demo's stages, in order; other apps add theirs.

Each app's demo data is a module of ``minqing.demo.stages`` (``stages/ledger.py`` for the
ledger, ...) that registers a function there::

    from minqing.demo.registry import register_stage

    @register_stage("problems", label="问题", tiers=("city", "region"), order=200)
    def load_problems(ctx: DemoContext) -> dict[str, int]:
        n = ctx.tier.targets["problems"]
        ...
        return {"problems": n}

``minqing demo`` imports those modules (``discover``) and runs the stages registered for the
chosen tier; the domain apps never import the demo. A tier's ``expected_stages`` that nobody
has registered yet are listed as not available; nothing is faked in their place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from minqing.demo.context import DemoContext

StageFunc = Callable[["DemoContext"], dict[str, int]]

ALL_TIERS = ("mini", "seed", "city", "region")


@dataclass(frozen=True)
class Stage:
    name: str
    label: "str | Promise"
    tiers: tuple[str, ...]
    order: int
    func: StageFunc


_STAGES: dict[str, Stage] = {}


def register_stage(
    name: str, *, label: "str | Promise", tiers: tuple[str, ...] = ALL_TIERS, order: int = 1000
) -> Callable[[StageFunc], StageFunc]:
    def deco(func: StageFunc) -> StageFunc:
        _STAGES[name] = Stage(name, label, tuple(tiers), order, func)
        return func

    return deco


def discover() -> None:
    """Import the core stages and every app's stages (importing a module registers its stages)."""
    import minqing.demo.stages  # noqa: F401  (registers the core stages)
    from minqing.demo.stages import (  # noqa: F401
        activities,
        catalogues,
        ledger,
        members,
        programmes,
        replay,
        supervision,
    )


def stages_for(tier: str) -> list[Stage]:
    return sorted((s for s in _STAGES.values() if tier in s.tiers), key=lambda s: (s.order, s.name))


def registered(name: str) -> bool:
    return name in _STAGES
