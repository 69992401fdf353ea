"""Where a resident's report is: the reads behind the online form's place picker (issue 14 part 1).

A cascade down the territorial tree, 旗县 → 乡镇街道 → 嘎查村社区, a search by name or code, and
the county holding a phone's location (the county boundaries shipped for the dashboard's map).
Every place is shown with its parents (``和平村民委员会 · 某某镇 · 某某旗``), since many share a
name. Only territorial units, and of them only code, name and parents' names: nothing here is
personal, and nothing writes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from minqing.orgs.enums import TERRITORIAL_KINDS, UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.selectors import unit_for_code, units_with_parents
from minqing.reports.dashboard.geo import county_at

SEARCH_LIMIT = 20
CODE_MAX = 32
QUERY_MAX = 50

# the cascade's levels: the form field, the unit kind, the label
LEVELS: tuple[tuple[str, str, Any], ...] = (
    ("county", UnitKind.COUNTY, _("旗县(市、区)")),
    ("township", UnitKind.TOWNSHIP, _("乡镇(苏木、街道)")),
    ("village", UnitKind.VILLAGE, _("嘎查村(社区)")),
)
LEVEL_FIELDS = tuple(field for field, _kind, _label in LEVELS)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    label: str  # the name with its parents' names

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "label": self.label}


@dataclass(frozen=True)
class Level:
    field: str  # the form field: county, township, village
    label: Any
    options: list[Place]
    selected: str  # a code, or ""

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": str(self.label),
            "selected": self.selected,
            "options": [p.as_json() for p in self.options],
        }


@dataclass(frozen=True)
class Cascade:
    chosen: Place | None  # the place the form would store
    levels: list[Level]

    def as_json(self) -> dict[str, Any]:
        return {
            "chosen": self.chosen.as_json() if self.chosen else None,
            "levels": [lv.as_json() for lv in self.levels],
        }


def _places(units: list[Unit], levels: int = 2) -> list[Place]:
    labels = units_with_parents(units, levels=levels)
    return [Place(u.code, u.name, label) for u, label in zip(units, labels, strict=True)]


def place(unit: Unit) -> Place:
    return _places([unit])[0]


def _territorial() -> Any:
    return Unit.objects.filter(kind__in=list(TERRITORIAL_KINDS))


def unit_by_code(code: str) -> Unit | None:
    """A territorial unit by its code, or by the short form of a division code (``150902`` is
    ``150902000000``), as everywhere in Minqing."""
    code = (code or "").strip()[:CODE_MAX]
    unit = unit_for_code(code) if code else None
    return unit if unit is not None and unit.kind in TERRITORIAL_KINDS else None


def search(q: str, limit: int = SEARCH_LIMIT) -> list[Place]:
    """Territorial units whose name contains ``q`` or whose code starts with it, in tree order."""
    q = (q or "").strip()[:QUERY_MAX]
    if not q:
        return []
    qs = _territorial().filter(name__contains=q) | _territorial().filter(code__startswith=q)
    return _places(list(qs.order_by("path").only("pk", "code", "name", "path", "depth")[:limit]))


def _children(parent: Unit, kind: str) -> list[Unit]:
    qs = Unit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, kind=kind)
    return list(qs.order_by("path").only("pk", "code", "name", "path", "depth"))


def cascade(unit: Unit | None) -> Cascade:
    """The three selects with ``unit`` chosen: every county; the townships of the chosen county;
    the villages of the chosen township (the next level's options when nothing below is chosen)."""
    chain: dict[str, Unit] = {}
    if unit is not None:
        above = Unit.objects.filter(path__in=unit.ancestry_paths).only(
            "pk", "code", "name", "path", "depth", "kind"
        )
        chain = {u.kind: u for u in above}
    levels = []
    parent: Unit | None = None
    for i, (field, kind, label) in enumerate(LEVELS):
        selected = chain.get(kind)
        if i == 0:
            units = list(
                Unit.objects.filter(kind=kind).order_by("path").only("pk", "code", "name", "path", "depth")
            )
            options = _places(units, levels=1)
        else:
            # under the level above's choice; a unit hung elsewhere still shows among its siblings
            holder = parent
            if holder is None and selected is not None:
                holder = Unit.objects.filter(path=selected.path[: -Unit.steplen]).first()
            depth = 2 if kind == UnitKind.VILLAGE else 1  # 和平村民委员会 · 某某镇 · 某某旗
            options = _places(_children(holder, kind), levels=depth) if holder is not None else []
        levels.append(Level(field, label, options, selected.code if selected else ""))
        parent = selected
    return Cascade(place(unit) if unit is not None else None, levels)


def cascade_choice(data: Mapping[str, Any]) -> Unit | None:
    """The deepest consistent choice of the three selects: a township counts only inside the
    chosen county, a village only inside the chosen township (a page without JavaScript keeps a
    lower select's old value when a higher one changes)."""
    chosen: Unit | None = None
    for field, kind, _label in LEVELS:
        code = str(data.get(field) or "").strip()[:CODE_MAX]
        if not code:
            break
        unit = Unit.objects.filter(code=code, kind=kind).first()
        if unit is None or (chosen is not None and not unit.path.startswith(chosen.path)):
            break
        chosen = unit
    return chosen


def county_of_point(lat: float, lon: float) -> Unit | None:
    """The county unit whose shipped boundary holds the point (None outside every shipped county,
    or when the tree has no unit for it)."""
    county = county_at(lon, lat)
    if county is None:
        return None
    return Unit.objects.filter(division_code=county.division_code, kind=UnitKind.COUNTY).first()
