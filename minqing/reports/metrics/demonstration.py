"""Demonstration (四级示范抓引领): units and households covered by a demonstration contact, and cadres.

The assignments counted are cadres' 示范联系 assignments (``AssignmentKind.DEMONSTRATION``) whose
target (unit, grid or household) lies in the subtree and that were in force at some time in the
period (started by the as-of date, not ended before the period's first day). A unit is covered
when such an assignment names it; a household when one names it or its grid (the households of
the covered grids summed from the per-grid counters the database keeps, ``GridHouseholds``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.core.paths import prefix_q
from minqing.orgs.enums import AssignmentKind, UnitKind
from minqing.orgs.models import Assignment, Unit
from minqing.reports.metrics.registry import MetricContext, metric

KINDS: dict[str, tuple[str, Promise, Promise]] = {  # metric name -> (unit kind, label, word)
    "county": (UnitKind.COUNTY, _("示范覆盖的旗县市区"), _("个")),
    "township": (UnitKind.TOWNSHIP, _("示范覆盖的苏木乡镇(街道)"), _("个")),
    "agency": (UnitKind.AGENCY, _("示范覆盖的机关事业单位"), _("个")),
    "enterprise": (UnitKind.ENTERPRISE, _("示范覆盖的企业(园区)"), _("个")),
    "village": (UnitKind.VILLAGE, _("示范覆盖的嘎查村(社区)"), _("个")),
    "grid": (UnitKind.GRID, _("示范覆盖的村民小组(社区网格)"), _("个")),
}


def assignments(ctx: MetricContext) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        prefix_q(ctx.unit.path),
        Q(end_date__isnull=True) | Q(end_date__gte=ctx.first_day),
        kind=AssignmentKind.DEMONSTRATION,
        start_date__lte=ctx.as_of,
    )


@dataclass(frozen=True)
class Covered:
    units: dict[str, int]  # distinct covered units by unit kind
    grid_households: int  # the households of the covered grids


def covered(ctx: MetricContext) -> Covered:
    """The covered units by kind and the covered grids' households, in one query: each covered
    unit once (a semi-join on the assignments), with its grid's counter where it has one (the
    counters hold grids only: a household's grid is a grid unit)."""

    def run() -> Covered:
        units = Unit.objects.filter(pk__in=assignments(ctx).values("unit_id")).values("kind").order_by()
        rows = units.annotate(n=Count("pk"), households=Sum("grid_households__households"))
        return Covered({r["kind"]: r["n"] for r in rows}, sum(int(r["households"] or 0) for r in rows))

    out: Covered = ctx.cached("demonstration.covered", run)
    return out


def _covered(kind: str) -> Callable[[MetricContext], int]:
    return lambda ctx: covered(ctx).units.get(kind, 0)


for _name, (_kind, _label, _word) in KINDS.items():
    metric(
        f"demonstration.covered.{_name}",
        label=_label,
        word=_word,
        definition=format_lazy(
            _("本单位及下级单位中类别为“{kind}”、统计期内有干部示范联系(联系分工类型为示范联系)的单位个数。"),
            kind=UnitKind(_kind).label,
        ),
    )(_covered(_kind))


def _targets(ctx: MetricContext) -> dict[str, int]:
    """Distinct cadres, and how many assignments name a household, in one pass."""

    def run() -> dict[str, int]:
        out: dict[str, int] = assignments(ctx).aggregate(
            cadres=Count("person_id", distinct=True), naming_households=Count("household_id")
        )
        return out

    found: dict[str, int] = ctx.cached("demonstration.targets", run)
    return found


@metric(
    "demonstration.households",
    label=_("示范覆盖户数"),
    word=_("户"),
    definition=_("本单位及下级单位的户中,统计期内本户或所在网格(村民小组、社区网格)有干部示范联系的户数。"),
)
def households(ctx: MetricContext) -> int:
    in_grids = covered(ctx).grid_households
    if not _targets(ctx)["naming_households"]:
        return int(in_grids)  # no assignment names a household: nothing more to count
    grids = assignments(ctx).filter(unit__kind=UnitKind.GRID).values("unit_id")
    direct = assignments(ctx).filter(household__isnull=False).exclude(household__grid_id__in=grids)
    return int(in_grids) + direct.values("household_id").distinct().count()


@metric(
    "demonstration.cadres",
    label=_("参与示范引领的干部"),
    word=_("人"),
    definition=_("统计期内在本单位及下级单位的单位、网格或户有示范联系的不同干部人数。"),
)
def cadres(ctx: MetricContext) -> int:
    return _targets(ctx)["cadres"]
