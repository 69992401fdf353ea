"""The demo's problems stage: a year of problems (2025) with their whole history, in bulk.

Deterministic for the seed: unit, source, channel, urgency, title (real citizen messages with
their categories, ``minqing/fixtures/messages/titles.csv``) and every later step's date come
from ``ctx.rng("problems", block)``. Problems are registered through
``problems_bulk_register`` (the same fields and events the workflow service writes), then the
deadline job runs as of the demo's last day, so the stalled ones are marked overdue and
escalated exactly as the periodic job would have done. Safe to re-run: existing demo problems
(numbers ``YS…``) are kept and the next blocks continue where the last run stopped.
"""

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.workdays import WorkCalendar
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source, Urgency
from minqing.ledger.jobs import run_deadlines
from minqing.ledger.models import Category, DeadlineRule, Problem
from minqing.ledger.rollup import rollup_refresh
from minqing.ledger.services.bulk import CHUNK, ProblemRow, Step, problems_bulk_register
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.bulk import UnitRef

TITLES = Path(__file__).resolve().parents[2] / "fixtures" / "messages" / "titles.csv"
PREFIX = "YS"  # 演示: demo problem numbers
DEMO_START = dt.date(2025, 1, 2)
DEMO_AS_OF = dt.date(2025, 12, 31)  # the demo's "today": its last day, and the job's date
BLOCK = CHUNK  # problems per random stream (and per transaction)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
PENDING_DAYS = dt.timedelta(days=7)

SOURCES = (
    (Source.PUBLIC, 70),
    (Source.SELF_INSPECTION, 12),
    (Source.SUPERVISION, 8),
    (Source.RESEARCH, 5),
    (Source.PETITION_BACKLOG, 5),
)
CHANNELS = ((Channel.ONLINE, 40), (Channel.CALL, 30), (Channel.LETTER, 15), (Channel.VISIT, 15))
URGENCIES = ((Urgency.NORMAL, 90), (Urgency.URGENT, 8), (Urgency.CRITICAL, 2))
KINDS = (
    (ResolutionKind.ON_THE_SPOT, 35),
    (ResolutionKind.RECTIFIED, 45),
    (ResolutionKind.EXPLAINED, 15),
    (ResolutionKind.TRANSFERRED, 5),
)
MEASURES: dict[str, str] = {
    ResolutionKind.ON_THE_SPOT: "现场核实后当即处理完毕",
    ResolutionKind.RECTIFIED: "制定整改方案,明确责任人和时限,已整改到位",
    ResolutionKind.EXPLAINED: "已向群众解释相关政策,群众表示理解",
    ResolutionKind.TRANSFERRED: "已转交主管部门依法办理",
}
SATISFACTION = ((Satisfaction.SATISFIED, 75), (Satisfaction.BASICALLY, 20), (Satisfaction.UNSATISFIED, 5))
UNIT_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.PREFECTURE,
    UnitKind.COUNTY,
    UnitKind.TOWNSHIP,
    UnitKind.VILLAGE,
    UnitKind.AGENCY,
)
STALL = 0.08  # share of problems that stop at some step (they end up overdue)
RETURNED = 0.03  # share sent to the wrong unit first, returned, then assigned one level up


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in table], [w for _k, w in table])[0]


@dataclass
class World:
    villages: list[UnitRef]
    townships: list[UnitRef]
    agencies: list[UnitRef]
    by_path: dict[str, UnitRef]
    titles: list[tuple[str, int | None]]


def _world() -> World:
    refs = [
        UnitRef(*r)
        for r in Unit.objects.filter(kind__in=UNIT_KINDS)
        .order_by("code")
        .values_list("id", "code", "path", "kind", "subkind")
    ]
    cats = {c.full_name: c.pk for c in Category.objects.filter(level=1)}
    titles: list[tuple[str, int | None]] = []
    with TITLES.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = row["label"]
            if label not in cats:
                cats[label] = Category.objects.get_or_create(
                    full_name=label, defaults={"name": label, "level": 1}
                )[0].pk
            titles.append((row["title"], cats[label]))
    return World(
        villages=[u for u in refs if u.kind == UnitKind.VILLAGE],
        townships=[u for u in refs if u.kind == UnitKind.TOWNSHIP],
        agencies=[u for u in refs if u.kind == UnitKind.AGENCY],
        by_path={u.path: u for u in refs},
        titles=titles,
    )


def _parent(w: World, u: UnitRef) -> UnitRef:
    return w.by_path.get(u.path[: -Unit.steplen], u)


def _units(rng: random.Random, w: World) -> tuple[UnitRef, UnitRef]:
    """The unit a problem concerns and the one that will handle it."""
    r = rng.random()
    if w.agencies and r < 0.08:
        u = rng.choice(w.agencies)
        return u, u
    if w.townships and (r < 0.30 or not w.villages):
        u = rng.choice(w.townships)
        return u, (u if rng.random() < 0.7 else _parent(w, u))
    u = rng.choice(w.villages)
    return u, (_parent(w, u) if rng.random() < 0.8 else u)


