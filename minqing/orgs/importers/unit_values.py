"""The words a unit file may use: categories (类别), yes/no, party categories, and the NBS code rules."""

import re

from minqing.core.importing.values import Choices, normalize
from minqing.orgs.enums import LEVEL_KIND, TERRITORIAL_KINDS, PartyCategory, UnitKind, UnitSubkind

K = UnitKind
KIND_WORDS: dict[str, tuple[str, str | None]] = {
    # word -> (kind, grid subkind; None = take it from the parent village or community)
    **{w: (K.PROVINCE, "") for w in ("省", "自治区", "省级", "直辖市")},
    **{w: (K.PREFECTURE, "") for w in ("市", "盟", "地级", "地级市", "地区", "自治州")},
    **{
        w: (K.COUNTY, "")
        for w in ("县", "旗", "区", "县级市", "旗县市区", "县级", "自治旗", "自治县", "市辖区")
    },
    **{w: (K.TOWNSHIP, "") for w in ("镇", "乡", "苏木", "街道", "乡级", "乡/苏木", "其他乡级单位")},
    **{
        w: (K.VILLAGE, "")
        for w in ("村", "嘎查", "社区", "村级", "村/嘎查", "其他村级单位", "居委会", "村委会")
    },
    "网格": (K.GRID, None),
    "村民小组": (K.GRID, UnitSubkind.VILLAGER_GROUP),
    "社区网格": (K.GRID, UnitSubkind.COMMUNITY_GRID),
    **{w: (K.AGENCY, "") for w in ("机关", "机关事业单位", "部门", "事业单位", "机关单位")},
    **{w: (K.ENTERPRISE, "") for w in ("企业", "园区")},
    "社会组织": (K.SOCIAL_ORG, ""),
    "其他": (K.OTHER, ""),
}

UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
DIVISION_CODE_RE = re.compile(r"^\d{12}$")
NAME_MAX = 100


KINDS = Choices(UnitKind.choices)
PARTY_CATEGORIES = Choices([c for c in PartyCategory.choices if c[0]])


def parse_kind(word: str) -> tuple[str, str | None] | None:
    """(kind, grid subkind or None to infer) for a 类别 word, an English value or a kind's label."""
    found = KIND_WORDS.get(normalize(word))
    if found is not None:
        return found
    value = KINDS.parse(word)
    if value is None:
        return None
    if value == K.GRID:
        return value, None
    return value, ""


def parse_party_category(word: str) -> str | None:
    return PARTY_CATEGORIES.parse(word)


def kind_label(kind: str) -> str:
    return str(UnitKind(kind).label) if kind in UnitKind.values else kind


def is_territorial(kind: str) -> bool:
    return kind in TERRITORIAL_KINDS


def code_level(code: str) -> int:
    """NBS level (1 province .. 5 village) of a 12-digit code, from its trailing zeros."""
    if code[2:] == "0" * 10:
        return 1
    if code[4:] == "0" * 8:
        return 2
    if code[6:] == "0" * 6:
        return 3
    if code[9:] == "000":
        return 4
    return 5


def level_of_kind(kind: str) -> int:
    return next(level for level, k in LEVEL_KIND.items() if k == kind)


def nbs_parent(code: str) -> str:
    """The code of the NBS parent ("" for a province)."""
    keep = {1: 0, 2: 2, 3: 4, 4: 6, 5: 9}[code_level(code)]
    return "" if keep == 0 else code[:keep].ljust(12, "0")


def grid_subkind(parent_subkind: str) -> str:
    if parent_subkind == UnitSubkind.COMMUNITY:
        return UnitSubkind.COMMUNITY_GRID
    if parent_subkind in (UnitSubkind.VILLAGE, UnitSubkind.VILLAGE_OTHER):
        return UnitSubkind.VILLAGER_GROUP
    return ""
