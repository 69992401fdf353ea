"""Ulanqab 2015: the units and cadres of the “four-level demonstration”, their contacts and visits.

The article (as of 2015-06-30): the demonstration covers the 11 counties, 107 townships, 121
agencies and public institutions, 151 enterprises (parks), 1,550 villages (communities) and
10,107 villager groups (community grids) with 560,000 households; 9,667 cadres take part; cadres
visited their contact points 72,858 times.

The tree has 110 township-level and 1,517 village-level units: every one of them gets a
demonstration contact (the demo covers what exists and says so in its notes). The 84 city
departments are the demo's agencies; the other 37 agencies (county party and government
departments) and the 151 enterprises and parks are added here, with their people. Grids the
links stage left without a demonstration contact get one. The cadres taking part are those
contacts plus the members of the village work teams (驻村工作队): existing people first, then new
team members from the county agencies, as many as make 9,667 different cadres. A few more
join after 2015-06-30. Visits are spread over every cadre's contact points (contact points and
demonstration contacts on units), on days after the contact began.
"""

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Q

from minqing.core.paths import prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.orgnames import COMPANY_FORMS, INDUSTRIES
from minqing.demo.plan import apportion
from minqing.demo.replay.common import Notes, VisitRow, Who, area_of, days, identity, visits_bulk_insert
from minqing.demo.replay.figures import ARTICLE_ULANQAB as FIG
from minqing.demo.replay.figures import TREE_FIGURES
from minqing.demo.replay.ulanqab2015.world import AS_OF, START, STREAM, World
from minqing.demo.rosters import roster
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind, PartyCategory, Rank, UnitKind
from minqing.orgs.models import Assignment, Household, Person, Unit
from minqing.orgs.services.assignments import AssignmentRow, assignments_bulk_create
from minqing.orgs.services.bulk import UnitRef, ref_of, unit_refs
from minqing.orgs.services.people import PersonRow, people_bulk_create
from minqing.orgs.services.units import UnitRow, units_upsert

COUNTY_AGENCIES = ("中共{c}委组织部", "中共{c}委宣传部", "{c}人民政府办公室", "{c}农牧局", "{c}民政局")
BRANDS = (
    "察哈尔",
    "集宁",
    "黄旗海",
    "岱海",
    "辉腾锡勒",
    "灰腾梁",
    "卓资山",
    "丰川",
    "阴山",
    "蒙中",
    "塞外",
    "乌兰",
    "大青山",
    "京蒙",
    "草原",
    "薯都",
    "金沙",
    "北方",
    "庙子沟",
    "苏木山",
)
LATE_CADRES = 30  # work-team members whose contact begins in July 2015
TEAM_DUTIES = "驻村工作队员"
VISITS_AFTER = 3_000  # visits in July 2015
VISIT_NOTES = ("走访联系点,了解群众诉求", "到联系点宣讲政策", "督促联系点整改问题", "参加联系点组织生活会")
DEMO = AssignmentKind.DEMONSTRATION


def unit_rows(ctx: DemoContext, city: Unit) -> list[UnitRow]:
    """The county agencies and the enterprises and parks (named after their county)."""
    counties = list(Unit.objects.filter(prefix_q(city.path), kind=UnitKind.COUNTY).order_by("code"))
    departments = Unit.objects.filter(prefix_q(city.path), kind=UnitKind.AGENCY, depth=city.depth + 1).count()
    if not counties:
        return []
    rng = ctx.rng(STREAM, "units")
    rows = []
    n_agencies = max(0, int(FIG["demonstration.covered.agency"]) - departments)
    for c, k in zip(counties, apportion(n_agencies, [1.0] * len(counties), 0), strict=True):
        for j, template in enumerate(COUNTY_AGENCIES[:k], start=1):
            rows.append(
                UnitRow(
                    code=f"{c.code[:6]}-A{j:03d}",
                    name=template.format(c=c.name),
                    kind=UnitKind.AGENCY,
                    parent_code=c.code,
                    has_party_org=True,
                    party_category=PartyCategory.AGENCY,
                )
            )
    n_firms = int(FIG["demonstration.covered.enterprise"])
    seen: set[str] = set()
    for c, k in zip(counties, apportion(n_firms, [rng.uniform(0.6, 1.4) for _ in counties], 5), strict=True):
        for j in range(1, k + 1):
            if j == 1:
                name = f"{c.name}工业园区"
            else:
                name = ""
                while not name or name in seen:
                    name = f"{c.name}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}{rng.choice(COMPANY_FORMS)}"
            seen.add(name)
            rows.append(
                UnitRow(
                    code=f"{c.code[:6]}-E{j:03d}",
                    name=name,
                    kind=UnitKind.ENTERPRISE,
                    parent_code=c.code,
                    has_party_org=True,
                    party_category=PartyCategory.NON_PUBLIC,
                )
            )
    return rows


