"""The cadres stage: people of every unit (leaders, staff, village cadres) with their identity."""

from django.utils.translation import gettext_lazy as _

from minqing.demo.context import DemoContext
from minqing.demo.plan import tree_rows
from minqing.demo.registry import register_stage
from minqing.demo.rosters import Cadre, roster
from minqing.demo.stages.units import org_set_rows
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.bulk import unit_refs
from minqing.orgs.services.people import PersonRow, people_bulk_create
from minqing.orgs.services.units import UnitRow

STAFFED = (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.VILLAGE)


def staffed_rows(ctx: DemoContext) -> list[UnitRow]:
    rows = [r for r in tree_rows(ctx) if r.kind in STAFFED]
    parents = set(
        Unit.objects.filter(code__in=[s.parent_code for s in ctx.tier.org_sets]).values_list(
            "code", flat=True
        )
    )
    rows += [r for s in ctx.tier.org_sets if s.parent_code in parents for r in org_set_rows(ctx, s)]
    return rows


def rosters(ctx: DemoContext) -> dict[str, list[Cadre]]:
    if "rosters" not in ctx.cache:
        ctx.cache["rosters"] = {r.code: roster(ctx, r) for r in staffed_rows(ctx)}
    out: dict[str, list[Cadre]] = ctx.cache["rosters"]
    return out


@register_stage("cadres", label=_("干部"), order=50)
def load_cadres(ctx: DemoContext) -> dict[str, int]:
    by_unit = rosters(ctx)
    refs = unit_refs(by_unit.keys())
    total = sum(len(v) for v in by_unit.values())
    with ctx.bar(total, str(_("干部"))) as bar:
        rows = [
            PersonRow(
                number=c.number,
                name=c.name,
                unit=refs[code],
                rank=c.rank,
                is_party_member=c.is_party_member,
                duties=c.duties,
                phone=c.phone,
                id_number=c.id_number,
            )
            for code, cadres in by_unit.items()
            if code in refs
            for c in cadres
        ]
        res = people_bulk_create(actor=SYSTEM, rows=rows, source="demo")
        bar.update(total)
    return {"people": res.created}
