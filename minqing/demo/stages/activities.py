"""The demo's activities and attendance stages (city and region tiers; a small amount for mini).

Activities: study sessions and public-service events in the two seed campaigns' periods (the
2015 “三严三实”专题教育 and the 2019 “不忘初心、牢记使命”主题教育; the campaigns are created
here by name if missing), organised by townships, villages, counties, agencies and the city,
with realistic type weights; a share of them are counted by headcount (no roster). In the city
tier organisers are Ulanqab's and Ulanhot's units; in the region tier every unit.

Attendance: for each activity with a roster, people drawn from the organiser's county (or its
prefecture when the county has too few people), about ``attendance / roster activities`` each.

Deterministic for the seed: block ``b`` of activities uses ``ctx.rng("activities", b)`` and
its attendance ``ctx.rng("attendance", b)``. Both stream block by block (bounded memory), each
block in its own transaction, so a re-run continues where the last one stopped. Written with
``minqing.activities.services.bulk`` (COPY on PostgreSQL).
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Activity, ActivityType, Attendance, CheckInMethod
from minqing.activities.services.bulk import (
    ActivityRow,
    AttendanceRow,
    activities_bulk_create,
    attendance_bulk_create,
    code_for,
)
from minqing.activities.services.rollups import rollups_refresh
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.bulk import UnitRef

PREFIX = "YA"  # 演示活动: demo activity numbers YA00000001 ...
BLOCK = 5_000  # activities per random stream and per transaction
STEP = Unit.steplen
# (name, kind, first day, last day, share of activities)
CAMPAIGNS = (
    ("“三严三实”专题教育", CampaignKind.SPECIAL, dt.date(2015, 5, 1), dt.date(2015, 12, 31), 40),
    ("“不忘初心、牢记使命”主题教育", CampaignKind.THEMED, dt.date(2019, 6, 1), dt.date(2019, 11, 30), 60),
)
TYPE_WEIGHTS = {
    "branch_study": 30,
    "party_lecture": 12,
    "seminar": 10,
    "reading_class": 8,
    "special_seminar": 8,
    "tutorial_lecture": 8,
    "exemplar": 5,
    "central_group": 5,
    "weekend_lecture": 4,
    "mobilisation": 4,
    "free_clinic": 3,
    "volunteer": 3,
}
HEADCOUNT_SHARE = 0.12  # study sessions counted by headcount only
PUBLIC_HEADCOUNT_SHARE = 0.7  # public-service events counted by headcount only
ORGANISER_KINDS = ((UnitKind.VILLAGE, 40), (UnitKind.TOWNSHIP, 33), (UnitKind.AGENCY, 12),
                   (UnitKind.COUNTY, 12), (UnitKind.PREFECTURE, 3))  # fmt: skip
SCOPES = {"city": ("150900000000", "152201000000"), "mini": ("152201000000",)}  # others: every unit
MIN_POOL = 8


def _scope_paths(tier: str) -> list[str]:
    codes = SCOPES.get(tier)
    if codes is None:
        return [""]
    return list(Unit.objects.filter(code__in=codes).values_list("path", flat=True))


def _organisers(tier: str) -> dict[str, list[UnitRef]]:
    paths = _scope_paths(tier)
    out: dict[str, list[UnitRef]] = defaultdict(list)
    kinds = [k for k, _w in ORGANISER_KINDS]
    qs = (
        Unit.objects.filter(kind__in=kinds)
        .order_by("path")
        .values_list("id", "code", "path", "kind", "subkind")
    )
    for r in qs.iterator(chunk_size=20_000):
        ref = UnitRef(*r)
        if any(ref.path.startswith(p) for p in paths):
            out[ref.kind].append(ref)
    return out


def _campaigns() -> list[tuple[Campaign, dt.datetime, int, int]]:
    """(campaign, first moment, days, weight) of the two seed campaigns, created if missing."""
    root = Unit.objects.filter(depth=1).order_by("path").first()
    tz = timezone.get_current_timezone()
    out = []
    for name, kind, first, last, weight in CAMPAIGNS:
        c = Campaign.objects.filter(name=name).first()
        if c is None and root is not None:
            c = Campaign.objects.create(
                name=name, kind=kind, scope=root, path=root.path, start_date=first, end_date=last
            )
        if c is not None:
            out.append((c, dt.datetime.combine(first, dt.time(0), tz), (last - first).days + 1, weight))
    return out


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def activity_rows(ctx: DemoContext, block: int, n: int, world: dict[str, object]) -> Iterator[ActivityRow]:
    rng = ctx.rng("activities", block)
    orgs: dict[str, list[UnitRef]] = world["orgs"]  # type: ignore[assignment]
    types: dict[str, ActivityType] = world["types"]  # type: ignore[assignment]
    camps: list[tuple[Campaign, dt.datetime, int, int]] = world["campaigns"]  # type: ignore[assignment]
    kinds = {str(k): w for k, w in ORGANISER_KINDS if orgs.get(k)}
    weights = {k: w for k, w in TYPE_WEIGHTS.items() if k in types}
    for i in range(block * BLOCK, min((block + 1) * BLOCK, n)):
        org = rng.choice(orgs[_pick(rng, kinds)])
        t = types[_pick(rng, weights)]
        camp, first, days, _w = rng.choices(camps, [c[3] for c in camps])[0]
        day = first + dt.timedelta(days=rng.randrange(days))
        start = day + dt.timedelta(hours=rng.choice((8, 9, 10, 14, 15)), minutes=rng.choice((0, 30)))
        share = PUBLIC_HEADCOUNT_SHARE if t.is_public_service else HEADCOUNT_SHARE
        headcount = rng.randint(15, 120) if rng.random() < share else None
        yield ActivityRow(
            number=f"{PREFIX}{i + 1:08d}",
            type_id=t.pk,
            organiser=org,
            title=f"{org.code} {t.name}({timezone.localtime(start):%Y年%m月%d日})",
            start=start,
            end=start + dt.timedelta(hours=rng.choice((1, 2, 2, 3))),
            campaign_id=camp.pk,
            headcount=headcount,
            short_code=code_for(i),
        )


@register_stage("activities", label=_("活动"), tiers=("mini", "city", "region"), order=300)
def load_activities(ctx: DemoContext) -> dict[str, int]:
    n = ctx.tier.targets.get("activities", 0)
    have = Activity.objects.filter(number__startswith=PREFIX).count()
    if have >= n:
        return {"activities": 0}
    orgs = _organisers(ctx.tier.name)
    camps = _campaigns()
    if not orgs or not camps:
        return {"activities": 0}
    world: dict[str, object] = {
        "orgs": orgs,
        "types": {t.code: t for t in ActivityType.objects.all()},
        "campaigns": camps,
    }
    created = 0
    with ctx.bar(n, str(_("活动"))) as bar:
        bar.update(have)
        for block in range(have // BLOCK, (n + BLOCK - 1) // BLOCK):
            res = activities_bulk_create(activity_rows(ctx, block, n, world), seed=f"{ctx.seed}:{block}")
            created += res.created
            bar.update(res.created + res.skipped)
    return {"activities": created}


def _pools() -> dict[str, list[int]]:
    """Person ids by the path of their county and of their prefecture (depth 3 and 2 prefixes)."""
    pools: dict[str, list[int]] = defaultdict(list)
    for pk, path in Person.objects.order_by("id").values_list("id", "path").iterator(chunk_size=50_000):
        for depth in (2, 3):
            if len(path) >= depth * STEP:
                pools[path[: depth * STEP]].append(pk)
    return pools


def _pool(pools: dict[str, list[int]], path: str) -> list[int]:
    for depth in (3, 2, 1):
        found = pools.get(path[: depth * STEP], [])
        if len(found) >= MIN_POOL:
            return found
    return []


@register_stage("attendance", label=_("签到"), tiers=("mini", "city", "region"), order=310)
def load_attendance(ctx: DemoContext) -> dict[str, int]:
    target = ctx.tier.targets.get("attendance", 0)
    acts = Activity.objects.filter(number__startswith=PREFIX)
    rostered = acts.filter(headcount__isnull=True).count()
    if not target or not rostered:
        return {"attendance": 0}
    mean = target / rostered
    pools = _pools()
    total = acts.count()
    created = 0
    with ctx.bar(target, str(_("签到"))) as bar:
        for block in range((total + BLOCK - 1) // BLOCK):
            lo, hi = f"{PREFIX}{block * BLOCK + 1:08d}", f"{PREFIX}{(block + 1) * BLOCK:08d}"
            batch = list(
                acts.filter(number__gte=lo, number__lte=hi, headcount__isnull=True)
                .order_by("number")
                .values_list("id", "path", "start")
            )
            if (
                not batch
                or Attendance.objects.filter(
                    activity_id__gte=batch[0][0], activity_id__lte=batch[-1][0]
                ).exists()
            ):
                continue  # written by an earlier run (each block is one transaction)
            rng = ctx.rng("attendance", block)

            def rows(
                rng: random.Random = rng, batch: list[tuple[int, str, dt.datetime]] = batch
            ) -> Iterator[AttendanceRow]:
                for pk, path, start in batch:
                    pool = _pool(pools, path)
                    k = min(len(pool), max(1, round(rng.uniform(0.4, 1.6) * mean)))
                    for person in rng.sample(pool, k):
                        at = start - dt.timedelta(minutes=rng.randrange(30))
                        yield AttendanceRow(pk, person, at, CheckInMethod.LIST)

            res = attendance_bulk_create(rows(), chunk_size=10**9)
            created += res.created
            bar.update(res.created)
    return {"attendance": created}


@register_stage(
    "activity_rollups", label=_("活动统计汇总"), tiers=("mini", "seed", "city", "region"), order=320
)
def build_rollups(ctx: DemoContext) -> dict[str, int]:
    """Fold the demo's activities and attendance into the counting rollups."""
    return {"activity_rollups": rollups_refresh().rows_written}
