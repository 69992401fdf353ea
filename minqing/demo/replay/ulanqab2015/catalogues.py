"""Ulanqab 2015: the power list, the reform measures and their results, the commendations.

The article: on 2015-06-30 the city published the power lists of 55 departments and units, 3,719
items in 10 categories; since 2014 the city carried out 236 reform measures with 222 results, 24
of them key reforms, 18 of which have a staged result; on 2015-07-01 it commended 103 leaders of
grassroots party organisations.

- Power list: the 55 departments of ``vocab``, items sized by department, published
  2015-06-30; a few more published in October. It includes the catalogues stage's sample items.
- Reforms: started between January 2014 and June 2015, results dated by 2015-06-30; a few
  measures and results later. It includes the catalogues stage's sample measures and results.
- Commendations: 103 with the 表彰日期 2015-07-01, the day of the ceremony the article gives,
  and the 表彰决定日期 2015-06-29: the article gives no decision date; the replay assumes the
  decision was made two days before the ceremony (``DECIDED``), as a commendation is decided
  before it is conferred. Commendations count on their decision date, so a bulletin as of
  2015-06-30 counts the 103, as the article does (the stage's notes state the assumption). The
  catalogues stage's 15 are among them, with the same dates.

Written with the catalogue services' upserts (keyed, so a second run changes nothing).
"""

import datetime as dt
import random
from collections import defaultdict

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import ReformStatus
from minqing.catalogues.services._common import KeyedRow
from minqing.catalogues.services.commendations import commendation_row, commendations_upsert
from minqing.catalogues.services.powers import power_items_upsert, power_row
from minqing.catalogues.services.reforms import ResultRow, reform_row, reforms_upsert
from minqing.core.paths import prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.plan import apportion
from minqing.demo.replay.common import Notes, days
from minqing.demo.replay.figures import ARTICLE_ULANQAB as FIG
from minqing.demo.replay.ulanqab2015.vocab import (
    CATEGORY_WEIGHTS,
    DEPARTMENTS,
    REFORM_PATTERNS,
    RESULT_TEXTS,
    TEMPLATES,
)
from minqing.demo.replay.ulanqab2015.world import AS_OF, STREAM, World
from minqing.demo.stages.catalogues import COMMENDATION, COMMENDED, DECIDED, POWERS, REFORMS
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Person, Unit

PUBLISHED = dt.date(2015, 6, 30)
LATER = dt.date(2015, 10, 15)  # a few items added to the list afterwards
LATER_ITEMS = 12
LATE_MEASURES = 4
REFORM_START = (dt.date(2014, 1, 6), dt.date(2015, 6, 20))


def departments(world: World) -> dict[str, Unit]:
    """Name ending -> the first city department (by code) whose name ends with it."""
    out: dict[str, Unit] = {}
    for u in sorted(world.departments, key=lambda u: u.code):
        for ending in DEPARTMENTS:
            if ending not in out and u.name.endswith(ending):
                out[ending] = u
    return out


def _sample_items(deps: dict[str, Unit]) -> dict[int, list[tuple[str, str, str]]]:
    """The catalogues stage's sample items, by the unit it gives them to: (category, name, basis)."""
    out: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for ending, items in POWERS.items():
        unit = next((u for e, u in deps.items() if u.name.endswith(ending)), None)
        if unit is not None:
            out[unit.pk] += [(str(c), n, b) for c, n, b in items]
    return out


