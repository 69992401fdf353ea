"""``suggest_units``: the responsible unit suggested from the text, the chosen place and past routing.

A gazetteer built from the unit tree maps every name, short name and common short form
(``aliases``) to the units that bear it. A text is scanned left to right; at each character the
lengths of the names starting with its two characters (a dict by those two, longest first) are
tried as dict lookups and the longest match wins, so 和平街道 is found and not 和平. A name
borne by several units (there are many 新华社区 and 东胜利村) is resolved among those in the
clerk's scope, by closeness in the tree to the submitter's chosen place and to the other units
named in the text.

The gazetteer is built once per process, rebuilt when a unit is saved or deleted in this process
(signals), when the units' count or highest id changed (checked at most every
``NLP_GAZETTEER_CHECK`` seconds, default 10: another worker, a bulk import) and, for renames made
elsewhere, when it is older than ``NLP_GAZETTEER_TTL`` seconds (default 600). See docs/nlp.md.
"""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.divisions import short_name
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes

# a name's level word -> other ways people write it (after the base name)
LEVEL_FORMS: dict[str, tuple[str, ...]] = {
    "街道办事处": ("街道", "街道办"),
    "街道": ("街道办", "街道办事处"),
    "社区": ("居委会", "社区居委会"),
    "嘎查": ("嘎查村", "村"),
    "村": ("村委会",),
    "苏木": ("苏木乡",),
    "镇": ("镇政府",),
    "乡": ("乡政府",),
}
# the base alone (和平 for 和平街道) only when it is at least this long: a two-character base is
# too common a word (新华, 光明) to mean the unit by itself
MIN_BARE_BASE = 3
# a county's or prefecture's base is used alone from two characters: 卓资, 集宁, 乌兰察布
BARE_BASE_KINDS = (UnitKind.PREFECTURE, UnitKind.COUNTY)
COUNTY_LEVEL_SUFFIXES = ("自治旗", "自治县", "市", "县", "区", "旗", "盟")
# banners (旗) are written short: the first character of the name, the wing and the position
# (察哈尔右翼前旗 -> 察右前旗, 土默特左旗 -> 土左旗); a few by custom (达尔罕茂明安联合旗 -> 达茂旗)
BANNER_WING = re.compile(r"^(?P<head>.)[^左右]+(?P<wing>[左右])翼(?P<pos>[前中后])旗$")
BANNER_SIDE = re.compile(r"^(?P<head>.)\w+?(?P<pos>[左右前中后])旗$")
BANNER_CUSTOM: dict[str, tuple[str, ...]] = {
    "达尔罕茂明安联合旗": ("达茂旗", "达茂"),
    "莫力达瓦达斡尔族自治旗": ("莫旗",),
    "鄂温克族自治旗": ("鄂温克旗",),
    "鄂伦春自治旗": ("鄂伦春旗",),
    "东乌珠穆沁旗": ("东乌旗",),
    "西乌珠穆沁旗": ("西乌旗",),
    "阿鲁科尔沁旗": ("阿旗",),
    "伊金霍洛旗": ("伊旗",),
    "准格尔旗": ("准旗",),
    "达拉特旗": ("达旗",),
    "克什克腾旗": ("克旗",),
    "四子王旗": ("四子王",),
    "杭锦后旗": ("杭后",),
}
# kinds worth naming in a complaint: the territorial units and the agencies
GAZETTEER_KINDS = (
    UnitKind.PREFECTURE,
    UnitKind.COUNTY,
    UnitKind.TOWNSHIP,
    UnitKind.VILLAGE,
    UnitKind.AGENCY,
)


def aliases(name: str, kind: str = "") -> set[str]:
    """The ways a unit's name is written: 体育场社区居民委员会 -> 体育场社区, 体育场居委会, …"""
    out = {name}
    short = short_name(name)
    if short != name and name.endswith("居民委员会") and not short.endswith("社区"):
        short = short + "社区"  # 新华居民委员会 is the 新华社区
    out.add(short)
    for level, forms in LEVEL_FORMS.items():
        if short.endswith(level) and len(short) > len(level):
            base = short[: -len(level)]
            out.update(base + f for f in forms)
            out.add(base + level)
            if len(base) >= MIN_BARE_BASE:
                out.add(base)
            break
    if kind in BARE_BASE_KINDS:
        out.update(banner_forms(name))
        for suffix in COUNTY_LEVEL_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.add(name[: -len(suffix)])
                break
    return {a for a in out if len(a) >= 2}


