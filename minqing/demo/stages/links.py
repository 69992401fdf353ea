"""The assignments stage: village contact points, grid demonstration contacts, household pairing.

A small, seed-determined share of villages and grids is left without a cadre, so coverage
pages have real gaps to show.
"""

import datetime
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from minqing.core.batching import chunked
from minqing.demo.context import DemoContext
from minqing.demo.plan import GridPlan, grid_plan, tree_rows
from minqing.demo.registry import register_stage
from minqing.demo.rosters import Cadre
from minqing.demo.stages.cadres import rosters
from minqing.demo.stages.households import household_number
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind, UnitKind
from minqing.orgs.models import Household, Person
from minqing.orgs.services.assignments import AssignmentRow, assignments_bulk_create
from minqing.orgs.services.bulk import UnitRef, unit_refs

# When the cadres took up their posts: the campaigns the seed articles describe.
START_DATES = {"1509": datetime.date(2015, 5, 11), "1522": datetime.date(2019, 9, 1)}
DEFAULT_START = datetime.date(2023, 1, 1)


def start_date(code: str) -> datetime.date:
    return START_DATES.get(code[:4], DEFAULT_START)


def _pick(pool: list[Cadre], i: int) -> Cadre | None:
    return pool[i % len(pool)] if pool else None


@register_stage("links", label=_("联系点、示范联系和包户"), order=60)
def load_links(ctx: DemoContext) -> dict[str, int]:
    tier = ctx.tier
    by_unit = rosters(ctx)
    plan = grid_plan(ctx)
    rows = tree_rows(ctx)
    refs = unit_refs(
        [r.code for r in rows if r.kind in (UnitKind.TOWNSHIP, UnitKind.VILLAGE)] + [g.code for g in plan]
    )
    numbers = [c.number for cs in by_unit.values() for c in cs]
    person_id: dict[str, int] = {}
    for chunk in chunked(numbers):
        person_id.update(Person.objects.filter(number__in=chunk).values_list("number", "id"))

    out: list[AssignmentRow] = []

    def add(
        c: Cadre | None, kind: str, unit: UnitRef | None = None, hh: tuple[int, str] | None = None
    ) -> None:
        if c is None or c.number not in person_id:
            return
        if unit is not None:
            out.append(AssignmentRow(person_id[c.number], kind, start_date(unit.code), unit=unit))
        elif hh is not None:
            out.append(AssignmentRow(person_id[c.number], kind, start_date(c.unit_code), None, hh[0], hh[1]))

    # contact points: township leaders on villages, county leaders on townships
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.kind not in (UnitKind.TOWNSHIP, UnitKind.VILLAGE) or r.code not in refs:
            continue
        i = seen[r.parent_code]
        seen[r.parent_code] += 1
        if r.kind == UnitKind.VILLAGE and ctx.rng("contact", r.code).random() < tier.village_contact_gap:
            continue
        leaders = [c for c in by_unit.get(r.parent_code, []) if c.is_leader]
        add(_pick(leaders, i), AssignmentKind.CONTACT_POINT, unit=refs[r.code])

    # demonstration contacts on grids: the village's cadres, then the township's
    parent_of = {r.code: r.parent_code for r in rows}
    by_village: dict[str, list[GridPlan]] = defaultdict(list)
    for g in plan:
        by_village[g.village_code].append(g)
    for v, grids in by_village.items():
        pool = by_unit.get(v, []) + by_unit.get(parent_of.get(v, ""), [])
        for i, g in enumerate(grids):
            if g.code in refs and ctx.rng("demonstration", g.code).random() >= tier.grid_demonstration_gap:
                add(_pick(pool, i), AssignmentKind.DEMONSTRATION, unit=refs[g.code])

    # household pairing: each village cadre with a few households of the village
    wanted: dict[str, Cadre] = {}
    for v, grids in by_village.items():
        for ci, c in enumerate(by_unit.get(v, [])):
            for k in range(tier.pairing_per_cadre):
                n = ci * tier.pairing_per_cadre + k
                g = grids[n % len(grids)]
                seq = 1 + n // len(grids)
                if seq <= g.households:
                    wanted[household_number(g.code, seq)] = c
    found = _households(wanted, plan, refs)
    for number, c in wanted.items():
        if number in found:
            add(c, AssignmentKind.HOUSEHOLD_PAIRING, hh=found[number])

    with ctx.bar(len(out), str(_("联系分工"))) as bar:
        res = assignments_bulk_create(actor=SYSTEM, rows=out, source="demo")
        bar.update(len(out))
    return {"assignments": res.created}


def _households(
    wanted: dict[str, Cadre], plan: list[GridPlan], refs: dict[str, UnitRef]
) -> dict[str, tuple[int, str]]:
    """``number -> (id, path)`` of the wanted households, looked up grid by grid in chunks."""
    by_grid: dict[int, list[str]] = defaultdict(list)
    grid_of = {g.code: refs[g.code].id for g in plan if g.code in refs}
    for number in wanted:
        gid = grid_of.get(number[:-4])
        if gid is not None:
            by_grid[gid].append(number)
    found: dict[str, tuple[int, str]] = {}
    gids = sorted(by_grid)
    for i in range(0, len(gids), 200):
        chunk = gids[i : i + 200]
        nums = [n for g in chunk for n in by_grid[g]]
        qs = Household.objects.filter(grid_id__in=chunk, number__in=nums).values_list("number", "id", "path")
        found.update({n: (hid, p) for n, hid, p in qs})
    return found
