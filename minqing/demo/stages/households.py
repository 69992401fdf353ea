"""The households stage: flat rows under the planned grids, streamed in bounded chunks."""

from collections.abc import Iterator

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from minqing.demo.context import DemoContext
from minqing.demo.names import person_name
from minqing.demo.plan import GridPlan, grid_plan, names_by_code, short_name
from minqing.demo.registry import register_stage
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitSubkind
from minqing.orgs.models import Household
from minqing.orgs.services.bulk import UnitRef, unit_refs
from minqing.orgs.services.households import HouseholdRow, households_bulk_create
from minqing.orgs.services.units import UnitRow

CHUNK = 100_000  # households per transaction
MEMBERS = (1, 2, 3, 4, 5, 6)
MEMBER_WEIGHTS = (12, 30, 25, 20, 9, 4)


def household_number(grid_code: str, i: int) -> str:
    return f"{grid_code}{i:04d}"


def grid_households(ctx: DemoContext, g: GridPlan, ref: UnitRef, place: str) -> Iterator[HouseholdRow]:
    rng = ctx.rng("households", g.code)
    community = g.subkind == UnitSubkind.COMMUNITY_GRID
    mongolian = 0.2 if "嘎查" in place or "苏木" in place else 0.1
    for i in range(1, g.households + 1):
        head = person_name(rng, mongolian, male=rng.random() < 0.8)
        if community:
            building, entrance = rng.randint(1, 40), rng.randint(1, 6)
            addr = f"{place}{building}号楼{entrance}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
        else:
            addr = f"{place}{g.name}{i}号"
        members = rng.choices(MEMBERS, MEMBER_WEIGHTS)[0]
        yield HouseholdRow(ref, household_number(g.code, i), head, addr, members)


@register_stage("households", label=_("户"), order=40)
def load_households(ctx: DemoContext) -> dict[str, int]:
    plan = grid_plan(ctx)
    refs = unit_refs([g.code for g in plan])
    rows = names_by_code(ctx)
    have = dict(Household.objects.values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n"))
    todo = [g for g in plan if have.get(refs[g.code].id, 0) < g.households]
    created = 0
    with ctx.bar(sum(g.households for g in plan), str(_("户"))) as bar:
        bar.update(sum(g.households for g in plan) - sum(g.households for g in todo))
        batch: list[GridPlan] = []
        for g in [*todo, None]:
            if g is not None:
                batch.append(g)
            size = sum(b.households for b in batch)
            if batch and (g is None or size >= CHUNK):
                created += households_bulk_create(actor=SYSTEM, rows=_rows(ctx, batch, refs, rows)).created
                bar.update(size)
                batch = []
    return {"households": created}


def _rows(
    ctx: DemoContext, batch: list[GridPlan], refs: dict[str, UnitRef], rows: dict[str, UnitRow]
) -> Iterator[HouseholdRow]:
    for g in batch:
        village = rows[g.village_code]
        township = rows.get(village.parent_code)
        place = (short_name(township.name) if township else "") + short_name(village.name)
        yield from grid_households(ctx, g, refs[g.code], place)
