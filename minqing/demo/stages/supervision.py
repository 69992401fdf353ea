"""The demo's guidance groups and inspections (tiers seed and city): Ulanqab's city committee
sends four guidance groups for the 2015 “三严三实”专题教育; each is assigned a share of the
city's counties (旗县市区) and makes two sweeps (rounds) through them: the county itself, one
of its townships and one village there, on consecutive working days. About a third of the
inspections find one or two problems, which enter the ledger (source 督导发现).

Everything is written through the services (``group_create``, ``inspection_record``), with
``actor=SYSTEM``. Deterministic for the seed (``ctx.rng("supervision", ...)``, fixed
dates and problem numbers ``YD…``); a group that already exists is left as it is, so a re-run
adds nothing. Each group and its inspections are one transaction.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import campaign_create
from minqing.core.paths import prefix_q
from minqing.demo import names
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.demo.stages.activities import CAMPAIGNS
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Rank, UnitKind
from minqing.orgs.models import Person, Unit
from minqing.supervision.enums import InspectionKind, MemberRole
from minqing.supervision.models import GuidanceGroup
from minqing.supervision.services.groups import MemberSpec, group_create
from minqing.supervision.services.inspections import FindingSpec, RecordsChecked, inspection_record

CITY = "150900000000"  # 乌兰察布市
CAMPAIGN = CAMPAIGNS[0]  # (name, kind, first day, last day, weight) of “三严三实”专题教育
GROUPS = ("市委第一指导组", "市委第二指导组", "市委第三指导组", "市委第四指导组")
ROUND_STARTS = (dt.date(2015, 5, 18), dt.date(2015, 6, 8))
FORMED = dt.date(2015, 5, 13)  # the groups are formed before their first sweep
PREFIX = "YD"  # 演示督导: problem numbers of the findings
FINDING_SHARE = 0.35
FINDINGS = (
    "专题学习流于形式,学习笔记内容雷同",
    "“三会一课”记录不完整,部分支部学习会未留记录",
    "专题党课讲稿照搬上级材料,联系本单位实际不够",
    "查摆问题清单过于笼统,整改措施缺少时限",
    "个别干部对专题教育安排不清楚",
    "征求意见范围窄,未覆盖服务对象",
    "立行立改事项台账未及时更新",
    "为民服务窗口工作人员迟到早退",
    "专题研讨发言准备不充分,照本宣科",
    "整改落实情况未向群众公开",
)
ROUND_KINDS = {
    UnitKind.COUNTY: (InspectionKind.PLAN_REVIEW, InspectionKind.SIT_IN_MEETING),
    UnitKind.TOWNSHIP: (InspectionKind.SPOT_CHECK, InspectionKind.RECORDS_CHECK),
    UnitKind.VILLAGE: (InspectionKind.SIT_IN_STUDY, InspectionKind.UNANNOUNCED_VISIT),
}


def _campaign() -> Campaign | None:
    name, kind, first, last, _weight = CAMPAIGN
    found = Campaign.objects.filter(name=name).first()
    if found is not None:
        return found
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return None
    return campaign_create(actor=SYSTEM, name=name, scope=root, start_date=first, end_date=last, kind=kind)


def _workdays(start: dt.date) -> list[dt.date]:
    days: list[dt.date] = []
    d = start
    while len(days) < 60:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _members(rng: random.Random, city: Unit, i: int) -> list[MemberSpec]:
    """A division-level head of a city department leads; a retired cadre (a name only) is the
    deputy; three staff of the city departments are members (each group its own share)."""
    agency_people = Person.objects.filter(
        prefix_q(city.path), unit__kind=UnitKind.AGENCY, user__isnull=True
    ).order_by("number")
    leaders = list(agency_people.filter(rank=Rank.DIVISION)[: 5 * len(GROUPS)])
    staff = list(agency_people.exclude(rank=Rank.DIVISION)[:200])[i :: len(GROUPS)]
    out: list[MemberSpec] = []
    if leaders:
        out.append(MemberSpec(person=leaders[(5 * i) % len(leaders)], role=MemberRole.LEADER))
    else:
        out.append(MemberSpec(name=names.person_name(rng), role=MemberRole.LEADER))
    out.append(MemberSpec(name=names.person_name(rng), role=MemberRole.DEPUTY))
    for p in rng.sample(staff, min(3, len(staff))):
        out.append(MemberSpec(person=p))
    return _distinct(out)


def _distinct(members: list[MemberSpec]) -> list[MemberSpec]:
    seen: set[str] = set()
    out = []
    for m in members:
        key = f"p{m.person.pk}" if m.person is not None else f"n{m.name}"
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _stops(rng: random.Random, county: Unit) -> list[Unit]:
    """The county, one of its townships, one village of that township."""
    stops = [county]
    towns = list(Unit.objects.filter(prefix_q(county.path), kind=UnitKind.TOWNSHIP).order_by("path"))
    if towns:
        town = rng.choice(towns)
        stops.append(town)
        villages = list(Unit.objects.filter(prefix_q(town.path), kind=UnitKind.VILLAGE).order_by("path"))
        if villages:
            stops.append(rng.choice(villages))
    return stops


def _findings(rng: random.Random, day: dt.date, seq: list[int]) -> list[FindingSpec]:
    if rng.random() >= FINDING_SHARE:
        return []
    out = []
    for text in rng.sample(FINDINGS, rng.choice((1, 1, 2))):
        seq[0] += 1
        out.append(FindingSpec(text=text, number=f"{PREFIX}{day:%Y%m%d}{seq[0]:04d}"))
    return out


@transaction.atomic
def _load_group(
    rng: random.Random,
    campaign: Campaign,
    city: Unit,
    i: int,
    name: str,
    counties: list[Unit],
    seq: list[int],
) -> tuple[int, int]:
    group = group_create(
        actor=SYSTEM,
        name=name,
        campaign=campaign,
        unit=city,
        units=counties,
        members=_members(rng, city, i),
        at=timezone.make_aware(dt.datetime.combine(FORMED, dt.time(9))),
    )
    inspections = findings = 0
    for round_no, start in enumerate(ROUND_STARTS, start=1):
        days = iter(_workdays(start + dt.timedelta(days=i)))
        for county in counties:
            for unit in _stops(rng, county):
                day = next(days)
                kind = ROUND_KINDS[UnitKind(unit.kind)][round_no - 1]
                records = RecordsChecked(minutes=True, scripts=rng.random() < 0.5, media=rng.random() < 0.3)
                found = _findings(rng, day, seq)
                inspection_record(
                    actor=SYSTEM,
                    group=group,
                    unit=unit,
                    date=day,
                    kind=kind,
                    round=round_no,
                    records=records if kind == InspectionKind.RECORDS_CHECK else None,
                    notes=f"深入{unit.name}督导专题教育开展情况",
                    findings=found,
                    at=timezone.make_aware(dt.datetime.combine(day, dt.time(17, 30))),
                )
                inspections += 1
                findings += len(found)
    return inspections, findings


@register_stage("supervision", label=_("指导组和督导"), tiers=("seed", "city", "region"), order=400)
def load_supervision(ctx: DemoContext) -> dict[str, int]:
    city = Unit.objects.filter(code=CITY).first()
    campaign = _campaign() if city is not None else None
    if city is None or campaign is None:
        return {"groups": 0, "inspections": 0, "problems": 0}
    counties = list(Unit.objects.filter(prefix_q(city.path), kind=UnitKind.COUNTY).order_by("code"))
    created = {"groups": 0, "inspections": 0, "problems": 0}
    seq = [0]
    for i, name in enumerate(GROUPS):
        rng = ctx.rng("supervision", name)
        mine = counties[i :: len(GROUPS)]
        seq[0] = i * 1000  # numbers stay the same whichever groups a re-run still has to add
        if not mine or GuidanceGroup.objects.filter(campaign=campaign, name=name).exists():
            continue
        n, f = _load_group(rng, campaign, city, i, name, mine, seq)
        created["groups"] += 1
        created["inspections"] += n
        created["problems"] += f
    return created
