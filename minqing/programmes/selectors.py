"""Reads of programmes: every function takes the actor and is scoped to the actor's subtrees.

A programme is visible to whoever may see its owner unit, and to the staff of units inside it
(a township reports into the city's programme and sees its own subtree's figures). Figures are
always for one unit's subtree that the actor may see; a unit, programme or target out of scope is
a 404, exactly like a missing one. The rollup rules are in ``models`` and ``rollup``.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from minqing.core.paths import any_prefix_q, prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, can_access_unit, scoped
from minqing.programmes.models import Programme, ProgressReport, ShareBasis, Target, TargetPlan
from minqing.programmes.rollup import (
    ZERO,
    Figures,
    PlanRow,
    PlanTree,
    Point,
    latest_as_of,
    leaf_most,
    own_plans,
    progress_of,
)

STEP = Unit.steplen
MAX_POINTS = 60  # points of a progress chart; beyond that, the last report date of each month


# --- programmes and units --------------------------------------------------------------------


def _ancestor_paths(paths: list[str]) -> set[str]:
    return {p[:i] for p in paths for i in range(STEP, len(p) + 1, STEP)}


def visible_programmes(actor: Actor) -> QuerySet[Programme]:
    """Programmes owned in the actor's subtrees or by a unit above the actor's units."""
    prefixes = actor_prefixes(actor)
    qs = Programme.objects.select_related("owner", "campaign")
    if prefixes is None:
        return qs
    return qs.filter(any_prefix_q(prefixes) | Q(path__in=_ancestor_paths(prefixes)))


def programme_list(actor: Actor, q: str = "") -> QuerySet[Programme]:
    qs = visible_programmes(actor).annotate(target_count=Count("targets"))
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("-start_date", "name")


def programme_get(actor: Actor, pk: Any) -> Programme:
    if not str(pk).isdigit():
        raise Http404
    programme = visible_programmes(actor).filter(pk=int(pk)).first()
    if programme is None:
        raise Http404
    return programme


def targets(programme: Programme) -> list[Target]:
    return list(programme.targets.order_by("position", "pk"))


def target_get(actor: Actor, programme: Programme, key: str) -> Target:
    target = programme.targets.filter(key=key).first()
    if target is None:
        raise Http404
    target.programme = programme
    return target


def entry_units(actor: Actor, programme: Programme) -> list[Unit]:
    """Where the actor's view of the programme starts: the owner unit, or the actor's own units
    inside the programme."""
    if can_access_unit(actor, programme.owner):
        return [programme.owner]
    prefixes = actor_prefixes(actor) or []
    paths = [p for p in prefixes if p.startswith(programme.path)]
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def default_unit(actor: Actor, programme: Programme) -> Unit | None:
    units = entry_units(actor, programme)
    return units[0] if units else None


def unit_in_programme(actor: Actor, programme: Programme, code: str) -> Unit | None:
    """The unit of ``code`` when the actor may see it and it lies in the programme's subtree."""
    code = code.strip()
    if not code:
        return None
    unit = scoped(Unit.objects.filter(code=code), actor).first()
    if unit is None or not unit.path.startswith(programme.path):
        return None
    return unit


def unit_or_404(actor: Actor, programme: Programme, code: str) -> Unit:
    """``code`` (blank: the default unit) in scope and in the programme, else 404."""
    unit = unit_in_programme(actor, programme, code) if code else default_unit(actor, programme)
    if unit is None:
        raise Http404
    return unit


def _require(actor: Actor, programme: Programme, unit: Unit) -> None:
    if not can_access_unit(actor, unit) or not unit.path.startswith(programme.path):
        raise Http404


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    date: dt.date
    in_progress: Decimal
    completed: Decimal


@dataclass
class TargetProgress:
    target: Target
    total: Figures
    modes: list[tuple[str, Figures]] = field(default_factory=list)
    children: list[tuple[Unit, Figures]] = field(default_factory=list)
    own: Figures | None = None  # the unit's own report, counted because nothing below it reported
    series: list[SeriesPoint] = field(default_factory=list)

    @property
    def completed_only(self) -> bool:
        return self.target.share_basis == ShareBasis.COMPLETED


@dataclass
class ProgrammeProgress:
    programme: Programme
    unit: Unit
    as_of: dt.date
    targets: list[TargetProgress]
    children: list[Unit]

    @property
    def funds(self) -> Decimal:
        return sum((t.total.funds for t in self.targets), ZERO)


def _points(programme: Programme, unit: Unit, as_of: dt.date) -> dict[int, list[Point]]:
    qs = ProgressReport.objects.filter(prefix_q(unit.path), target__programme=programme, date__lte=as_of)
    out: dict[int, list[Point]] = defaultdict(list)
    fields = ("target_id", "path", "mode", "date", "in_progress", "completed", "funds")
    for tid, path, mode, date, ip, done, funds in qs.values_list(*fields).order_by("date", "pk"):
        out[tid].append(Point(path, mode, date, ip, done, funds))
    return out