def _items(
    rng: random.Random, objects: tuple[str, ...], n: int, fixed: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """``n`` distinct (category, name, basis) items of one department, ``fixed`` first."""
    out = list(fixed[:n])
    seen = {(c, name) for c, name, _b in out}
    cats = list(CATEGORY_WEIGHTS)
    per = apportion(n - len(out), [CATEGORY_WEIGHTS[c] for c in cats], 0) if n > len(out) else [0] * len(cats)
    for cat, k in zip(cats, per, strict=True):
        combos = [t.format(o=o) for o in objects for t in TEMPLATES[cat]]
        rng.shuffle(combos)
        i = 0
        while k > 0:
            name = combos[i % len(combos)]
            if i >= len(combos):
                name = f"{name}(情形{i // len(combos) + 1})"
            i += 1
            if (cat, name) in seen:
                continue
            seen.add((cat, name))
            out.append((str(cat), name, "依据有关法律、法规、规章"))
            k -= 1
    return out


def power_rows(ctx: DemoContext, deps: dict[str, Unit]) -> list[KeyedRow]:
    rng = ctx.rng(STREAM, "powers")
    endings = list(deps)
    sizes = apportion(
        int(FIG["catalogue.power.items"]), [DEPARTMENTS[e][0] * rng.uniform(0.85, 1.15) for e in endings], 8
    )
    fixed = _sample_items(deps)
    rows = []
    for ending, n in zip(endings, sizes, strict=True):
        unit = deps[ending]
        for cat, name, basis in _items(rng, DEPARTMENTS[ending][1], n, fixed.get(unit.pk, [])):
            values = {"legal_basis": basis, "published_on": PUBLISHED, "is_active": True}
            rows.append(power_row(unit=unit, category=cat, name=name, values=values))
    taken = {(r.unit.pk, *(v for _k, v in r.key)) for r in rows}
    extra = 0
    for ending in rng.sample(endings, len(endings)):  # added to the list in October
        unit = deps[ending]
        for cat, name, _b in _items(rng, DEPARTMENTS[ending][1], 3, []):
            if extra < LATER_ITEMS and (unit.pk, cat, f"{name}(新增)") not in taken:
                values = {"legal_basis": "依据新修订的法规", "published_on": LATER, "is_active": True}
                rows.append(power_row(unit=unit, category=cat, name=f"{name}(新增)", values=values))
                extra += 1
    return rows


def reform_rows(ctx: DemoContext, deps: dict[str, Unit]) -> tuple[list[KeyedRow], list[ResultRow]]:
    """236 measures (24 key, 18 of them with a result) and 222 results by 2015-06-30; a few later."""
    rng = ctx.rng(STREAM, "reforms")
    rows: list[KeyedRow] = []
    results: list[ResultRow] = []
    keyed: set[tuple[int, str]] = set()
    sample_key = sample_key_res = sample_results = 0
    for ending, title, key, status, started, res in REFORMS:  # the catalogues stage's sample first
        unit = next((u for e, u in deps.items() if u.name.endswith(ending)), None)
        if unit is None:
            continue
        values = {"is_key": key, "status": status, "started_on": started}
        rows.append(reform_row(unit=unit, title=title, values=values))
        results += [ResultRow(unit=unit, title=title, date=d, text=t) for d, t in res]
        keyed.add((unit.pk, title))
        sample_key += key
        sample_key_res += key and bool(res)
        sample_results += len(res)
    n = int(FIG["reforms.measures"]) - len(rows)
    key_res = int(FIG["reforms.key_with_staged_result"]) - sample_key_res
    key_none = (
        int(FIG["reforms.key"]) - int(FIG["reforms.key_with_staged_result"]) - (sample_key - sample_key_res)
    )
    endings = list(deps)
    lead = [
        endings[i]
        for i, k in enumerate(apportion(n, [DEPARTMENTS[e][0] for e in endings], 1))
        for _ in range(k)
    ]
    rng.shuffle(lead)
    start_days = days(*REFORM_START, workdays=True)
    new_measures = []
    for i, ending in enumerate(lead):
        unit = deps[ending]
        title = ""
        while not title or (unit.pk, title) in keyed:
            title = rng.choice(REFORM_PATTERNS).format(o=rng.choice(DEPARTMENTS[ending][1]))
        keyed.add((unit.pk, title))
        key = i < key_res + key_none
        started = rng.choice(start_days[: len(start_days) * 9 // 10])
        status = rng.choice((ReformStatus.IN_PROGRESS, ReformStatus.IN_PROGRESS, ReformStatus.COMPLETED))
        rows.append(
            reform_row(
                unit=unit, title=title, values={"is_key": key, "status": status, "started_on": started}
            )
        )
        new_measures.append((unit, title, started, key, i < key_res))
    total_results = int(FIG["reforms.results"]) - sample_results
    with_results = [m for m in new_measures if m[4]]  # key measures with a staged result: 2 or 3 each
    per_key = [rng.choice((2, 3)) for _ in with_results]
    plain = [m for m in new_measures if not m[3]]
    left = total_results - sum(per_key)
    plain_with_results = rng.sample(plain, min(len(plain), left))
    per_plain = apportion(left, [1.0] * len(plain_with_results), 1) if plain_with_results else []
    for (unit, title, started, _key, _res), k in zip(
        with_results + plain_with_results, per_key + per_plain, strict=True
    ):
        window = days(started + dt.timedelta(days=20), AS_OF)
        for day, text in zip(sorted(rng.sample(window, k)), rng.sample(RESULT_TEXTS, k), strict=True):
            results.append(ResultRow(unit=unit, title=title, date=day, text=f"{title}:{text}"))
    key_without = [m for m in new_measures if m[3] and not m[4]]
    for unit, title, _s, _k, _r in key_without[:2]:  # staged results in August: after the article's date
        results.append(
            ResultRow(unit=unit, title=title, date=dt.date(2015, 8, 20), text=f"{title}:出台实施意见")
        )
    for j in range(LATE_MEASURES):  # measures started after the article's date
        ending = endings[j]
        unit = deps[ending]
        title = f"{REFORM_PATTERNS[j].format(o=DEPARTMENTS[ending][1][0])}(2015年下半年)"
        rows.append(
            reform_row(
                unit=unit,
                title=title,
                values={
                    "is_key": False,
                    "status": ReformStatus.IN_PROGRESS,
                    "started_on": dt.date(2015, 8, 3) + dt.timedelta(days=7 * j),
                },
            )
        )
    return rows, results


def commendation_rows(ctx: DemoContext, world: World, campaign: Campaign) -> list[KeyedRow]:
    """103 leaders of grassroots party organisations, decided on 2015-06-29 (assumed) and
    commended on 2015-07-01: the catalogues stage's 15 village secretaries (the same draw, the
    same dates) and 88 more from villages, communities and enterprises."""
    title, date, body = COMMENDATION
    secretaries = list(
        Person.objects.filter(prefix_q(world.city.path), unit__kind=UnitKind.VILLAGE, duties__contains="书记")
        .select_related("unit")
        .order_by("number")
    )
    sample = ctx.rng("catalogues", "commendations")  # the catalogues stage's draw
    first = sorted(sample.sample(secretaries, min(COMMENDED, len(secretaries))), key=lambda p: p.number)
    chosen = {p.pk for p in first}
    firms = list(
        Person.objects.filter(
            prefix_q(world.city.path), unit__kind=UnitKind.ENTERPRISE, duties__contains="书记"
        )
        .select_related("unit")
        .order_by("number")
    )
    rng = ctx.rng(STREAM, "commendations")
    want = int(FIG["commendations.count"]) - len(first)
    n_firms = min(len(firms), want // 6)
    more = rng.sample([p for p in secretaries if p.pk not in chosen], want - n_firms) + rng.sample(
        firms, n_firms
    )
    return [
        commendation_row(
            unit=p.unit,
            name=p.name,
            title=title,
            date=date,
            values={"person": p, "awarded_by": body, "campaign": campaign, "decided_on": DECIDED},
        )
        for p in first + sorted(more, key=lambda p: p.number)
    ]


def load(ctx: DemoContext, world: World, campaign: Campaign, notes: Notes) -> dict[str, int]:
    deps = departments(world)
    if len(deps) != int(FIG["catalogue.power.departments"]):
        notes.add(f"权力清单:演示数据中找到 {len(deps)} 个部门(原文 55 个)")
    powers = power_items_upsert(actor=SYSTEM, rows=power_rows(ctx, deps), source="demo-replay")
    rows, results = reform_rows(ctx, deps)
    reforms = reforms_upsert(actor=SYSTEM, rows=rows, results=results, source="demo-replay")
    honours = commendations_upsert(
        actor=SYSTEM, rows=commendation_rows(ctx, world, campaign), source="demo-replay"
    )
    _, date, _ = COMMENDATION
    notes.add(
        f"表彰:原文的 {FIG['commendations.count']} 名优秀基层党组织带头人于 {date:%Y年%m月%d日} 表彰,"
        f"原文未给出表彰决定日期,回放假定为表彰前两天的 {DECIDED:%Y年%m月%d日};"
        f"表彰按表彰决定日期统计,因此截至 {AS_OF:%Y年%m月%d日} 的简报计入这 {FIG['commendations.count']} 名"
    )
    return {
        "power_items": powers.created,
        "reforms": reforms.created,
        "reform_results": reforms.results_added,
        "commendations": honours.created,
    }