def load_units(ctx: DemoContext, city: Unit) -> dict[str, int]:
    rows = unit_rows(ctx, city)
    created = units_upsert(actor=SYSTEM, rows=rows, source="demo-replay").created
    refs = unit_refs(r.code for r in rows)
    people = [
        PersonRow(
            number=c.number,
            name=c.name,
            unit=refs[r.code],
            rank=c.rank,
            is_party_member=c.is_party_member,
            duties=c.duties,
            phone=c.phone,
            id_number=c.id_number,
        )
        for r in rows
        for c in roster(ctx, r)
    ]
    return {
        "units": created,
        "people": people_bulk_create(actor=SYSTEM, rows=people, source="demo-replay").created,
    }


def _in_force() -> Q:
    return Q(start_date__lte=AS_OF) & (Q(end_date__isnull=True) | Q(end_date__gte=START))


class Contacts:
    """The demonstration contacts to add, and who has one."""

    def __init__(self, ctx: DemoContext, world: World) -> None:
        self.rng = ctx.rng(STREAM, "demonstration")
        existing = Assignment.objects.filter(prefix_q(world.city.path), _in_force(), kind=DEMO)
        self.cadres: set[int] = set(existing.values_list("person_id", flat=True))
        self.covered: set[int] = set(existing.exclude(unit=None).values_list("unit_id", flat=True))
        self.rows: list[AssignmentRow] = []

    def add(self, who: Who | None, unit: Unit | UnitRef, start: dt.date | None = None) -> None:
        if who is None:
            return
        ref = unit if isinstance(unit, UnitRef) else ref_of(unit)
        day = start or START + dt.timedelta(days=self.rng.randint(0, 20))
        self.rows.append(AssignmentRow(who.id, DEMO, day, unit=ref))
        self.cadres.add(who.id)
        self.covered.add(ref.id)


def _by_unit(people: list[Who]) -> dict[str, list[Who]]:
    out: dict[str, list[Who]] = defaultdict(list)
    for x in people:
        out[x.path].append(x)
    return out


def _nth(pool: list[Who], i: int) -> Who | None:
    return pool[i % len(pool)] if pool else None


def _cover_units(c: Contacts, world: World, staff: dict[str, list[Who]]) -> None:
    """A cadre on every county, township, agency, enterprise and village, and on every grid without one."""
    for i, county in enumerate(world.counties):
        c.add(_nth(staff[world.city.path], i), county)
    seen: dict[str, int] = defaultdict(int)
    for t in world.townships:
        county = t.path[: -Unit.steplen]
        c.add(_nth(staff[county], seen[county]), t)
        seen[county] += 1
    for u in world.agencies + world.enterprises:
        c.add(_nth(staff[u.path], 0), u)
    for v in world.villages:
        town = v.path[: -Unit.steplen]
        c.add(_nth(staff[town], seen[town]), v)
        seen[town] += 1
    grids = Unit.objects.filter(prefix_q(world.city.path), kind=UnitKind.GRID).order_by("path")
    for ref in (UnitRef(*r) for r in grids.values_list("id", "code", "path", "kind", "subkind")):
        if ref.id not in c.covered:
            village = ref.path[: -Unit.steplen]
            c.add(_nth(staff[village], 0) or _nth(staff[village[: -Unit.steplen]], 0), ref)


def _team_rows(ctx: DemoContext, world: World, n: int) -> list[PersonRow]:
    """``n`` village work-team members from the county agencies (the city departments if none)."""
    hosts = world.county_agencies or world.departments
    out = []
    for i in range(n):
        host = hosts[i % len(hosts)]
        rng = ctx.rng(STREAM, "team", i)
        name, _male, phone, id_number = identity(rng, area_of(host.code), 1975, 1993)
        out.append(
            PersonRow(
                number=f"{host.code}-Z{i // len(hosts) + 1:03d}",
                name=name,
                unit=ref_of(host),
                rank=Rank.STAFF,
                is_party_member=True,
                duties=TEAM_DUTIES,
                phone=phone,
                id_number=id_number,
            )
        )
    return out


