"""What every demo stage gets: the tier, the seed, output, progress bars and shared plans."""

import random
import sys
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from minqing.demo.tiers import TierSpec


@dataclass
class DemoContext:
    tier: TierSpec
    seed: int
    out: Any = field(default_factory=lambda: sys.stdout)  # a text stream or OutputWrapper
    progress: bool | None = None  # None: a bar only on a terminal
    cache: dict[str, Any] = field(default_factory=dict)  # plans shared between stages

    def rng(self, *parts: object) -> random.Random:
        """A generator for one stage or one unit: independent of what other stages did."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def bar(self, total: int, desc: str) -> "tqdm[Any]":
        disable = None if self.progress is None else not self.progress
        return tqdm(
            total=total, desc=desc, unit="", unit_scale=True, disable=disable, leave=False, file=sys.stderr
        )