def banner_forms(name: str) -> set[str]:
    """The short forms of a banner's name: 察哈尔右翼前旗 -> 察右前旗, 察右前; 乌拉特前旗 -> 乌前旗."""
    out = set(BANNER_CUSTOM.get(name, ()))
    wing = BANNER_WING.match(name)
    if wing:
        short = wing["head"] + wing["wing"] + wing["pos"]
        return out | {short + "旗", short}
    side = BANNER_SIDE.match(name)
    if side and len(name) >= 4:  # 土默特左旗, 巴林左旗; not 镶黄旗 (no position in the name)
        out.add(side["head"] + side["pos"] + "旗")
    return out


@dataclass(frozen=True)
class Entry:
    pk: int
    path: str
    name: str
    code: str


@dataclass
class Gazetteer:
    # the first two characters of a name -> the lengths of the names starting with them, longest first
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    units: dict[str, list[Entry]] = field(default_factory=dict)  # name -> units bearing it
    built_at: float = 0.0
    checked_at: float = 0.0
    stamp: tuple[int, int] = (0, 0)

    @classmethod
    def build(cls, rows: list[tuple[int, str, str, str, str]]) -> "Gazetteer":
        """From (pk, path, name, code, kind) rows."""
        now = time.monotonic()
        g = cls(built_at=now, checked_at=now)
        for pk, path, name, code, kind in rows:
            entry = Entry(pk, path, name, code)
            for alias in aliases(name, kind):
                g.units.setdefault(alias, []).append(entry)
        by_prefix: dict[str, set[int]] = {}
        for alias in g.units:
            by_prefix.setdefault(alias[:2], set()).add(len(alias))
        g.lengths = {k: tuple(sorted(v, reverse=True)) for k, v in by_prefix.items()}
        return g

    def find(self, text: str) -> list[tuple[str, int]]:
        """The names in ``text`` (leftmost longest, not overlapping), with their positions."""
        found: list[tuple[str, int]] = []
        units, lengths = self.units, self.lengths
        i, n = 0, len(text)
        while i < n - 1:
            for length in lengths.get(text[i : i + 2], ()):
                name = text[i : i + length]
                if name in units:
                    found.append((name, i))
                    i += length
                    break
            else:
                i += 1
        return found


_lock = threading.Lock()
_state: dict[str, Gazetteer | None] = {"g": None}


def invalidate(**_: object) -> None:
    """Drop this process's gazetteer (a unit was saved or deleted)."""
    _state["g"] = None


post_save.connect(invalidate, sender=Unit, dispatch_uid="nlp_gazetteer_save")
post_delete.connect(invalidate, sender=Unit, dispatch_uid="nlp_gazetteer_delete")


def _stamp() -> tuple[int, int]:
    """How many units there are and the highest id: changes when units are added or deleted, also
    in bulk (imports use bulk_create, which sends no signal)."""
    agg = Unit.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return int(agg["n"] or 0), int(agg["m"] or 0)


def gazetteer() -> Gazetteer:
    """This process's gazetteer, built on first use and rebuilt when stale: dropped by a signal,
    older than ``NLP_GAZETTEER_TTL`` seconds, or the units' count or highest id changed (checked at
    most every ``NLP_GAZETTEER_CHECK`` seconds)."""
    ttl = float(getattr(settings, "NLP_GAZETTEER_TTL", 600))
    every = float(getattr(settings, "NLP_GAZETTEER_CHECK", 10))
    now = time.monotonic()
    g = _state["g"]
    if g is not None and now - g.built_at < ttl:
        if now - g.checked_at < every:
            return g
        stamp = _stamp()
        g.checked_at = now
        if stamp == g.stamp:
            return g
    with _lock:
        stamp = _stamp()
        rows = Unit.objects.filter(kind__in=list(GAZETTEER_KINDS)).values_list(
            "pk", "path", "name", "code", "kind"
        )
        g = Gazetteer.build(list(rows))
        g.stamp = stamp
        _state["g"] = g
        return g


