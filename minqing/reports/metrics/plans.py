"""Work plans (工作方案): filed, and reviewed (审核把关) by unit category."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from minqing.activities.models import WorkPlan
from minqing.core.paths import prefix_q
from minqing.orgs.enums import UnitKind
from minqing.reports.metrics.registry import MetricContext, metric


@metric(
    "plans.filed",
    label=_("工作方案"),
    word=_("个"),
    definition=_(
        "单位为本单位或下级单位、在统计期内报送(有专题时为该专题)的工作方案个数;"
        "退回后重新报送的仍是同一个方案,以首次报送或审核时间中较早者计。"
    ),
)
def filed(ctx: MetricContext) -> int:
    first = Least("filed_at", Coalesce("reviewed_at", "filed_at"))
    qs = WorkPlan.objects.filter(prefix_q(ctx.unit.path), ctx.of_campaign()).alias(first=first)
    return qs.filter(ctx.in_period("first")).count()


def _reviewed_units(ctx: MetricContext) -> dict[str, int]:
    """Distinct units whose plan was reviewed in the period: counties, and agencies right under the unit."""

    def run() -> dict[str, int]:
        qs = WorkPlan.objects.filter(prefix_q(ctx.unit.path), ctx.in_period("reviewed_at"), ctx.of_campaign())
        county = Q(unit__kind=UnitKind.COUNTY)
        department = Q(unit__kind=UnitKind.AGENCY, unit__depth=ctx.unit.depth + 1)
        found: dict[str, int] = qs.filter(county | department).aggregate(
            county=Count("unit", distinct=True, filter=county),
            department=Count("unit", distinct=True, filter=department),
        )
        return found

    out: dict[str, int] = ctx.cached("plans.reviewed", run)
    return out


@metric(
    "plans.reviewed.county",
    label=_("审核把关工作方案的旗县市区"),
    word=_("个"),
    definition=_(
        "本单位下的县级单位(旗县市区)中,工作方案在统计期内经过审核(通过或退回修改,有专题时为该专题)的单位个数。"
    ),
)
def reviewed_county(ctx: MetricContext) -> int:
    return _reviewed_units(ctx)["county"]


@metric(
    "plans.reviewed.department",
    label=_("审核把关工作方案的直属部门单位"),
    word=_("个"),
    definition=_(
        "直属本单位的机关事业单位(如市直部门单位)中,工作方案在统计期内经过审核"
        "(通过或退回修改,有专题时为该专题)的单位个数;下级单位的部门不计入。"
    ),
)
def reviewed_department(ctx: MetricContext) -> int:
    return _reviewed_units(ctx)["department"]
