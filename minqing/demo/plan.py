"""The deterministic plan of a tier: which units, how many grids where, how many households each.

Plans depend only on the tier and the seed (never on what the database holds), so a re-run
computes the same plan and the loaders can skip what exists.
"""

from dataclasses import dataclass

from minqing.demo.context import DemoContext
from minqing.demo.names import cn_number
from minqing.demo.tiers import TierSpec, TreeSource
from minqing.orgs.divisions import PROVINCE_ROW, iter_nbs
from minqing.orgs.divisions import short_name as short_name  # the demo's modules import it from here
from minqing.orgs.enums import UnitKind, UnitSubkind
from minqing.orgs.services.units import UnitRow


def _keep(row: UnitRow, prefix: str) -> bool:
    if not prefix or row.code.startswith(prefix):
        return True
    stem = row.code.rstrip("0")
    return prefix.startswith(stem)  # an ancestor of the prefix unit


def tree_rows(ctx: DemoContext) -> list[UnitRow]:
    """The province and the tier's NBS rows (deduplicated by code), parents before children."""
    if "tree_rows" not in ctx.cache:
        rows: dict[str, UnitRow] = {PROVINCE_ROW.code: PROVINCE_ROW}
        for src in ctx.tier.trees:
            for r in _source_rows(src):
                rows.setdefault(r.code, r)
        ctx.cache["tree_rows"] = list(rows.values())
    rows_: list[UnitRow] = ctx.cache["tree_rows"]
    return rows_


def _source_rows(src: TreeSource) -> list[UnitRow]:
    return [r for r in iter_nbs(src.path) if _keep(r, src.prefix)]


def in_scope(code: str, tier: TierSpec) -> bool:
    return any(code.startswith(p) for p in tier.grid_scope)


@dataclass(frozen=True)
class GridPlan:
    code: str
    name: str
    village_code: str
    subkind: str
    households: int


def apportion(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split ``total`` over ``weights`` (largest remainder), each getting at least ``minimum``.

    With fewer than ``minimum`` per item to give, the heaviest items get one each.
    """
    n = len(weights)
    if n == 0:
        return []
    if total < n * minimum:
        out = [0] * n
        for i in sorted(range(n), key=lambda i: (-weights[i], i))[:total]:
            out[i] = 1
        return out
    rest = total - n * minimum
    s = sum(weights)
    quotas = [rest * w / s for w in weights]
    out = [minimum + int(q) for q in quotas]
    left = total - sum(out)
    for i in sorted(range(n), key=lambda i: (-(quotas[i] - int(quotas[i])), i))[:left]:
        out[i] += 1
    return out


def grid_plan(ctx: DemoContext) -> list[GridPlan]:
    """Grids under the scope's villages, and the households of each, both summing exactly."""
    if "grid_plan" in ctx.cache:
        cached: list[GridPlan] = ctx.cache["grid_plan"]
        return cached
    tier = ctx.tier
    villages = sorted(
        (r for r in tree_rows(ctx) if r.kind == UnitKind.VILLAGE and in_scope(r.code, tier)),
        key=lambda r: r.code,
    )
    rng = ctx.rng("grid_plan")
    per_village = apportion(tier.grids, [rng.uniform(0.4, 1.6) for _ in villages])
    grids: list[tuple[str, str, str, str]] = []
    for v, n in zip(villages, per_village, strict=True):
        community = v.subkind == UnitSubkind.COMMUNITY
        for i in range(1, n + 1):
            name = f"第{cn_number(i)}网格" if community else f"第{cn_number(i)}村民小组"
            sub = UnitSubkind.COMMUNITY_GRID if community else UnitSubkind.VILLAGER_GROUP
            grids.append((f"{v.code}{i:03d}", name, v.code, sub))
    weights = [rng.uniform(0.5, 1.5) * (1.5 if g[3] == UnitSubkind.COMMUNITY_GRID else 1.0) for g in grids]
    per_grid = apportion(tier.households, weights)
    plan = [GridPlan(*g, households=h) for g, h in zip(grids, per_grid, strict=True)]
    ctx.cache["grid_plan"] = plan
    return plan


def names_by_code(ctx: DemoContext) -> dict[str, UnitRow]:
    if "rows_by_code" not in ctx.cache:
        ctx.cache["rows_by_code"] = {r.code: r for r in tree_rows(ctx)}
    by_code: dict[str, UnitRow] = ctx.cache["rows_by_code"]
    return by_code
