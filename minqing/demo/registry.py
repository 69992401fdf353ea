"""The demo's stages, in order; other apps add theirs.

An app that has demo data for a tier puts a ``demo_stages`` module in its package and
registers a function there::

    from minqing.demo.registry import register_stage

    @register_stage("problems", label="问题", tiers=("city", "region"), order=200)
    def load_problems(ctx: DemoContext) -> dict[str, int]:
        n = ctx.tier.targets["problems"]
        ...
        return {"problems": n}

``minqing demo`` imports every installed app's ``demo_stages`` module and runs the stages
registered for the chosen tier. A tier's ``expected_stages`` that nobody has registered yet
are listed as not available; nothing is faked in their place.
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
    """Import the core stages and every installed app's ``demo_stages`` module."""
    from django.utils.module_loading import autodiscover_modules

    import minqing.demo.stages  # noqa: F401  (registers the core stages)

    autodiscover_modules("demo_stages")


def stages_for(tier: str) -> list[Stage]:
    return sorted((s for s in _STAGES.values() if tier in s.tiers), key=lambda s: (s.order, s.name))


def registered(name: str) -> bool:
    return name in _STAGES