def _contact_for(rng: random.Random, x: Who, world: World, below: dict[str, list[Unit]]) -> Unit:
    """Where a work-team member or another cadre goes: their own village, else a village near their unit."""
    own = [v for v in below.get(x.path[: -Unit.steplen], []) if v.path == x.path]
    if own:
        return own[0]
    path = x.path
    while path:
        if below.get(path):
            return rng.choice(below[path])
        path = path[: -Unit.steplen]
    return rng.choice(world.villages)


def load_demonstration(ctx: DemoContext, world: World, notes: Notes) -> dict[str, int]:
    c = Contacts(ctx, world)
    staff = _by_unit(world.people)
    _cover_units(c, world, staff)
    wanted = int(FIG["demonstration.cadres"])
    others = [x for x in world.people if x.id not in c.cadres]
    missing = max(0, wanted - len(c.cadres) - len(others))
    created = people_bulk_create(
        actor=SYSTEM, rows=_team_rows(ctx, world, missing + LATE_CADRES), source="demo-replay"
    ).created
    numbers = [r.number for r in _team_rows(ctx, world, missing + LATE_CADRES)]
    fields = ("id", "number", "unit_id", "path", "duties", "rank")
    found = {r[1]: Who(*r) for r in Person.objects.filter(number__in=numbers).values_list(*fields)}
    team = [found[n] for n in numbers]
    below: dict[str, list[Unit]] = defaultdict(
        list
    )  # villages under each township and county, townships under the city
    for v in world.villages:
        below[v.path[: -Unit.steplen]].append(v)
        below[v.path[: -2 * Unit.steplen]].append(v)
    rng = ctx.rng(STREAM, "teams")
    joining = (others + team[: len(team) - LATE_CADRES])[: max(0, wanted - len(c.cadres))]
    for x in joining:
        c.add(x, _contact_for(rng, x, world, below))
    for x in team[len(team) - LATE_CADRES :]:
        c.add(x, _contact_for(rng, x, world, below), start=dt.date(2015, 7, 6))
    if len(c.cadres) - LATE_CADRES > wanted:
        notes.add(f"参与示范引领的干部:此前各阶段已有 {len(c.cadres) - LATE_CADRES} 人,多于原文 {wanted} 人")
    res = assignments_bulk_create(actor=SYSTEM, rows=c.rows, source="demo-replay")
    _tree_notes(world, notes)
    return {"people": created, "assignments": res.created}


def _tree_notes(world: World, notes: Notes) -> None:
    have = {
        "demonstration.covered.township": len(world.townships),
        "demonstration.covered.village": len(world.villages),
        "demonstration.covered.grid": Unit.objects.filter(
            prefix_q(world.city.path), kind=UnitKind.GRID
        ).count(),
        "demonstration.households": Household.objects.filter(prefix_q(world.city.path)).count(),
    }
    for key, n in have.items():
        article = int(FIG[key])
        if n != article:
            notes.add(
                f"示范覆盖{TREE_FIGURES[key]}:原文 {article:,};现行区划(2023)和演示数据中有 {n:,},"
                f"回放全部覆盖,故为 {n:,}"
            )


def load_visits(ctx: DemoContext, world: World) -> dict[str, int]:
    """Visits to contact points: 72,858 by 2015-06-30, spread over every cadre's contacts; some in July."""
    rng = ctx.rng(STREAM, "visits")
    kinds = (AssignmentKind.CONTACT_POINT, DEMO)
    pairs = list(
        Assignment.objects.filter(prefix_q(world.city.path), _in_force(), kind__in=kinds, unit__isnull=False)
        .order_by("path", "person__number")
        .values_list(
            "person_id", "unit_id", "unit__code", "path", "unit__kind", "unit__subkind", "start_date"
        )
        .distinct()
    )
    period = days(START, AS_OF)
    sizes = apportion(
        int(FIG["visits.contact_points.person_times"]), [rng.uniform(0.3, 1.7) for _ in pairs], 1
    )
    rows = []
    for (person, uid, code, path, kind, sub, start), n in zip(pairs, sizes, strict=True):
        window = [d for d in period if d >= start]
        if n > len(window):
            raise ValueError(f"{n} visits to {code} in {len(window)} days")
        for day in sorted(rng.sample(window, n)):
            rows.append(VisitRow(person, UnitRef(uid, code, path, kind, sub), day, rng.choice(VISIT_NOTES)))
    july = days(dt.date(2015, 7, 1), dt.date(2015, 7, 31))
    for person, uid, code, path, kind, sub, _start in rng.sample(pairs, min(VISITS_AFTER, len(pairs))):
        rows.append(
            VisitRow(person, UnitRef(uid, code, path, kind, sub), rng.choice(july), rng.choice(VISIT_NOTES))
        )
    return {"visits": visits_bulk_insert(rows)}
