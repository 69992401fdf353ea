"""Ulanhot 2019: the problems of the campaign and their history, and the leaders' two claims.

As of 2019-12-20 (article: 267 problems from the public or self-inspection, 238 resolved on the
spot; 84 from the public, 58 on the spot and 26 under rectification; 9 backlog petition cases
resolved; 71 prominent problems resolved):

- from the public (来信、来访、来电、网络): 58 resolved on the spot; 26 under rectification, of
  which 10 are resolved in January 2020 and one was resolved on the spot, then reopened after an
  unsatisfied callback;
- from self-inspection: 180 resolved on the spot (6 of them prominent), one rectified by its
  deadline, and the two must-solve problems the leaders claimed, still under rectification;
- backlog petition cases taken up in the campaign: 9 resolved (5 prominent), 4 still open;
- found by research (调研发现): 60 prominent ones resolved, 10 prominent ones still open (4 of
  them resolved in January 2020), 10 others.

Problems registered after 2019-12-20 are added too. Written with the ledger's bulk register (the
same fields and dated events as the workflow service), the claims with ``problem_transition``.
"""

import datetime as dt
import random
from dataclasses import dataclass

from minqing.campaigns.models import Campaign
from minqing.core.workdays import WorkCalendar
from minqing.demo.context import DemoContext
from minqing.demo.plan import short_name
from minqing.demo.replay.common import at, days
from minqing.demo.replay.ulanhot2019.world import AS_OF, PREFIX, STREAM, World
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source
from minqing.ledger.models import Problem
from minqing.ledger.services.bulk import ProblemRow, Step, problems_bulk_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.bulk import ref_of

PUBLIC = (
    "小区路灯损坏,夜间出行不便",
    "单体楼无物业管理,环境脏乱",
    "冬季供暖温度不达标",
    "平房区自来水管网老化,吃水困难",
    "小区道路破损积水",
    "楼道堆放杂物存在消防隐患",
    "背街小巷垃圾清运不及时",
    "农贸市场周边占道经营",
    "低保申请办理进度慢",
    "残疾人补贴发放不及时",
    "新建小区未通燃气",
    "广场舞噪音扰民",
    "老旧小区外墙保温层脱落",
    "公交站点设置不合理",
    "农产品销路少、卖不出去",
    "村内道路未硬化,雨天泥泞",
    "村卫生室缺少常用药品",
    "排水井盖缺失",
    "环卫工人无处歇脚",
    "小区停车位不足、乱停乱放",
    "拖欠农民工工资",
    "村务公开不及时",
)
SELF = (
    "“三会一课”记录不规范",
    "党员教育管理不够经常",
    "为民服务窗口办事流程繁琐",
    "政务公开栏信息更新不及时",
    "干部下基层少、作风不够扎实",
    "会议文件多、基层负担重",
    "流动党员联系不紧密",
    "党建阵地功能发挥不充分",
    "便民服务事项清单不完善",
    "学习笔记内容雷同",
    "党费收缴不及时",
    "惠民政策宣传不到位",
    "离退休党员组织关系管理不规范",
    "社区服务用房使用效率低",
    "“两不愁三保障”台账数据不一致",
    "窗口工作人员服务态度生硬",
)
RESEARCH = (
    "脱贫攻坚“两不愁三保障”存在短板",
    "软弱涣散村党组织整顿不到位",
    "城乡接合部环境卫生差",
    "老旧小区改造滞后",
    "农村牧区人居环境整治任务重",
    "社区党组织服务能力不足",
    "非公企业党组织覆盖不全",
    "项目审批环节多",
    "供热管网老化",
    "农畜产品销售难",
    "城区停车难",
    "社区养老服务设施不足",
    "基层干部队伍结构老化",
)
PETITION = (
    "征地补偿纠纷",
    "房屋拆迁安置纠纷",
    "拖欠工程款",
    "企业改制职工安置",
    "土地承包经营权纠纷",
    "劳动争议",
    "小区产权证办理",
    "医疗纠纷",
)
MEASURES = {
    ResolutionKind.ON_THE_SPOT: "现场核实后立行立改,当即解决",
    ResolutionKind.RECTIFIED: "制定整改方案,明确责任人和时限,已按期整改到位",
    ResolutionKind.EXPLAINED: "依法依政策向当事人解释说明,当事人表示理解",
}
CHANNELS = (Channel.LETTER, Channel.VISIT, Channel.CALL, Channel.ONLINE)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
LATE = (dt.date(2019, 12, 23), dt.date(2020, 1, 24))  # resolved after the article's date

