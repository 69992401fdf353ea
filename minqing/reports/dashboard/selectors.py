"""The dashboard's reads: one unit's subtree, one period, optionally one campaign.

Every function takes the actor. A unit the actor may not see is a 404 exactly like a missing
one; the figures of a visible unit cover its whole subtree (scopes are subtrees, so a visible
unit's subtree is visible too).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minqing.activities.counting import TypeCount
from minqing.activities.models import Activity
from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns
from minqing.core.paths import prefix_q
from minqing.ledger.models import Problem
from minqing.orgs.actors import Actor
from minqing.orgs.enums import TERRITORIAL_KINDS, UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit, root_units, scoped
from minqing.orgs.selectors import default_unit, unit_by_code
from minqing.reports.dashboard.activities import (
    ActivityTotals,
    SeriesPoint,
    activities_by_type,
    activity_series,
    activity_totals_by_unit,
    totals,
)
from minqing.reports.dashboard.geo import MapSpec, map_for
from minqing.reports.dashboard.period import Period
from minqing.reports.dashboard.problems import (
    ProblemFigures,
    Satisfaction,
    problem_figures_by_unit,
    problem_figures_with_children,
    satisfaction,
)
from minqing.reports.dashboard.programmes import ProgrammeBlock, programme_blocks

CHILD_LIMIT = 200
PICKER_LIMIT = 300


@dataclass(frozen=True)
class MapMetric:
    key: str
    label: "str | Promise"


# the figures a child unit's row and a county on the map carry; the first is the map's default
MAP_METRICS = (
    MapMetric("problems", _("问题数")),
    MapMetric("resolved", _("已办结问题")),
    MapMetric("overdue", _("逾期问题")),
    MapMetric("sessions", _("活动次/场")),
    MapMetric("person_times", _("参加人次")),
)
MAP_METRIC_KEYS = tuple(m.key for m in MAP_METRICS)


AREA_KINDS = frozenset((*TERRITORIAL_KINDS, UnitKind.GRID))


@dataclass
class UnitRow:
    unit: Unit
    problems: ProblemFigures
    activities: ActivityTotals

    @property
    def territorial(self) -> bool:
        """An area (county, township, village, grid), not an agency, enterprise or organisation."""
        return self.unit.kind in AREA_KINDS

    def values(self) -> dict[str, int]:
        return {
            "problems": self.problems.total,
            "resolved": self.problems.resolved,
            "overdue": self.problems.overdue,
            "sessions": self.activities.sessions,
            "person_times": self.activities.person_times,
        }


@dataclass
class MapAreaRow:
    name: str
    code: str
    unit: Unit | None
    values: dict[str, int] | None  # None: outside the unit's subtree (drawn grey, no figures)
    current: bool  # the county that holds the dashboard's unit (its figures are the unit's)
    link: bool  # drill down to the county's dashboard

    @property
    def value_list(self) -> list[tuple[str, int]]:
        """The figures in the order of ``MAP_METRICS`` (the table's columns)."""
        return [(k, self.values[k]) for k in MAP_METRIC_KEYS] if self.values is not None else []


@dataclass
class MapData:
    files: list[str]  # static names of the GeoJSON files
    areas: list[MapAreaRow]


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    campaign: Campaign | None
    problems: ProblemFigures
    types: list[TypeCount]
    activity_totals: ActivityTotals
    series: list[SeriesPoint]
    programmes: list[ProgrammeBlock]
    programmes_more: bool
    children: list[UnitRow]  # areas first, then agencies, enterprises and organisations
    children_more: bool
    map: MapData | None
    ancestors: list[Unit] = field(default_factory=list)  # those the actor may see, top first
    satisfaction: Satisfaction = field(default_factory=Satisfaction)  # 满意率 (回访 and reporters' ratings)
    # with no problem and no activity in the period: the subtree's first and last record days
    records: "RecordSpan | None" = None

    @property
    def all_zero(self) -> bool:
        """No problem and no activity in the period (programme progress is cumulative, apart)."""
        return (
            self.problems.total == 0
            and self.activity_totals.sessions == 0
            and self.activity_totals.person_times == 0
        )

    @property
    def mixed_children(self) -> bool:
        """Both areas and agencies (or enterprises, organisations) among the child units."""
        return len({r.territorial for r in self.children}) == 2


@dataclass(frozen=True)
class RecordSpan:
    """The first and last days of a subtree's problems and activities (``None``: it has none)."""

    first: dt.date | None
    last: dt.date | None

    @property
    def empty(self) -> bool:
        return self.first is None


def records_span(actor: Actor, unit: Unit) -> RecordSpan:
    """When ``unit``'s subtree has records at all: two MIN/MAX queries on indexed columns."""
    days: list[dt.date] = []
    for qs, column in (
        (Problem.objects.filter(prefix_q(unit.path)), "registered_at"),
        (Activity.objects.filter(prefix_q(unit.path)), "start"),
    ):
        span = scoped(qs, actor).aggregate(first=Min(column), last=Max(column))
        days += [timezone.localtime(v).date() for v in (span["first"], span["last"]) if v is not None]
    return RecordSpan(min(days), max(days)) if days else RecordSpan(None, None)


# --- the unit -------------------------------------------------------------------------------


def dashboard_unit(actor: Actor, code: str) -> Unit:
    """The unit ``code`` names (code, short code or name; blank: the actor's first unit); 404
    when missing or out of scope. The page itself reads ``orgs.unit_filters.request_unit``."""
    unit = unit_by_code(actor, code) if code.strip() else default_unit(actor)
    if unit is None:
        raise Http404
    return unit


def visible_ancestors(actor: Actor, unit: Unit) -> list[Unit]:
    step = Unit.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path), step)]
    return [u for u in Unit.objects.filter(path__in=paths).order_by("path") if can_access_unit(actor, u)]


