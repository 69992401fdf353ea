"""Who works where: the cadres of each unit, with duties and ranks, derived from the seed.

A roster depends only on the unit (code, name, kind) and the seed, so the assignments stage
can recompute it to find the people the cadres stage created.
"""

from dataclasses import dataclass

from minqing.demo.context import DemoContext
from minqing.demo.names import id_number, person_name, phone
from minqing.orgs.enums import Rank, UnitKind, UnitSubkind
from minqing.orgs.services.units import UnitRow

BIRTH_YEARS = {
    Rank.BUREAU: (1962, 1972),
    Rank.DIVISION: (1965, 1982),
    Rank.SECTION: (1970, 1990),
    Rank.STAFF: (1984, 1999),
    Rank.NONE: (1960, 1993),
}


@dataclass(frozen=True)
class Cadre:
    number: str
    name: str
    unit_code: str
    duties: str
    rank: str
    is_party_member: bool
    is_leader: bool
    phone: str
    id_number: str


def _party_words(row: UnitRow) -> tuple[str, str]:
    """(party committee, head of government) words for a territorial unit."""
    name = row.name
    if row.kind == UnitKind.PREFECTURE:
        return ("盟委", "盟长") if name.endswith("盟") else ("市委", "市长")
    if row.kind == UnitKind.COUNTY:
        for suffix in ("旗", "县", "区", "市"):
            if name.endswith(suffix):
                return f"{suffix}委", f"{suffix}长"
        return "党委", "主要负责人"
    if row.subkind == UnitSubkind.STREET:
        return "街道党工委", "街道办事处主任"
    if row.subkind == UnitSubkind.TOWN:
        return "镇党委", "镇长"
    if name.endswith("苏木"):
        return "苏木党委", "苏木达"
    if row.subkind == UnitSubkind.TOWNSHIP:
        return "乡党委", "乡长"
    return "党委", "主任"


def _head_title(name: str) -> str:
    for suffix, title in (
        ("局", "局长"),
        ("部", "部长"),
        ("院", "院长"),
        ("中学", "校长"),
        ("小学", "校长"),
        ("联合会", "主席"),
        ("总工会", "主席"),
        ("社", "社长"),
        ("台", "台长"),
        ("馆", "馆长"),
    ):
        if name.endswith(suffix):
            return title
    return "主任"


def duties_for(ctx: DemoContext, row: UnitRow) -> list[tuple[str, Rank, bool]]:
    """(duties, rank, leader?) of each cadre of the unit, leaders first."""
    rng = ctx.rng("roster", row.code)
    k = row.kind
    if k in (UnitKind.PREFECTURE, UnitKind.COUNTY):
        p, head = _party_words(row)
        rank = Rank.BUREAU if k == UnitKind.PREFECTURE else Rank.DIVISION
        titles = [f"{p}书记", f"{p}副书记、{head}", f"{p}副书记", f"{p}常委、常务副{head}"]
        titles += [f"{p}常委、组织部部长", f"{p}常委、宣传部部长", f"{p}常委、纪委书记、监委主任"]
        titles += [f"{p}常委、政法委书记", f"{p}常委、统战部部长", f"{p}常委、办公室主任"]
        titles += [f"副{head}"] * 3 + ["人大常委会主任", "政协主席"]
        return [(t, Rank(rank), True) for t in titles]
    if k == UnitKind.TOWNSHIP:
        p, head = _party_words(row)
        street = row.subkind == UnitSubkind.STREET
        deputy = "街道办事处副主任" if street else f"副{head}"
        titles = [f"{p}书记", f"{p}副书记、{head}", f"{p}副书记"]
        titles += ["人大工委主任" if street else "人大主席", "纪工委书记" if street else "纪委书记"]
        titles += ["组织委员", "宣传委员", "武装部长", deputy, deputy]
        out = [(t, Rank.SECTION, True) for t in titles]
        staff = (
            "党政综合办公室干部",
            "社会事务办公室干部",
            "经济发展办公室干部",
            "综治中心干部",
            "便民服务中心干部",
        )
        out += [(t, Rank.STAFF, False) for t in staff[: rng.randint(2, 5)]]
        return out
    if k == UnitKind.VILLAGE:
        if row.subkind == UnitSubkind.COMMUNITY:
            titles = [
                "社区党委书记、居委会主任",
                "社区居委会副主任",
                "社区党委委员",
                "社区居委会委员",
                "社区专职网格员",
            ]
        elif "嘎查" in row.name:
            titles = [
                "嘎查党支部书记、嘎查达",
                "嘎查达助理",
                "嘎查务监督委员会主任",
                "嘎查党支部委员",
                "嘎查妇联主席",
            ]
        else:
            titles = [
                "村党支部书记、村委会主任",
                "村委会副主任",
                "村务监督委员会主任",
                "村党支部委员",
                "村妇联主席",
            ]
        return [(t, Rank.NONE, i == 0) for i, t in enumerate(titles[: rng.randint(3, 5)])]
    if k == UnitKind.AGENCY:
        head = _head_title(row.name)
        prefecture_level = row.parent_code.endswith("00000000") and row.parent_code[4:6] == "00"
        top = Rank.DIVISION if prefecture_level else Rank.SECTION
        low = Rank.SECTION if prefecture_level else Rank.STAFF
        out = [(f"党组书记、{head}", top, True)]
        out += [(f"党组成员、副{head}", top, True) for _ in range(rng.randint(1, 3))]
        out += [("科员", low, False) for _ in range(rng.randint(2, 5))]
        return out
    if k == UnitKind.ENTERPRISE:
        return [("党支部书记", Rank.NONE, True), ("总经理", Rank.NONE, False)]
    if k == UnitKind.SOCIAL_ORG:
        return [("党支部书记", Rank.NONE, True), ("会长", Rank.NONE, False)]
    return []


def id_area(code: str) -> str:
    """The county code for an ID number: a unit's own county, or its parent's for other units."""
    area = code[:6]
    return area if area[4:6] != "00" else area[:4] + "02"


def roster(ctx: DemoContext, row: UnitRow) -> list[Cadre]:
    rng = ctx.rng("cadres", row.code)
    mongolian = 0.2 if any(w in row.name for w in ("盟", "旗", "苏木", "嘎查")) else 0.1
    out = []
    for i, (duty, rank, leader) in enumerate(duties_for(ctx, row), start=1):
        male = rng.random() < 0.7
        lo, hi = BIRTH_YEARS[Rank(rank)]
        party = leader or rank in (Rank.BUREAU, Rank.DIVISION, Rank.SECTION) or rng.random() < 0.6
        out.append(
            Cadre(
                number=f"{row.code}-{i:02d}",
                name=person_name(rng, mongolian, male),
                unit_code=row.code,
                duties=duty,
                rank=rank,
                is_party_member=party,
                is_leader=leader,
                phone=phone(rng),
                id_number=id_number(rng, id_area(row.code), rng.randint(lo, hi), male),
            )
        )
    return out