# (source, how many, outcome as of 2019-12-20, prominent, registration window)
W_PUBLIC = (dt.date(2019, 9, 9), dt.date(2019, 12, 16))
W_SELF = (dt.date(2019, 9, 12), dt.date(2019, 12, 10))
W_PETITION = (dt.date(2019, 9, 5), dt.date(2019, 10, 31))
W_RESEARCH = (dt.date(2019, 9, 20), dt.date(2019, 11, 29))
W_AFTER = (dt.date(2019, 12, 21), dt.date(2020, 1, 20))
W_REOPENED = (dt.date(2019, 10, 8), dt.date(2019, 11, 29))  # reopened well before the article's date
SPECS: tuple[tuple[str, int, str, bool, tuple[dt.date, dt.date]], ...] = (
    (Source.PUBLIC, 58, "spot", False, W_PUBLIC),
    (Source.PUBLIC, 15, "rectifying", False, W_PUBLIC),
    (Source.PUBLIC, 10, "late", False, W_PUBLIC),
    (Source.PUBLIC, 1, "reopened", False, W_REOPENED),
    (Source.SELF_INSPECTION, 174, "spot", False, W_SELF),
    (Source.SELF_INSPECTION, 6, "spot", True, W_SELF),
    (Source.SELF_INSPECTION, 1, "rectified", False, W_SELF),
    (Source.PETITION_BACKLOG, 4, "rectified", True, W_PETITION),
    (Source.PETITION_BACKLOG, 2, "rectified", False, W_PETITION),
    (Source.PETITION_BACKLOG, 1, "explained", True, W_PETITION),
    (Source.PETITION_BACKLOG, 2, "explained", False, W_PETITION),
    (Source.PETITION_BACKLOG, 1, "rectifying", True, W_PETITION),
    (Source.PETITION_BACKLOG, 2, "rectifying", False, W_PETITION),
    (Source.PETITION_BACKLOG, 1, "late", False, W_PETITION),
    (Source.RESEARCH, 60, "rectified", True, W_RESEARCH),
    (Source.RESEARCH, 6, "rectifying", True, W_RESEARCH),
    (Source.RESEARCH, 4, "late", True, W_RESEARCH),
    (Source.RESEARCH, 6, "rectified", False, W_RESEARCH),
    (Source.RESEARCH, 4, "rectifying", False, W_RESEARCH),
    (Source.PUBLIC, 8, "spot", False, W_AFTER),
    (Source.PUBLIC, 4, "rectifying", False, W_AFTER),
    (Source.SELF_INSPECTION, 5, "spot", False, W_AFTER),
)


@dataclass(frozen=True)
class Claim:
    """A must-solve problem a leader claimed (article), resolved after the article's date or not."""

    title: str
    unit: str  # the unit it concerns
    responsible: str  # the unit that handles it
    leader: str  # the claimant's person number: the city's party secretary, the mayor
    registered: dt.date
    claimed: dt.date
    resolved: dt.date | None = None
    measures: str = ""


CLAIMS = (
    Claim("社区工作者职业体系建设", "152201000000", "152201-A002", "152201000000-01",
          dt.date(2019, 9, 20), dt.date(2019, 9, 26), dt.date(2020, 1, 17),
          "出台社区工作者职业体系建设实施办法,建立岗位等级序列"),
    Claim("站前社区服务用房选址重建", "152201004003", "152201004000", "152201000000-02",
          dt.date(2019, 9, 24), dt.date(2019, 9, 30)),
)  # fmt: skip


@dataclass
class Places:
    villages: list[Unit]
    towns: list[Unit]
    agencies: list[Unit]
    parent: dict[str, Unit]


def _units(rng: random.Random, pl: Places, source: str) -> tuple[Unit, Unit]:
    """The unit a problem concerns and the one that handles it."""
    if source == Source.SELF_INSPECTION:
        u = rng.choice(pl.agencies + pl.towns + pl.villages)
        return u, u
    u = rng.choice(pl.villages) if rng.random() < 0.7 else rng.choice(pl.towns)
    if source == Source.PETITION_BACKLOG or rng.random() < 0.2:
        return u, rng.choice(pl.agencies)
    return u, pl.parent.get(u.path[: -Unit.steplen], u) if u in pl.villages else u


