"""Party organisations following up (紧密跟进): those that held at least one activity.

A unit of the subtree with a party organisation counts in its bulletin category
(``Unit.party_category``; a unit without one set counts by its kind: agencies, townships,
villages, enterprises and social organisations) when it organised at least one activity of any
type starting in the period (with a campaign: of the campaign). One grouped query per context.
"""

from collections import Counter
from collections.abc import Callable

from django.db.models import Count, Exists, OuterRef
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Activity
from minqing.core.paths import prefix_q
from minqing.orgs.enums import PartyCategory, default_party_category
from minqing.orgs.models import Unit
from minqing.reports.metrics.registry import MetricContext, metric

LABELS: dict[str, Promise] = {
    PartyCategory.AGENCY: _("紧密跟进的机关及直属单位党组织"),
    PartyCategory.TOWNSHIP: _("紧密跟进的镇和街道党组织"),
    PartyCategory.VILLAGE: _("紧密跟进的嘎查村和社区党组织"),
    PartyCategory.NON_PUBLIC: _("紧密跟进的非公经济和社会组织党组织"),
}


def following(ctx: MetricContext) -> Counter[str]:
    """Party organisations that held an activity, by category."""

    def run() -> Counter[str]:
        held = Activity.objects.filter(path=OuterRef("path"), start__gte=ctx.start, start__lt=ctx.end)
        if ctx.campaign is not None:
            held = held.filter(campaign=ctx.campaign)
        units = Unit.objects.filter(prefix_q(ctx.unit.path), has_party_org=True).filter(Exists(held))
        out: Counter[str] = Counter()
        for r in units.values("party_category", "kind").annotate(n=Count("id")).order_by():
            out[r["party_category"] or default_party_category(r["kind"], "")] += r["n"]
        return out

    result: Counter[str] = ctx.cached("orgs.following", run)
    return result


def _value(category: str) -> Callable[[MetricContext], int]:
    return lambda ctx: following(ctx)[category]


for _category, _label in LABELS.items():
    metric(
        f"orgs.following.{_category}",
        label=_label,
        word=_("个"),
        definition=format_lazy(
            _(
                "本单位及下级单位中有党组织、党组织统计类别为“{category}”(未设类别的按单位类别归类)、"
                "在统计期内(有专题时为该专题)组织过至少一次活动的单位个数。"
            ),
            category=PartyCategory(_category).label,
        ),
    )(_value(_category))