def _steps(rng: random.Random, w: World, reg: dt.datetime, resp: UnitRef, end: dt.datetime) -> list[Step]:
    """A plausible history after registration; cut at the demo's last day or where it stalls."""
    plan: list[Step] = []
    at = reg

    def later(lo: float, hi: float) -> dt.datetime:
        return at + dt.timedelta(hours=rng.uniform(lo, hi) * 24)

    if rng.random() < RETURNED:
        at = later(0.1, 2)
        plan.append(Step(Action.ASSIGN, at, unit=resp))
        at = later(0.2, 3)
        plan.append(Step(Action.RETURN, at, unit=resp, note="不属于本单位职责范围"))
        resp = _parent(w, resp)
    at = later(0.05, 2)
    plan.append(Step(Action.ASSIGN, at, unit=resp))
    kind = _pick(rng, KINDS)
    at = later(0.1, 3)
    plan.append(Step(Action.ACCEPT, at))
    if kind == ResolutionKind.RECTIFIED:
        at = later(0.5, 5)
        plan.append(Step(Action.START, at))
    at = later(0.2, 2) if kind == ResolutionKind.ON_THE_SPOT else later(3, 45)
    plan.append(Step(Action.RESOLVE, at, resolution_kind=kind, measures=MEASURES[kind]))
    sat = _pick(rng, SATISFACTION)
    at = later(1, 10)
    if sat == Satisfaction.UNSATISFIED:  # callback, reopened, resolved again, verified
        plan.append(Step(Action.CALLBACK, at, satisfaction=sat, note="群众对处理结果不满意"))
        at = later(5, 30)
        plan.append(Step(Action.RESOLVE, at, resolution_kind=ResolutionKind.RECTIFIED, measures="再次整改"))
        at = later(1, 10)
    plan.append(Step(Action.CLOSE, at, note="核实整改到位,予以销号"))
    if rng.random() < 0.7:
        at = later(0.5, 7)
        plan.append(Step(Action.CALLBACK, at, satisfaction=_pick(rng, SATISFACTION[:2])))
    keep = [s for s in plan if s.at <= end]
    if rng.random() < STALL:
        keep = keep[: rng.randrange(len(keep) + 1)]
    return keep


def block_rows(ctx: DemoContext, w: World, block: int, start: int, stop: int) -> list[ProblemRow]:
    """Rows ``start`` to ``stop`` (block ``block``): one random stream per block."""
    rng = ctx.rng("problems", block)
    tz = timezone.get_current_timezone()
    end = dt.datetime.combine(DEMO_AS_OF, dt.time(23, 59), tz)
    span = (DEMO_AS_OF - DEMO_START).days + 1
    rows = []
    for i in range(start, stop):
        day = DEMO_START + DAY * rng.randrange(span)
        reg = dt.datetime.combine(day, dt.time(8), tz) + HOUR * rng.uniform(0, 10)
        unit, resp = _units(rng, w)
        source = _pick(rng, SOURCES)
        channel = _pick(rng, CHANNELS) if source == Source.PUBLIC else ""
        title, category = rng.choice(w.titles)
        rows.append(
            ProblemRow(
                number=f"{PREFIX}{day:%Y%m%d}{i:07d}",
                title=title,
                description=f"{title}。请核实处理并反馈。",
                unit=unit,
                source=source,
                channel=channel,
                category_id=category,
                urgency=_pick(rng, URGENCIES),
                prominent=rng.random() < 0.03,
                registered_at=reg,
                # the published list: checked by the office, but for the residents' reports
                # of the last week, still waiting in the moderation queue (待审核公开)
                moderated=source != Source.PUBLIC or day <= DEMO_AS_OF - PENDING_DAYS,
                steps=_steps(rng, w, reg, resp, end),
            )
        )
    return rows


@register_stage("problems", label=_("问题"), tiers=("mini", "city", "region"), order=200)
def load_problems(ctx: DemoContext) -> dict[str, int]:
    n = ctx.tier.targets.get("problems", 0)
    have = Problem.objects.filter(number__startswith=PREFIX).count()
    if have >= n:
        return {"problems": 0}
    w = _world()
    if not (w.villages or w.townships):
        return {"problems": 0}
    cal, rules = WorkCalendar(), list(DeadlineRule.objects.all())
    created = events = 0
    with ctx.bar(n, str(_("问题"))) as bar:
        bar.update(have)
        for block in range(have // BLOCK, (n + BLOCK - 1) // BLOCK):
            start, stop = block * BLOCK, min((block + 1) * BLOCK, n)
            rows = block_rows(ctx, w, block, start, stop)[max(have - start, 0) :]
            res = problems_bulk_register(rows, cal, rules=rules)
            created, events = created + res.created, events + res.skipped
            bar.update(res.created)
    report = run_deadlines(today=DEMO_AS_OF, calendar=cal)
    return {
        "problems": created,
        "events": events + report.overdue_marked + report.escalated,
        "overdue": report.overdue_marked,
        "problem_rollups": rollup_refresh().rows_written,  # later stages' changes: the minute job
    }
