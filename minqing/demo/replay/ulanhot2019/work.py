"""Ulanhot 2019: research (topics, interviews, reports), the problems, and the guidance groups.

- Research: 189 key topics set in the period, led by every division-level leader (two each) and
  by the heads of the towns, streets and agencies; more topics of the villages and communities;
  interviews on them adding up to 59,282 person-times by 2019-12-20; every division-level leader
  writes a report. A few topics, interviews and reports come after the article's date.
- Problems and the leaders' claims: ``problems``.
- Supervision: the city committee's 8 guidance groups (formed 2019-09-06), each through its towns,
  streets, agencies and non-public organisations: five rounds by 2019-12-13, three groups a sixth
  before 2019-12-20, every group one more in January 2020. A few inspections find a problem.
"""

import datetime as dt
import random
from collections.abc import Sequence

from minqing.activities.services.research import interview_record, report_submit, topic_create
from minqing.campaigns.models import Campaign
from minqing.core.workdays import WorkCalendar
from minqing.demo import names
from minqing.demo.context import DemoContext
from minqing.demo.plan import apportion, short_name
from minqing.demo.replay.common import Who, at, days
from minqing.demo.replay.figures import ARTICLE_ULANHOT as FIG
from minqing.demo.replay.ulanhot2019 import problems
from minqing.demo.replay.ulanhot2019.world import AS_OF, PREFIX, STREAM, World
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person, Unit
from minqing.supervision.enums import InspectionKind, MemberRole
from minqing.supervision.services.groups import MemberSpec, group_create
from minqing.supervision.services.inspections import FindingSpec, RecordsChecked, inspection_record

THEMES = (
    "软弱涣散党组织整顿",
    "脱贫攻坚“两不愁三保障”",
    "城市基层党建示范市建设",
    "非公企业和社会组织党建",
    "社区服务用房建设",
    "老旧小区物业管理",
    "农村牧区人居环境整治",
    "优化营商环境",
    "民族团结进步创建",
    "红色教育基地建设",
    "社区工作者队伍建设",
    "流动党员教育管理",
    "农畜产品产销对接",
    "环卫工人关爱",
    "冬季供热保障",
    "城乡饮水安全",
    "“放管服”改革",
    "为基层减负",
    "嘎查村集体经济发展",
    "城乡融合党建",
    "在职党员进社区",
    "老党员作用发挥",
    "干部作风建设",
    "扫黑除恶专项斗争",
    "生态环境保护",
)
DIVISION_TOPICS = 2  # key topics led by each division-level leader
VILLAGE_TOPICS = 110  # further topics (not key) of villages and communities
LATE_TOPICS = 6
FINDINGS = (
    "集中学习安排不具体,个人自学计划流于形式",
    "检视问题清单不够具体,整改措施缺少时限",
    "调研报告质量不高,问题找得不准",
    "开门纳谏渠道公布不及时",
    "立行立改台账更新不及时",
)
ROUNDS = (
    (dt.date(2019, 9, 16), dt.date(2019, 9, 27)),
    (dt.date(2019, 10, 14), dt.date(2019, 10, 25)),
    (dt.date(2019, 11, 4), dt.date(2019, 11, 15)),
    (dt.date(2019, 11, 18), dt.date(2019, 11, 29)),
    (dt.date(2019, 12, 2), dt.date(2019, 12, 13)),
)
SIXTH = (dt.date(2019, 12, 16), dt.date(2019, 12, 19))  # the first three groups, before the article's date
LAST = (dt.date(2020, 1, 6), dt.date(2020, 1, 17))  # every group once more, after it
GROUPS = 8
FORMED = dt.date(2019, 9, 6)
KINDS = (
    InspectionKind.SIT_IN_MEETING,
    InspectionKind.SIT_IN_STUDY,
    InspectionKind.SPOT_CHECK,
    InspectionKind.UNANNOUNCED_VISIT,
    InspectionKind.RECORDS_CHECK,
    InspectionKind.PLAN_REVIEW,
)