def children_of(actor: Actor, unit: Unit, limit: int = CHILD_LIMIT) -> tuple[list[Unit], bool]:
    qs = scoped(Unit.objects.filter(prefix_q(unit.path), depth=unit.depth + 1), actor).order_by("path")
    units = list(qs[: limit + 1])
    return units[:limit], len(units) > limit


def unit_choices(actor: Actor, unit: Unit) -> list[tuple[Unit, str]]:
    """The picker: the top units of the actor's scope, the unit's visible ancestors, the unit and
    its children, in tree order, each with its indent (a full-width space per level)."""
    units = {u.pk: u for u in root_units(actor)[:PICKER_LIMIT]}
    units |= {u.pk: u for u in visible_ancestors(actor, unit)}
    units[unit.pk] = unit
    units |= {u.pk: u for u in children_of(actor, unit, PICKER_LIMIT)[0]}
    ordered = sorted(units.values(), key=lambda u: u.path)
    top = min((u.depth for u in ordered), default=1)
    return [(u, "\u3000" * (u.depth - top)) for u in ordered]


def dashboard_campaigns(actor: Actor) -> list[Campaign]:
    return list(visible_campaigns(actor))


def dashboard_campaign(actor: Actor, value: Any) -> Campaign | None:
    """The campaign of id ``value`` if the actor may see it; else None (all campaigns)."""
    return campaign_by_id(actor, value)


# --- the figures ----------------------------------------------------------------------------


def unit_rows(actor: Actor, units: list[Unit], period: Period, campaign: Campaign | None) -> list[UnitRow]:
    problems = problem_figures_by_unit(actor, units, period, campaign)
    acts = activity_totals_by_unit(actor, units, period, campaign)
    return [UnitRow(u, problems[u.pk], acts[u.pk]) for u in units]


def _map_data(
    actor: Actor,
    spec: MapSpec,
    own: UnitRow,
    children: list[UnitRow],
    period: Period,
    campaign: Campaign | None,
) -> MapData:
    known = {r.unit.pk: r for r in children}
    inside = [a.unit for a in spec.areas if a.relation == "inside" and a.unit is not None]
    missing = [u for u in inside if u.pk not in known]
    if missing:
        known |= {r.unit.pk: r for r in unit_rows(actor, missing, period, campaign)}
    areas = []
    for a in spec.areas:
        values = None
        if a.relation == "inside" and a.unit is not None:
            values = known[a.unit.pk].values()
        elif a.relation == "holds":
            values = own.values()
        link = a.relation == "inside" and a.unit is not None and a.unit.pk != own.unit.pk
        areas.append(MapAreaRow(a.county.name, a.county.code, a.unit, values, a.relation == "holds", link))
    return MapData([f.static for f in spec.files], areas)


def dashboard(actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None) -> Dashboard:
    """Every figure of the page for ``unit``'s subtree in ``period``."""
    if not can_access_unit(actor, unit):
        raise Http404
    child_units, more = children_of(actor, unit)
    problems, child_problems = problem_figures_with_children(actor, unit, child_units, period, campaign)
    types = activities_by_type(actor, unit, period, campaign)
    own = UnitRow(unit, problems, totals(types))
    acts = activity_totals_by_unit(actor, child_units, period, campaign)
    rows = [UnitRow(u, child_problems[u.pk], acts[u.pk]) for u in child_units if u.pk in child_problems]
    children = sorted(rows, key=lambda r: not r.territorial)
    spec = map_for(unit)
    blocks, blocks_more = programme_blocks(actor, unit, period, campaign)
    board = Dashboard(
        unit=unit,
        period=period,
        campaign=campaign,
        problems=problems,
        types=types,
        activity_totals=own.activities,
        series=activity_series(actor, unit, period, campaign),
        programmes=blocks,
        programmes_more=blocks_more,
        children=children,
        children_more=more,
        map=_map_data(actor, spec, own, children, period, campaign) if spec is not None else None,
        ancestors=visible_ancestors(actor, unit),
        satisfaction=satisfaction(actor, unit, period, campaign),
    )
    if board.all_zero:
        board.records = records_span(actor, unit)
    return board
