"""Stages that load units: the real NBS tree, agencies and non-public organisations, grids."""

from django.utils.translation import gettext_lazy as _

from minqing.demo.context import DemoContext
from minqing.demo.orgnames import agency_names, non_public_names
from minqing.demo.plan import grid_plan, tree_rows
from minqing.demo.registry import register_stage
from minqing.demo.tiers import OrgSet
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind, UnitSubkind, default_party_category
from minqing.orgs.models import Unit
from minqing.orgs.services.units import UnitRow, units_upsert

SOURCE = "demo"


@register_stage("tree", label=_("行政区划树"), order=10)
def load_tree(ctx: DemoContext) -> dict[str, int]:
    rows = tree_rows(ctx)
    with ctx.bar(len(rows), str(_("行政区划树"))) as bar:
        res = units_upsert(actor=SYSTEM, rows=rows, source=SOURCE)
        bar.update(len(rows))
    return {"units": res.created}


def org_set_rows(ctx: DemoContext, s: OrgSet) -> list[UnitRow]:
    if s.kind == "agency":
        named = [(n, UnitKind.AGENCY) for n in agency_names(s.city, s.count)]
    else:
        pairs = non_public_names(ctx.rng("orgs", s.key), s.city, s.count)
        named = [(n, UnitKind.SOCIAL_ORG if social else UnitKind.ENTERPRISE) for n, social in pairs]
    return [
        UnitRow(
            code=f"{s.code_prefix}{i:03d}",
            name=name,
            kind=kind,
            parent_code=s.parent_code,
            has_party_org=True,
            party_category=default_party_category(kind, UnitSubkind.NONE),
        )
        for i, (name, kind) in enumerate(named, start=1)
    ]


@register_stage("orgs", label=_("机关、企业和社会组织"), order=20)
def load_orgs(ctx: DemoContext) -> dict[str, int]:
    present = set(
        Unit.objects.filter(code__in=[s.parent_code for s in ctx.tier.org_sets]).values_list(
            "code", flat=True
        )
    )
    rows = [r for s in ctx.tier.org_sets if s.parent_code in present for r in org_set_rows(ctx, s)]
    with ctx.bar(len(rows), str(_("机关、企业和社会组织"))) as bar:
        res = units_upsert(actor=SYSTEM, rows=rows, source=SOURCE)
        bar.update(len(rows))
    return {"units": res.created}


@register_stage("grids", label=_("网格"), order=30)
def load_grids(ctx: DemoContext) -> dict[str, int]:
    plan = grid_plan(ctx)
    rows = [
        UnitRow(code=g.code, name=g.name, kind=UnitKind.GRID, parent_code=g.village_code, subkind=g.subkind)
        for g in plan
    ]
    created = 0
    with ctx.bar(len(rows), str(_("网格"))) as bar:
        for i in range(0, len(rows), 20000):
            chunk = rows[i : i + 20000]
            created += units_upsert(actor=SYSTEM, rows=chunk, source=SOURCE).created
            bar.update(len(chunk))
    return {"grids": created}