def _plan_rows(programme: Programme, unit: Unit) -> dict[int, list[PlanRow]]:
    qs = TargetPlan.objects.filter(prefix_q(unit.path), target__programme=programme)
    out: dict[int, list[PlanRow]] = defaultdict(list)
    for tid, path, mode, qty in qs.values_list("target_id", "path", "mode", "quantity"):
        out[tid].append(PlanRow(path, mode, qty))
    return out


def _series(points: list[Point], prefix: str) -> list[SeriesPoint]:
    dates = sorted({p.date for p in points})
    if len(dates) > MAX_POINTS:
        by_month = {(d.year, d.month): d for d in dates}
        dates = sorted(by_month.values())[-MAX_POINTS:]
    out = []
    for d in dates:
        ip, done, _funds = progress_of(leaf_most(latest_as_of(points, d)), prefix)
        out.append(SeriesPoint(d, ip, done))
    return out


def _figures(plan: Decimal | None, progress: tuple[Decimal, Decimal, Decimal], only: bool) -> Figures:
    ip, done, funds = progress
    return Figures(plan=plan, in_progress=ip, completed=done, funds=funds, completed_only=only)


def programme_progress(
    actor: Actor,
    programme: Programme,
    unit: Unit,
    as_of: dt.date,
    *,
    series: bool = True,
    drill: bool = True,
) -> ProgrammeProgress:
    """Per target: plan, in progress, completed, funds and shares of ``unit``'s subtree as of
    ``as_of``; per mode; per child unit (the drill-down, unless ``drill`` is false: a bulletin
    needs the subtree's totals only); and progress over time."""
    _require(actor, programme, unit)
    points = _points(programme, unit, as_of)
    plans = _plan_rows(programme, unit)
    prefix = unit.path
    paths = [p.path for pts in points.values() for p in pts] + [r.path for rs in plans.values() for r in rs]
    child_paths = {p[: len(prefix) + STEP] for p in paths if len(p) > len(prefix)} if drill else set()
    children = sorted(Unit.objects.filter(path__in=child_paths), key=lambda u: (u.code, u.path))
    out: list[TargetProgress] = []
    owner_path = programme.path if programme.path.startswith(prefix) else None
    for target in targets(programme):
        target.programme = programme
        only = target.share_basis == ShareBasis.COMPLETED
        rows = plans.get(target.pk, [])
        tree = PlanTree(own_plans(rows, mode=None, owner_path=owner_path, target_plan=target.plan_quantity))
        pts = points.get(target.pk, [])
        leaf = leaf_most(latest_as_of(pts, as_of))
        tp = TargetProgress(target, _figures(tree.plan_of(prefix), progress_of(leaf, prefix), only))
        for mode in target.modes:
            mode_tree = PlanTree(own_plans(rows, mode=mode))
            tp.modes.append(
                (mode, _figures(mode_tree.plan_of(prefix), progress_of(leaf, prefix, mode=mode), only))
            )
        tp.children = [(c, _figures(tree.plan_of(c.path), progress_of(leaf, c.path), only)) for c in children]
        if any(p.path == prefix for p in leaf):
            tp.own = _figures(None, progress_of(leaf, prefix, exact=True), only)
        if series:
            tp.series = _series(pts, prefix)
        out.append(tp)
    return ProgrammeProgress(programme, unit, as_of, out, children)


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    target: str = ""  # key
    start: dt.date | None = None
    end: dt.date | None = None


def report_list(
    actor: Actor, programme: Programme, unit: Unit, filters: ReportFilters | None = None
) -> QuerySet[ProgressReport]:
    """The progress reports of ``unit``'s subtree (newest first), narrowed by ``filters``."""
    _require(actor, programme, unit)
    f = filters or ReportFilters()
    qs = ProgressReport.objects.filter(prefix_q(unit.path), target__programme=programme)
    if f.target:
        qs = qs.filter(target__key=f.target)
    if f.start:
        qs = qs.filter(date__gte=f.start)
    if f.end:
        qs = qs.filter(date__lte=f.end)
    return (
        scoped(qs, actor)
        .select_related("target", "unit")
        .order_by("-date", "path", "target__position", "mode")
    )


def target_plans(actor: Actor, target: Target, unit: Unit) -> QuerySet[TargetPlan]:
    """The plans of ``target`` set for units of ``unit``'s subtree, in tree order."""
    _require(actor, target.programme, unit)
    qs = TargetPlan.objects.filter(prefix_q(unit.path), target=target)
    return scoped(qs, actor).select_related("unit").order_by("path", "mode")
