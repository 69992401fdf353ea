"""How a bulletin names the area it covers: 全旗, 全县, 全区, 全市 ... by the unit's kind and name.

Two facts of a template (``minqing.reports.bulletins.templating.FACTS``):

- ``{level}``: the one word of the unit's administrative level, from its name's suffix and its
  kind (科尔沁右翼前旗 → 旗, 化德县 → 县, 集宁区 → 区, 乌兰浩特市 → 市, 兴安盟 → 盟,
  内蒙古自治区 → 区, 白海子镇 → 镇, 红旗村 → 村); the seeded templates write 市委 and 市直 as
  ``{level}委`` and ``{level}直``. A unit that is not an administrative division (an agency, an
  enterprise ...) takes the level of the nearest division above it.
- ``{whole}``: 全 and the level (全旗); for a unit that is not a division, 本单位 (its figures
  cover its own subtree, not the whole area above it).
"""

from minqing.orgs.divisions import short_name
from minqing.orgs.enums import TERRITORIAL_KINDS, UnitKind
from minqing.orgs.models import Unit

# per kind, (name suffix, level word) tried in order; then the kind's usual word
SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    UnitKind.PROVINCE: (("自治区", "区"), ("省", "省"), ("市", "市")),
    UnitKind.PREFECTURE: (("盟", "盟"), ("自治州", "州"), ("地区", "地区"), ("市", "市")),
    UnitKind.COUNTY: (("旗", "旗"), ("县", "县"), ("区", "区"), ("市", "市")),
    UnitKind.TOWNSHIP: (
        ("街道", "街道"),
        ("街道办事处", "街道"),
        ("镇", "镇"),
        ("苏木", "苏木"),
        ("乡", "乡"),
    ),
    UnitKind.VILLAGE: (("社区", "社区"), ("嘎查", "嘎查"), ("村", "村")),
}
USUAL: dict[str, str] = {
    UnitKind.PROVINCE: "省",
    UnitKind.PREFECTURE: "市",
    UnitKind.COUNTY: "县",
    UnitKind.TOWNSHIP: "乡",
    UnitKind.VILLAGE: "村",
}


def _division_level(unit: Unit) -> str:
    name = short_name(unit.name.strip())  # 红旗村村民委员会 -> 红旗村
    for suffix, word in SUFFIXES.get(unit.kind, ()):
        if name.endswith(suffix):
            return word
    return USUAL.get(unit.kind, "")


def level_word(unit: Unit) -> str:
    """旗, 县, 区, 市 ... (see the module)."""
    if unit.kind in TERRITORIAL_KINDS:
        return _division_level(unit)
    # the unit itself is no division: its own path in the list matches nothing
    nearest = (
        Unit.objects.filter(path__in=unit.ancestry_paths, kind__in=TERRITORIAL_KINDS)
        .order_by("-path")
        .first()
    )
    return _division_level(nearest) if nearest is not None else ""


def whole_word(unit: Unit) -> str:
    """全旗, 全县, 全区, 全市 ...; 本单位 for a unit that is not an administrative division."""
    if unit.kind not in TERRITORIAL_KINDS:
        return "本单位"
    return "全" + _division_level(unit)