def _topic_leaders(world: World) -> tuple[list[Who], list[Who]]:
    """(key-topic leaders in order, village leaders): division-level leaders twice each, then heads."""
    by_unit: dict[str, list[Who]] = {}
    for x in world.people:
        by_unit.setdefault(x.path, []).append(x)

    def nth(units: Sequence[Unit], i: int) -> list[Who]:
        return [by_unit[u.path][i] for u in units if len(by_unit.get(u.path, [])) > i]

    division = [x for x in world.people if x.rank == Rank.DIVISION]
    heads = nth(world.towns, 0) + nth(world.towns, 1) + nth(world.agencies, 0) + nth(world.towns, 2)
    heads += nth(world.agencies, 1) + nth(world.non_public, 0)
    key = [x for x in division for _ in range(DIVISION_TOPICS)] + heads
    return key[: FIG["research.topics.key"]], nth(world.all_villages, 0)


def load_research(ctx: DemoContext, world: World, campaign: Campaign) -> dict[str, int]:
    rng = ctx.rng(STREAM, "research")
    key_leaders, village_leaders = _topic_leaders(world)
    village_leaders = rng.sample(village_leaders, min(VILLAGE_TOPICS, len(village_leaders)))
    division = {x.id for x in world.people if x.rank == Rank.DIVISION}
    people = Person.objects.in_bulk([x.id for x in key_leaders + village_leaders])
    units = Unit.objects.in_bulk([x.unit_id for x in key_leaders + village_leaders])
    early = days(dt.date(2019, 9, 9), dt.date(2019, 10, 15), workdays=True)
    later = days(dt.date(2019, 9, 16), dt.date(2019, 11, 8), workdays=True)
    topics = []
    for i, x in enumerate(key_leaders + village_leaders):
        key = i < len(key_leaders)
        unit = units[x.unit_id]
        theme = THEMES[i % len(THEMES)] if key else rng.choice(THEMES)
        title = f"{short_name(unit.name)}{theme}调研" if x.id not in division else f"关于全市{theme}的调研"
        day = rng.choice(early if key else later)
        topics.append(
            topic_create(
                actor=SYSTEM,
                title=title,
                leader=people[x.id],
                unit=unit,
                campaign=campaign,
                is_key=key,
                at=at(day, rng.randint(9, 16)),
            )
        )
    sessions = [(t, rng.randint(2, 4)) for t in topics]
    sizes = iter(
        apportion(
            FIG["research.interviews.person_times"],
            [rng.uniform(0.5, 1.5) for t, n in sessions for _ in range(n)],
            5,
        )
    )
    interviews = reports = 0
    for t, n in sessions:
        window = days(t.created_at.date() + dt.timedelta(days=2), AS_OF)
        for day in sorted(rng.sample(window, n)):
            interview_record(
                actor=SYSTEM, topic=t, date=day, person_times=next(sizes), notes="座谈、入户走访"
            )
            interviews += 1
    reported: set[int] = set()
    report_days = days(dt.date(2019, 11, 4), dt.date(2019, 12, 18), workdays=True)
    late_days = days(dt.date(2019, 12, 23), dt.date(2020, 1, 10), workdays=True)
    for t in topics:
        first = t.leader_id in division and t.leader_id not in reported
        if first or (t.is_key and rng.random() < 0.7) or rng.random() < 0.3:
            day = rng.choice(report_days) if first or rng.random() < 0.9 else rng.choice(late_days)
            report_submit(
                actor=SYSTEM, topic=t, title=f"关于{t.title.removesuffix('调研')}的调研报告", submitted_on=day
            )
            reported.add(t.leader_id)
            reports += 1
    for i in range(LATE_TOPICS):  # topics set in January 2020: after the article's date
        x = key_leaders[i * DIVISION_TOPICS]
        leader = people[x.id]
        t = topic_create(
            actor=SYSTEM,
            title=f"关于巩固主题教育成果、{THEMES[-1 - i]}的调研",
            leader=leader,
            unit=units[x.unit_id],
            campaign=campaign,
            is_key=True,
            at=at(dt.date(2020, 1, 6) + dt.timedelta(days=i), 10),
        )
        interview_record(actor=SYSTEM, topic=t, date=dt.date(2020, 1, 15), person_times=rng.randint(20, 60))
        topics.append(t)
        interviews += 1
    return {"topics": len(topics), "interviews": interviews, "reports": reports}