def _common(a: str, b: str) -> int:
    """How many path steps two units share (their closeness in the tree)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n // Unit.steplen


@dataclass(frozen=True)
class UnitSuggestion:
    unit_id: int
    code: str
    name: str
    score: float
    reasons: tuple[str, ...]


@dataclass
class _Candidate:
    entry: Entry
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _resolve(options: list[Entry], context: list[str], scope: list[str]) -> Entry | None:
    """The one of several same-named units meant: only those in the clerk's scope count (the others
    could not be chosen); of several, the one closest in the tree to the context paths (the chosen
    place, the other units named); a tie is left unresolved."""
    options = [e for e in options if any(e.path.startswith(s) for s in scope)]
    if len(options) <= 1:
        return options[0] if options else None
    if not context:
        return None
    ranked = sorted(options, key=lambda e: max(_common(e.path, c) for c in context), reverse=True)
    best = max(_common(ranked[0].path, c) for c in context)
    second = max(_common(ranked[1].path, c) for c in context)
    return ranked[0] if best > second else None


def _county_path(path: str) -> str:
    """The path of the county (depth 3) above or at a unit; shorter paths are returned as is."""
    return path[: 3 * Unit.steplen]


def _routing(category_id: int, county_path: str, k: int) -> list[tuple[int, int]]:
    """(responsible unit, problems) most often assigned for this category (and its subcategories)
    in the county."""
    from minqing.ledger.models import Problem

    cat = Q(category_id=category_id) | Q(category__parent_id=category_id)
    cat |= Q(category__parent__parent_id=category_id)
    rows = (
        Problem.objects.filter(cat, path__startswith=county_path, responsible_unit__isnull=False)
        .values("responsible_unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "responsible_unit")[:k]
    )
    return [(r["responsible_unit"], r["n"]) for r in rows]


def _scope_paths(actor: Actor) -> list[str]:
    """The tops of the actor's intake scope ("" for everywhere)."""
    prefixes = actor_prefixes(actor, policy.INTAKE)
    return [""] if prefixes is None else prefixes


def suggest_units(
    actor: Actor,
    text: str,
    place_unit: Unit | None = None,
    category: int | None = None,
    k: int = 3,
) -> list[UnitSuggestion]:
    """The ``k`` units most likely to be the one the message is about (and to handle it), best first,
    each with its reasons. Only units the actor may register for are suggested."""
    g = gazetteer()
    found = g.find(text)
    candidates: dict[int, _Candidate] = {}

    def add(entry: Entry, score: float, reason: str) -> None:
        c = candidates.setdefault(entry.pk, _Candidate(entry))
        c.score += score
        if reason not in c.reasons:
            c.reasons.append(reason)

    context = [place_unit.path] if place_unit is not None else []
    unique = [g.units[name][0].path for name, _pos in found if len(g.units[name]) == 1]
    scope = _scope_paths(actor)
    for order, (name, _pos) in enumerate(found):
        entry = _resolve(g.units[name], context + unique, scope)
        if entry is None:
            continue
        # deeper units are more specific; earlier mentions weigh a little more
        depth = len(entry.path) // Unit.steplen
        add(entry, 3.0 + 0.1 * depth - 0.01 * order, _("文中提到 {name}").format(name=name))
    if place_unit is not None:
        entry = Entry(place_unit.pk, place_unit.path, place_unit.name, place_unit.code)
        add(entry, 2.0, _("反映人选择的地点 {name}").format(name=place_unit.name))
    county = ""
    if place_unit is not None:
        county = _county_path(place_unit.path)
    elif candidates:
        county = _county_path(max(candidates.values(), key=lambda c: c.score).entry.path)
    elif len(scope) == 1:  # nothing named: the clerk's own county, if the scope is in one
        county = _county_path(scope[0])
    if category is not None and len(county) == 3 * Unit.steplen:
        routed = _routing(category, county, k)
        total = sum(n for _u, n in routed) or 1
        units = Unit.objects.in_bulk([u for u, _n in routed])
        for pk, n in routed:
            u = units[pk]
            add(
                Entry(u.pk, u.path, u.name, u.code),
                1.0 + n / total,
                _("以往同类问题多交办给 {name}({n} 件)").format(name=u.name, n=n),
            )
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, c.entry.path))
    out: list[UnitSuggestion] = []
    for c in ranked:
        if not policy.has_role(actor, policy.INTAKE, c.entry.path):
            continue
        out.append(
            UnitSuggestion(c.entry.pk, c.entry.code, c.entry.name, round(c.score, 3), tuple(c.reasons))
        )
        if len(out) >= k:
            break
    return out


def mentioned(text: str) -> Counter[str]:
    """The gazetteer names found in ``text`` and how often (for tests and the benchmark)."""
    return Counter(name for name, _pos in gazetteer().find(text))
