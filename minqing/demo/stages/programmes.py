"""The demo's programme (tiers seed and city): Ulanqab's “十个全覆盖” with the seed's six targets.

The city (乌兰察布市, 150900000000) owns the programme, in the 2015 “三严三实”专题教育 (created
if missing, as the other demo stages do). Each target's plan is the one the seed test uses (the
seed prints quantities and shares, not plans; see ``tests/test_seed_shares.py``), split across
the city's 11 county-level units; every county reports at 2015-04-30, 05-31 and 06-30 (housing by
mode), except 察哈尔右翼前旗, whose townships report instead, so the page drills down a level.
The 06-30 reports add up to exactly the seed's figures: 41,350 户 (79.6%), 86,121 间 (73.5%),
2,082 公里 (84%), 344 个 (94.5%), 477 个 (95.2%), 343 shops completed (88.2%), 17.75 亿元.

Written through the services with ``actor=SYSTEM``, in one transaction. Deterministic
(fixed figures; splits by ``ctx.rng("programmes", …)`` and the largest remainder); a programme
that already exists is left as it is, so a re-run adds nothing.
"""

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import campaign_create
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.demo.stages.activities import CAMPAIGNS
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.programmes.models import Programme, ProgressReport, ShareBasis, Target
from minqing.programmes.services.programmes import plan_set, programme_create, target_create
from minqing.programmes.services.progress import progress_report

CITY = "150900000000"  # 乌兰察布市
BY_TOWNSHIP = "150926000000"  # 察哈尔右翼前旗: its townships report
NAME = "乌兰察布市“十个全覆盖”工程"
START, END = dt.date(2014, 1, 1), dt.date(2016, 12, 31)
DATES = (dt.date(2015, 4, 30), dt.date(2015, 5, 31), dt.date(2015, 6, 30))
EARLIER = (Decimal("0.55"), Decimal("0.8"))  # share of the 06-30 figures reported at 04-30 and 05-31
HOUSING_MODES = ("新建", "维修加固", "转移置换")
MODE_WEIGHTS = (50, 35, 15)
FUNDS_WAN = 177_500  # 17.75 亿元
# key, name, measure, plan, counted as of 06-30, basis, modes, completed share, funds weight
TARGETS = (
    ("housing", "危房改造", "户", 51_947, 41_350, ShareBasis.STARTED, HOUSING_MODES, 60, 55),
    ("village_cleanup", "村庄整治", "间", 117_172, 86_121, ShareBasis.STARTED, (), 70, 12),
    ("road_paving", "街巷硬化", "公里", 2_479, 2_082, ShareBasis.STARTED, (), 55, 20),
    ("clinic", "卫生室", "个", 364, 344, ShareBasis.STARTED, (), 75, 3),
    ("culture_room", "文化活动室", "个", 501, 477, ShareBasis.STARTED, (), 75, 4),
    ("shop", "便民连锁超市", "个", 389, 343, ShareBasis.COMPLETED, (), 100, 6),
)
SHOPS_IN_PROGRESS = 27  # besides the 343 completed (not counted: completed only)


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainder; sums exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _campaign() -> Campaign | None:
    name, kind, first, last, _weight = CAMPAIGNS[0]
    found = Campaign.objects.filter(name=name).first()
    if found is not None:
        return found
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return None
    return campaign_create(actor=SYSTEM, name=name, scope=root, start_date=first, end_date=last, kind=kind)


def _reporters(county: Unit) -> list[Unit]:
    if county.code != BY_TOWNSHIP:
        return [county]
    towns = list(Unit.objects.filter(path__startswith=county.path, kind=UnitKind.TOWNSHIP).order_by("code"))
    return towns or [county]


def _report_target(
    rng: random.Random, target: Target, spec: tuple, reporters: list[list[Unit]], plans: list[int], funds: int
) -> int:
    """The reports of one target: each county's share of the 06-30 figures, earlier dates smaller."""
    _key, _name, _measure, _plan, counted, basis, modes, done_pct, _w = spec
    per_county = split(counted, [p * rng.uniform(0.85, 1.0) for p in plans])
    funds_county = split(funds, per_county)
    extra = split(SHOPS_IN_PROGRESS if basis == ShareBasis.COMPLETED else 0, plans)
    n = 0
    for units, c_counted, c_funds, c_extra in zip(reporters, per_county, funds_county, extra, strict=True):
        weights = [rng.uniform(0.8, 1.2) for _u in units]
        for unit, u_counted, u_funds, u_extra in zip(
            units, split(c_counted, weights), split(c_funds, weights), split(c_extra, weights), strict=True
        ):
            series = (
                list(zip(modes, split(u_counted, MODE_WEIGHTS), split(u_funds, MODE_WEIGHTS), strict=True))
                if modes
                else [("", u_counted, u_funds)]
            )
            for mode, quantity, money in series:
                completed = quantity * done_pct // 100
                final = (Decimal(quantity - completed + u_extra), Decimal(completed), Decimal(money))
                for date, share in zip(DATES, (*EARLIER, Decimal(1)), strict=True):
                    ip, done, spent = (int(v * share) for v in final)
                    progress_report(
                        actor=SYSTEM,
                        target=target,
                        unit=unit,
                        mode=mode,
                        date=date,
                        in_progress=Decimal(ip),
                        completed=Decimal(done),
                        funds=Decimal(spent),
                    )
                    n += 1
    return n


@register_stage("programmes", label=_("十个全覆盖"), tiers=("seed", "city", "region"), order=400)
@transaction.atomic
def load_programmes(ctx: DemoContext) -> dict[str, int]:
    city = Unit.objects.filter(code=CITY).first()
    if city is None or Programme.objects.filter(name=NAME).exists():
        return {"programmes": 0, "progress_reports": 0}
    counties = list(Unit.objects.filter(path__startswith=city.path, kind=UnitKind.COUNTY).order_by("code"))
    if not counties:
        return {"programmes": 0, "progress_reports": 0}
    programme = programme_create(
        actor=SYSTEM, name=NAME, owner=city, start_date=START, end_date=END, campaign=_campaign()
    )
    reporters = [_reporters(c) for c in counties]
    funds = split(FUNDS_WAN, [spec[-1] for spec in TARGETS])
    reports = 0
    for spec, target_funds in zip(TARGETS, funds, strict=True):
        key, name, measure, plan, _counted, basis, modes, _pct, _w = spec
        rng = ctx.rng("programmes", key)
        target = target_create(
            actor=SYSTEM,
            programme=programme,
            key=key,
            name=name,
            measure=measure,
            plan_quantity=Decimal(plan),
            share_basis=basis,
            modes=modes,
        )
        plans = split(plan, [rng.uniform(0.6, 1.4) for _c in counties])
        for county, quantity in zip(counties, plans, strict=True):
            plan_set(actor=SYSTEM, target=target, unit=county, quantity=Decimal(quantity))
        reports += _report_target(rng, target, spec, reporters, plans, target_funds)
    assert ProgressReport.objects.filter(target__programme=programme).count() == reports
    return {"programmes": 1, "progress_reports": reports}
