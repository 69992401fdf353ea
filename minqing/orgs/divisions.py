"""The NBS 2023 statistical division codes shipped with Minqing (minqing/fixtures/divisions)."""

import csv
from collections.abc import Iterator
from pathlib import Path

from minqing.orgs.enums import LEVEL_KIND, default_party_category, subkind_from_code
from minqing.orgs.services.units import UnitRow

DIVISIONS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "divisions"
ULANQAB = DIVISIONS_DIR / "ulanqab_1509_nbs2023.csv"
XINGAN = DIVISIONS_DIR / "xingan_1522_nbs2023.csv"
INNER_MONGOLIA = DIVISIONS_DIR / "inner_mongolia_15_nbs2023.csv"

NBS_COLUMNS = ("code", "name", "level", "parent_code")


def nbs_unit_row(code: str, name: str, level: int, parent_code: str, row_number: int = 0) -> UnitRow:
    kind = LEVEL_KIND[level]
    subkind = subkind_from_code(code, kind)
    party = default_party_category(kind, subkind)
    return UnitRow(
        code=code,
        name=name,
        kind=kind,
        parent_code=parent_code if level > 1 else "",
        subkind=subkind,
        division_code=code,
        has_party_org=level >= 4,
        party_category=party if level >= 4 else "",
        row_number=row_number,
    )


def iter_nbs(path: Path) -> Iterator[UnitRow]:
    """Rows of a shipped NBS file (trusted data; user files go through the importer's checks)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            yield nbs_unit_row(rec["code"], rec["name"], int(rec["level"]), rec["parent_code"], i)


PROVINCE_ROW = nbs_unit_row("150000000000", "内蒙古自治区", 1, "")


# a village committee's name ends in its office: 白海子村委会, 红旗村村民委员会, 泉山社区居委会
COMMITTEE_ENDINGS = ("社区居民委员会", "居民委员会", "村民委员会", "居委会", "村委会", "委员会")


def short_name(name: str) -> str:
    """白海子村委会 -> 白海子村, 体育场社区居民委员会 -> 体育场社区, 黄花嘎查村民委员会 -> 黄花嘎查:
    the place without its committee (addresses, a bulletin's level word)."""
    for s in COMMITTEE_ENDINGS:
        if name.endswith(s) and len(name) > len(s):
            base = name[: -len(s)]
            if s == "社区居民委员会":
                return base + "社区"
            if s in ("村民委员会", "村委会") and not base.endswith(("村", "嘎查")):
                return base + "村"
            return base
    return name
