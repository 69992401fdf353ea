"""Programme progress on the dashboard, through the public reads of ``minqing.programmes.selectors``.

The programmes shown are those the actor may see that run during the period (and belong to the
campaign, when one is chosen) and concern the unit: a programme over the unit (owned by the unit
or above it) is measured for the unit's subtree; a programme owned inside the unit's subtree is
measured for its owner unit. Progress is as of the period's last day (today while it runs).
"""

from dataclasses import dataclass

from django.db.models import Q

from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit
from minqing.programmes.rollup import quantity_text
from minqing.programmes.selectors import programme_progress, visible_programmes
from minqing.reports.dashboard.period import Period

MAX_PROGRAMMES = 12


@dataclass(frozen=True)
class TargetRow:
    key: str
    name: str
    measure: str
    plan: str
    in_progress: str
    completed: str
    share_text: str
    share: float | None  # percent, for the chart
    completed_only: bool


@dataclass(frozen=True)
class ProgrammeBlock:
    pk: int
    name: str
    unit: Unit  # where the progress is measured (the unit, or the programme's owner below it)
    rows: list[TargetRow]


def _ancestor_paths(unit: Unit) -> list[str]:
    step = Unit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def programme_blocks(
    actor: Actor, unit: Unit, period: Period, campaign: Campaign | None = None
) -> tuple[list[ProgrammeBlock], bool]:
    """The programmes' progress, and whether more programmes than ``MAX_PROGRAMMES`` matched."""
    if not period.valid:
        return [], False
    qs = (
        visible_programmes(actor)
        .filter(Q(path__in=_ancestor_paths(unit)) | prefix_q(unit.path))
        .filter(start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    programmes = list(qs.order_by("path", "-start_date", "name")[: MAX_PROGRAMMES + 1])
    more = len(programmes) > MAX_PROGRAMMES
    out = []
    for p in programmes[:MAX_PROGRAMMES]:
        at = unit if unit.path.startswith(p.path) else p.owner
        if not can_access_unit(actor, at):
            continue
        progress = programme_progress(actor, p, at, period.as_of_day, series=False)
        rows = []
        for tp in progress.targets:
            f = tp.total
            rows.append(
                TargetRow(
                    key=tp.target.key,
                    name=tp.target.name,
                    measure=tp.target.measure,
                    plan=quantity_text(f.plan),
                    in_progress=quantity_text(f.in_progress),
                    completed=quantity_text(f.completed),
                    share_text=f.share_text,
                    share=round(float(f.share) * 100, 1) if f.share is not None else None,
                    completed_only=f.completed_only,
                )
            )
        out.append(ProgrammeBlock(p.pk, p.name, at, rows))
    return out, more
