"""The demo's catalogues (seed and city tiers): a sample of Ulanqab's power list, reform measures
with results, and commendations, written through the catalogue services.

The departments are the Ulanqab agencies (kind ``agency``, codes starting with 1509, e.g. the
demo's 150900-D001 …) whose names end with one of the words below; a department the tree does
not have is skipped. The power list is published on 2015-06-30 as in the seed article; the
commendations are the 2015-07-01 “优秀基层党组织带头人” of village party secretaries (a sample,
not the article's 103: the figures are counted from whatever is recorded), decided on
2015-06-29 (``DECIDED``: the article gives no decision date; the Ulanqab replay, which writes
the same rows, assumes two days before the ceremony). Deterministic (fixed lists and
``ctx.rng("catalogues")``); a second run changes nothing.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.catalogues.models import Commendation, PowerCategory, PowerItem, ReformMeasure, ReformStatus
from minqing.catalogues.services._common import KeyedRow
from minqing.catalogues.services.commendations import commendation_row, commendations_upsert
from minqing.catalogues.services.powers import power_items_upsert, power_row
from minqing.catalogues.services.reforms import ResultRow, reform_row, reforms_upsert
from minqing.core.paths import prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Person, Unit

CITY_CODE = "150900000000"
CODE_PREFIX = "1509"
PUBLISHED = dt.date(2015, 6, 30)
CAMPAIGN = "“三严三实”专题教育"
C = PowerCategory
S = ReformStatus

# department name ending -> [(category, item, legal basis)]
POWERS: dict[str, list[tuple[str, str, str]]] = {
    "公安局": [
        (C.LICENSING, "烟花爆竹道路运输许可", "《烟花爆竹安全管理条例》第二十二条"),
        (C.PENALTY, "对违反治安管理行为的处罚", "《中华人民共和国治安管理处罚法》第十条"),
        (C.COERCION, "对醉酒的人约束至酒醒", "《中华人民共和国治安管理处罚法》第十五条"),
        (C.CONFIRMATION, "户口登记", "《中华人民共和国户口登记条例》第三条"),
        (C.INSPECTION, "旅馆业治安管理检查", "《旅馆业治安管理办法》第十三条"),
    ],
    "民政局": [
        (C.LICENSING, "社会团体成立登记", "《社会团体登记管理条例》第六条"),
        (C.BENEFIT, "最低生活保障金给付", "《社会救助暂行办法》第九条"),
        (C.CONFIRMATION, "婚姻登记", "《婚姻登记条例》第二条"),
        (C.REWARD, "对在社会救助工作中作出显著成绩的单位、个人的表彰", "《社会救助暂行办法》第十条"),
    ],
    "市场监督管理局": [
        (C.LICENSING, "食品经营许可", "《中华人民共和国食品安全法》第三十五条"),
        (C.PENALTY, "对经营不符合食品安全标准的食品的处罚", "《中华人民共和国食品安全法》第一百二十四条"),
        (C.COERCION, "查封、扣押不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百一十条"),
        (C.INSPECTION, "食品生产经营监督检查", "《中华人民共和国食品安全法》第一百一十条"),
    ],
    "自然资源局": [
        (C.LICENSING, "建设用地规划许可证核发", "《中华人民共和国城乡规划法》第三十七条"),
        (C.LEVY, "土地复垦费征收", "《土地复垦条例》第十八条"),
        (C.ADJUDICATION, "土地权属争议裁决", "《中华人民共和国土地管理法》第十四条"),
        (C.PENALTY, "对非法占用土地的处罚", "《中华人民共和国土地管理法》第七十七条"),
    ],
    "住房和城乡建设局": [
        (C.LICENSING, "建筑工程施工许可证核发", "《中华人民共和国建筑法》第七条"),
        (C.PENALTY, "对未取得施工许可证擅自施工的处罚", "《中华人民共和国建筑法》第六十四条"),
        (C.INSPECTION, "建设工程质量安全监督检查", "《建设工程质量管理条例》第四十七条"),
    ],
    "人力资源和社会保障局": [
        (C.BENEFIT, "失业保险金给付", "《失业保险条例》第十四条"),
        (C.CONFIRMATION, "工伤认定", "《工伤保险条例》第十七条"),
        (C.OTHER, "劳动人事争议仲裁", "《中华人民共和国劳动争议调解仲裁法》第十七条"),
    ],
    "教育局": [
        (C.LICENSING, "民办学校设立审批", "《中华人民共和国民办教育促进法》第十二条"),
        (C.REWARD, "对优秀教师的表彰奖励", "《中华人民共和国教师法》第三十三条"),
    ],
    "妇女联合会": [
        (C.OTHER, "妇女儿童权益维护投诉受理", "《中华人民共和国妇女权益保障法》第五十五条"),
    ],
}

# (department ending, title, key?, status, started, [(result date, result)])
REFORMS: list[tuple[str, str, bool, str, dt.date, list[tuple[dt.date, str]]]] = [
    ("发展和改革委员会", "打造蒙晋冀(乌大张)长城“金三角”区域合作", True, S.IN_PROGRESS, dt.date(2014, 3, 1), [
        (dt.date(2014, 11, 20), "与大同、张家口签订 11 个方面的合作协议"),
        (dt.date(2015, 4, 30), "长城“金三角”进入京津冀协同发展规划纲要"),
    ]),
    ("发展和改革委员会", "投融资体制改革", False, S.IN_PROGRESS, dt.date(2014, 6, 1), [
        (dt.date(2015, 3, 15), "公布政府核准的投资项目目录"),
    ]),
    ("市场监督管理局", "商事制度改革:先照后证、注册资本认缴登记", True, S.COMPLETED, dt.date(2014, 3, 1), [
        (dt.date(2014, 6, 1), "实行注册资本认缴登记制"),
        (dt.date(2015, 5, 20), "企业年度报告公示制度全面实施"),
    ]),
    ("自然资源局", "不动产统一登记", True, S.IN_PROGRESS, dt.date(2015, 1, 1), []),
    ("农牧局", "农村牧区土地承包经营权确权登记颁证", True, S.IN_PROGRESS, dt.date(2014, 9, 1), [
        (dt.date(2015, 6, 10), "试点旗县完成确权登记"),
    ]),
    ("公安局", "户籍制度改革", False, S.COMPLETED, dt.date(2014, 10, 1), [
        (dt.date(2015, 2, 1), "取消农业、非农业户口性质区分"),
    ]),
    ("卫生健康委员会", "公立医院综合改革", False, S.IN_PROGRESS, dt.date(2015, 3, 1), []),
    ("财政局", "政府购买公共服务", False, S.NOT_STARTED, dt.date(2015, 6, 1), []),
    ("教育局", "县域义务教育均衡发展", False, S.IN_PROGRESS, dt.date(2014, 9, 1), [
        (dt.date(2015, 6, 20), "两个旗县通过义务教育基本均衡验收"),
    ]),
]  # fmt: skip

COMMENDATION = ("优秀基层党组织带头人", dt.date(2015, 7, 1), "中共乌兰察布市委组织部")
DECIDED = dt.date(2015, 6, 29)  # the 表彰决定 of COMMENDATION: assumed, two days before the ceremony
COMMENDED = 15
OTHERS = (("优秀共产党员", dt.date(2016, 7, 1)), ("优秀党务工作者", dt.date(2016, 7, 1)))


def _departments() -> dict[str, Unit]:
    """name ending -> the first Ulanqab agency (by code) whose name ends with it."""
    agencies = Unit.objects.filter(kind=UnitKind.AGENCY, code__startswith=CODE_PREFIX).order_by("code")
    wanted = set(POWERS) | {r[0] for r in REFORMS}
    out: dict[str, Unit] = {}
    for unit in agencies:
        for ending in wanted:
            if ending not in out and unit.name.endswith(ending):
                out[ending] = unit
    return out


def _power_rows(deps: dict[str, Unit]) -> list[KeyedRow]:
    return [
        power_row(
            unit=deps[ending],
            category=category,
            name=name,
            values={"legal_basis": basis, "published_on": PUBLISHED, "is_active": True},
        )
        for ending, items in POWERS.items()
        if ending in deps
        for category, name, basis in items
    ]


def _reform_rows(deps: dict[str, Unit], campaign: Campaign | None) -> tuple[list[KeyedRow], list[ResultRow]]:
    rows, results = [], []
    for ending, title, key, status, started, res in REFORMS:
        unit = deps.get(ending)
        if unit is None:
            continue
        values = {"is_key": key, "status": status, "started_on": started, "campaign": campaign}
        rows.append(reform_row(unit=unit, title=title, values=values))
        results += [ResultRow(unit=unit, title=title, date=d, text=t) for d, t in res]
    return rows, results


def _commendation_rows(ctx: DemoContext, city: Unit, campaign: Campaign | None) -> list[KeyedRow]:
    secretaries = list(
        Person.objects.filter(prefix_q(city.path), unit__kind=UnitKind.VILLAGE, duties__contains="书记")
        .select_related("unit")
        .order_by("number")
    )
    rng = ctx.rng("catalogues", "commendations")
    chosen = sorted(rng.sample(secretaries, min(COMMENDED, len(secretaries))), key=lambda p: p.number)
    title, date, body = COMMENDATION
    rows = [
        commendation_row(
            unit=p.unit,
            name=p.name,
            title=title,
            date=date,
            values={"person": p, "awarded_by": body, "campaign": campaign, "decided_on": DECIDED},
        )
        for p in chosen
    ]
    for i, p in enumerate(chosen[:4]):
        other, when = OTHERS[i % len(OTHERS)]
        values = {"person": p, "awarded_by": "中共乌兰察布市委", "campaign": None}
        rows.append(commendation_row(unit=p.unit, name=p.name, title=other, date=when, values=values))
    return rows


@register_stage(
    "catalogues", label=_("权力清单、改革举措和表彰"), tiers=("seed", "city", "region"), order=400
)
@transaction.atomic
def load_catalogues(ctx: DemoContext) -> dict[str, int]:
    city = Unit.objects.filter(code=CITY_CODE).first()
    if city is None:
        return {"power_items": 0, "reforms": 0, "commendations": 0}
    loaded = (
        PowerItem.objects.filter(prefix_q(city.path)).exists()
        or ReformMeasure.objects.filter(prefix_q(city.path)).exists()
        or Commendation.objects.filter(prefix_q(city.path)).exists()
    )
    if loaded:  # a second run changes nothing
        return {"power_items": 0, "reforms": 0, "commendations": 0}
    deps = _departments()
    campaign = Campaign.objects.filter(name=CAMPAIGN).first()
    powers = power_items_upsert(actor=SYSTEM, rows=_power_rows(deps), source="demo")
    rows, results = _reform_rows(deps, campaign)
    reforms = reforms_upsert(actor=SYSTEM, rows=rows, results=results, source="demo")
    honours = commendations_upsert(actor=SYSTEM, rows=_commendation_rows(ctx, city, campaign), source="demo")
    return {
        "power_items": powers.created,
        "reforms": reforms.created,
        "reform_results": reforms.results_added,
        "commendations": honours.created,
    }
