"""The arithmetic of progress against plan: shares as the seeds print them, and the two rollups.

Pure functions over plain values (no database), so every rule is tested on its own:

- ``share_text(n, d)``: a percentage with one decimal place, rounded half up, without a
  trailing ``.0`` (``79.6%``, ``84%``); ``—`` when there is no plan.
- Plans roll up top-down: a unit's plan is its own plan if set, else the sum of the plans of the
  top-most planned units below it (``plan_of``).
- Progress rolls up bottom-up: as of a date the latest report of each (unit, mode) counts, and a
  unit's progress is the sum over the leaf-most reporting units of its subtree, per mode
  (``latest_as_of``, ``leaf_most``, ``progress_of``).
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from minqing.core.paths import PATH_TOP, minimal_prefixes

ZERO = Decimal(0)
NO_SHARE = "—"
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")
WAN_PER_YI = Decimal(10_000)  # 1 亿元 = 10,000 万元

Number = int | Decimal


# --- formatting ------------------------------------------------------------------------------


def share(numerator: Number, denominator: Number | None) -> Decimal | None:
    """``numerator / denominator`` as an exact fraction; ``None`` without a positive plan."""
    if denominator is None or denominator <= 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def percent_text(fraction: Decimal | None) -> str:
    """A fraction as a percentage: one decimal place, half up, a trailing ``.0`` dropped."""
    if fraction is None:
        return NO_SHARE
    text = f"{(fraction * 100).quantize(TENTH, rounding=ROUND_HALF_UP):f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def share_text(numerator: Number, denominator: Number | None) -> str:
    """The share as the seeds print it: 41350 / 51947 -> ``79.6%``; 2082 / 2479 -> ``84%``."""
    return percent_text(share(numerator, denominator))


def quantity_text(value: Number | None) -> str:
    """``41,350``, ``12.5``: thousands separators, no trailing zeros; ``—`` for no value."""
    if value is None:
        return NO_SHARE
    d = Decimal(value).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return f"{d:,f}"


def funds_text(wan: Number) -> str:
    """万元 with two decimal places: ``177,500.00``."""
    return f"{Decimal(wan).quantize(HUNDREDTH, rounding=ROUND_HALF_UP):,f}"


def funds_yi_text(wan: Number) -> str:
    """The same sum in 亿元, as the seeds print it: 177,500 万元 -> ``17.75``."""
    return quantity_text((Decimal(wan) / WAN_PER_YI).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Plan and progress of one scope (a unit's subtree) on one target (or one of its modes)."""

    plan: Decimal | None
    in_progress: Decimal = ZERO
    completed: Decimal = ZERO
    funds: Decimal = ZERO
    completed_only: bool = False  # the target's share basis: completed / plan

    @property
    def started(self) -> Decimal:
        """在建及完工."""
        return self.in_progress + self.completed

    @property
    def counted(self) -> Decimal:
        """What the target's share counts: 在建及完工, or 完工 only."""
        return self.completed if self.completed_only else self.started

    @property
    def share(self) -> Decimal | None:
        return share(self.counted, self.plan)

    @property
    def share_text(self) -> str:
        return share_text(self.counted, self.plan)

    @property
    def started_share_text(self) -> str:
        return share_text(self.started, self.plan)

    @property
    def completed_share_text(self) -> str:
        return share_text(self.completed, self.plan)

    @property
    def over_plan(self) -> bool:
        return self.plan is not None and self.counted > self.plan


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One progress report reduced to what the rollup needs."""

    path: str
    mode: str
    date: dt.date
    in_progress: Decimal
    completed: Decimal
    funds: Decimal


def latest_as_of(points: Iterable[Point], as_of: dt.date) -> dict[tuple[str, str], Point]:
    """The latest report on or before ``as_of`` of each (unit path, mode)."""
    out: dict[tuple[str, str], Point] = {}
    for p in points:
        if p.date > as_of:
            continue
        key = (p.path, p.mode)
        old = out.get(key)
        if old is None or p.date > old.date:
            out[key] = p
    return out


def leaf_most(latest: Mapping[tuple[str, str], Point]) -> list[Point]:
    """Per mode, the reports of units with no reporting unit below them (no double counting)."""
    by_mode: dict[str, list[str]] = defaultdict(list)
    for path, mode in latest:
        by_mode[mode].append(path)
    out: list[Point] = []
    for mode, paths in by_mode.items():
        paths.sort()
        for i, path in enumerate(paths):
            # in a materialized path order a unit's descendants come right after it
            if i + 1 < len(paths) and paths[i + 1].startswith(path):
                continue
            out.append(latest[(path, mode)])
    return out


def progress_of(
    points: Iterable[Point], prefix: str, *, mode: str | None = None, exact: bool = False
) -> tuple[Decimal, Decimal, Decimal]:
    """(in progress, completed, funds) summed over ``points`` in ``prefix``'s subtree (or at it)."""
    ip = done = funds = ZERO
    for p in points:
        inside = p.path == prefix if exact else p.path.startswith(prefix)
        if inside and (mode is None or p.mode == mode):
            ip += p.in_progress
            done += p.completed
            funds += p.funds
    return ip, done, funds


# --- plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    path: str
    mode: str
    quantity: Decimal


def own_plans(
    rows: Iterable[PlanRow],
    *,
    mode: str | None,
    owner_path: str | None = None,
    target_plan: Decimal = ZERO,
) -> dict[str, Decimal]:
    """Each planned unit's own plan. ``mode=None``: the total over modes (the unit's plan without a
    mode if set, else the sum of its plans by mode; the owner's, when ``owner_path`` is given, is
    the target's plan quantity); else the plans of that mode."""
    if mode is not None:
        return {r.path: r.quantity for r in rows if r.mode == mode}
    whole: dict[str, Decimal] = {}
    by_mode: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.mode:
            by_mode[r.path] += r.quantity
        else:
            whole[r.path] = r.quantity
    out = {**by_mode, **whole}
    if owner_path is not None:
        out[owner_path] = target_plan
    return out


class PlanTree:
    """Own plans by unit path; ``plan_of(path)`` rolls them up top-down."""

    def __init__(self, own: Mapping[str, Decimal]) -> None:
        self.own = dict(own)
        self.paths = sorted(self.own)

    def _below(self, prefix: str) -> list[str]:
        lo = bisect.bisect_right(self.paths, prefix)
        hi = bisect.bisect_left(self.paths, prefix + PATH_TOP)
        return self.paths[lo:hi]

    def top_below(self, prefix: str) -> list[str]:
        """The top-most planned units strictly below ``prefix``."""
        return minimal_prefixes(self._below(prefix))

    def plan_of(self, prefix: str) -> Decimal | None:
        if prefix in self.own:
            return self.own[prefix]
        tops = self.top_below(prefix)
        if not tops:
            return None
        return sum((self.own[p] for p in tops), ZERO)

    def overruns(self) -> list[tuple[str, Decimal, Decimal]]:
        """(path, sum of the top-most plans below, own plan) wherever the first exceeds the second."""
        out = []
        for path in self.paths:
            tops = self.top_below(path)
            if not tops:
                continue
            below = sum((self.own[p] for p in tops), ZERO)
            if below > self.own[path]:
                out.append((path, below, self.own[path]))
        return out