def _steps(rng: random.Random, outcome: str, reg: dt.datetime, resp: Unit, cal: WorkCalendar) -> list[Step]:
    ref = ref_of(resp)
    t = reg + H * rng.uniform(1, 6)
    steps = [Step(Action.ASSIGN, t, unit=ref)]
    t += H * rng.uniform(1, 20)
    steps.append(Step(Action.ACCEPT, t))
    end = at(AS_OF, 18)
    if outcome in ("spot", "reopened"):
        t += H * rng.uniform(2, 30)
        kind = ResolutionKind.ON_THE_SPOT
        steps.append(Step(Action.RESOLVE, t, resolution_kind=kind, measures=MEASURES[kind]))
        t += D * rng.uniform(1, 6)
        if outcome == "reopened":
            steps.append(
                Step(Action.CALLBACK, t, satisfaction=Satisfaction.UNSATISFIED, note="群众对处理结果不满意")
            )
        elif rng.random() < 0.6:
            steps.append(Step(Action.CLOSE, t, note="核实整改到位,予以销号"))
            steps.append(Step(Action.CALLBACK, t + D, satisfaction=Satisfaction.SATISFIED))
        return steps
    if outcome == "explained":
        t = min(t + D * rng.uniform(3, 20), end - D)
        kind = ResolutionKind.EXPLAINED
        return [*steps, Step(Action.RESOLVE, t, resolution_kind=kind, measures=MEASURES[kind])]
    t += H * rng.uniform(2, 48)
    steps.append(Step(Action.START, t))
    if outcome == "rectified":
        t = min(t + D * rng.uniform(3, 40), end - D * rng.uniform(1, 3))
        kind = ResolutionKind.RECTIFIED
        steps.append(Step(Action.RESOLVE, t, resolution_kind=kind, measures=MEASURES[kind]))
    elif outcome == "late":
        t = at(rng.choice(days(*LATE, workdays=True, cal=cal)), rng.randint(9, 17))
        kind = ResolutionKind.RECTIFIED
        steps.append(Step(Action.RESOLVE, t, resolution_kind=kind, measures=MEASURES[kind]))
    return steps


def _title(rng: random.Random, source: str, unit: Unit) -> str:
    where = short_name(unit.name)
    if source == Source.PUBLIC:
        return f"{where}{rng.choice(PUBLIC)}"
    if source == Source.SELF_INSPECTION:
        return f"{where}{rng.choice(SELF)}"
    if source == Source.PETITION_BACKLOG:
        return f"{where}{rng.choice(PETITION)}信访积案"
    return f"{where}{rng.choice(RESEARCH)}"


def rows(
    ctx: DemoContext, world: World, campaign: Campaign, cal: WorkCalendar | None = None
) -> list[ProblemRow]:
    rng = ctx.rng(STREAM, "problems")
    cal = cal or WorkCalendar()
    villages = world.all_villages
    pl = Places(villages, world.towns, world.agencies, {t.path: t for t in world.towns})
    out: list[ProblemRow] = []
    for source, n, outcome, prominent, (first, last) in SPECS:
        window = days(first, last)
        for _ in range(n):
            reg = at(rng.choice(window), rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
            unit, resp = _units(rng, pl, source)
            steps = _steps(rng, outcome, reg, resp, cal)
            title = _title(rng, source, unit)
            out.append(
                ProblemRow(
                    number="",
                    title=title,
                    description=f"{title}。请核实处理并反馈。",
                    unit=ref_of(unit),
                    source=source,
                    channel=rng.choice(CHANNELS) if source == Source.PUBLIC else "",
                    campaign_id=campaign.pk,
                    prominent=prominent,
                    registered_at=reg,
                    steps=steps,
                )
            )
    out.sort(key=lambda r: (r.registered_at, r.title))
    for i, r in enumerate(out, start=1):
        r.number = f"{PREFIX}WT{i:04d}"
    return out


def claims(campaign: Campaign, first_number: int) -> list[tuple[Claim, ProblemRow]]:
    codes = [code for c in CLAIMS for code in (c.unit, c.responsible)]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    out = []
    for i, c in enumerate(CLAIMS):
        if c.unit not in units or c.responsible not in units:
            continue
        r = at(c.registered, 10)
        row = ProblemRow(
            number=f"{PREFIX}WT{first_number + i:04d}",
            title=c.title,
            description=f"{c.title}:时间久、阻力大、难推动,列为主题教育“必解问题”。",
            unit=ref_of(units[c.unit]),
            source=Source.SELF_INSPECTION,
            campaign_id=campaign.pk,
            prominent=True,
            registered_at=r,
            steps=[
                Step(Action.ASSIGN, r + H * 2, unit=ref_of(units[c.responsible])),
                Step(Action.ACCEPT, r + D),
                Step(Action.START, at(c.claimed, 9)),
            ],
        )
        out.append((c, row))
    return out


def load(ctx: DemoContext, world: World, campaign: Campaign) -> dict[str, int]:
    cal = WorkCalendar()
    plain = rows(ctx, world, campaign, cal)
    claimed = claims(campaign, len(plain) + 1)
    res = problems_bulk_register(plain + [row for _c, row in claimed], cal)
    for c, row in claimed:
        leader = Person.objects.filter(number=c.leader).first()
        if leader is None:
            continue
        problem = problem_transition(
            actor=SYSTEM,
            problem=Problem.objects.get(number=row.number),
            action=Action.CLAIM,
            at=at(c.claimed, 15),
            calendar=cal,
            leader=leader,
            must_solve=True,
            note="作为主题教育“必解问题”认领",
        )
        if c.resolved is not None:
            problem_transition(
                actor=SYSTEM,
                problem=problem,
                action=Action.RESOLVE,
                at=at(c.resolved, 16),
                calendar=cal,
                resolution_kind=ResolutionKind.RECTIFIED,
                measures=c.measures,
            )
    return {"problems": res.created, "problem_events": res.skipped}