def _members(rng: random.Random, world: World, i: int) -> list[MemberSpec]:
    """A leader and two members from the city's agencies (the organisation department's and the
    discipline commission's staff first), and a retired cadre as deputy (a name only)."""
    by_unit: dict[str, list[Who]] = {}
    for x in world.people:
        by_unit.setdefault(x.path, []).append(x)
    heads = [by_unit[a.path][0] for a in world.agencies if by_unit.get(a.path)]
    staff = [x for a in world.agencies[:8] for x in by_unit.get(a.path, [])[1:]]
    chosen = Person.objects.in_bulk(
        [heads[(i * 7) % len(heads)].id, *(s.id for s in staff[i * 2 : i * 2 + 2])]
    )
    ordered = sorted(chosen.values(), key=lambda p: p.number)
    leader = chosen[heads[(i * 7) % len(heads)].id]
    out = [
        MemberSpec(person=leader, role=MemberRole.LEADER),
        MemberSpec(name=names.person_name(rng), role=MemberRole.DEPUTY),
    ]
    return out + [MemberSpec(person=p) for p in ordered if p.pk != leader.pk]


def load_supervision(ctx: DemoContext, world: World, campaign: Campaign) -> dict[str, int]:
    cal = WorkCalendar()
    inspections = findings = 0
    seq = 0
    for i in range(GROUPS):
        rng = ctx.rng(STREAM, "supervision", i)
        towns, agencies, orgs = world.towns[i::GROUPS], world.agencies[i::GROUPS], world.non_public[i::GROUPS]
        group = group_create(
            actor=SYSTEM,
            name=f"市委第{names.cn_number(i + 1)}指导组",
            campaign=campaign,
            unit=world.city,
            units=towns + agencies + orgs,
            members=_members(rng, world, i),
            at=at(FORMED, 10),
        )
        windows = list(ROUNDS) + ([SIXTH] if i < 3 else []) + [LAST]
        for round_no, (first, last) in enumerate(windows, start=1):
            town = rng.choice(towns)
            village = rng.choice(world.villages[town.pk]) if world.villages[town.pk] else town
            stops = [town, village, rng.choice(agencies + orgs)]
            for unit, day in zip(
                stops, sorted(rng.sample(days(first, last, workdays=True, cal=cal), 3)), strict=True
            ):
                kind = rng.choice(KINDS)
                found = []
                if rng.random() < 0.12:
                    seq += 1
                    found = [FindingSpec(text=rng.choice(FINDINGS), number=f"{PREFIX}DD{seq:04d}")]
                inspection_record(
                    actor=SYSTEM,
                    group=group,
                    unit=unit,
                    date=day,
                    kind=kind,
                    round=round_no,
                    records=RecordsChecked(minutes=True, scripts=rng.random() < 0.5)
                    if kind == InspectionKind.RECORDS_CHECK
                    else None,
                    notes=f"第{round_no}轮:深入{unit.name}指导主题教育",
                    findings=found,
                    at=at(day, 17, 30),
                )
                inspections += 1
                findings += len(found)
    return {"groups": GROUPS, "inspections": inspections, "findings": findings}


def load(ctx: DemoContext, world: World, campaign: Campaign) -> dict[str, int]:
    counts = load_research(ctx, world, campaign)
    counts |= problems.load(ctx, world, campaign)
    counts |= load_supervision(ctx, world, campaign)
    return counts
