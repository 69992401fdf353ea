"""The small world the metric tests share (no tests here): the orgs test tree with a sibling
county, agencies, an enterprise and a social organisation, two campaigns, and helpers.

Tree (party organisations marked *)::

    乌兰察布市 prefecture
    ├── 市委办公室 AG-P (agency*, directly under the city)
    ├── 集宁区 county*
    │   ├── 区委宣传部 AG-1 (agency*, category set)
    │   ├── 区教育局 AG-2 (agency*, no category: counted by its kind)
    │   ├── 新体育场街道 town_a* ── 泉山社区 village_a* ── grid_a
    │   │   └── 某某公司 EN-1 (enterprise*)
    │   └── 白海子镇 town_b* ── 红旗村 village_b* ── grid_b
    │       └── 某某协会 SO-1 (social organisation*)
    └── 卓资县 sibling* ── 卓资山镇 sibling_town*

The campaign 主题教育 (scope: the city) runs 2019-09-01 to 2020-01-31; bulletins are as of
2019-12-20. 其他专题 (scope: the county) runs from 2019-01-01, open-ended.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from minqing.campaigns.models import Campaign
from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import PartyCategory, UnitKind
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import PersonFactory, make_units, small_tree
from minqing.reports.metrics import MetricContext, compute

AS_OF = dt.date(2019, 12, 20)
K = UnitKind


def at(month: int, day: int, hour: int = 9, year: int = 2019) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def day(month: int, d: int, year: int = 2019) -> dt.date:
    return dt.date(year, month, d)


def person(unit: Unit, **kw: Any) -> Person:
    return cast(Person, PersonFactory(unit=unit, **kw))


@dataclass
class MetricWorld:
    u: dict[str, Unit]
    campaign: Campaign
    other: Campaign

    def values(
        self,
        unit: str = "county",
        ids: list[str] | None = None,
        *,
        as_of: dt.date = AS_OF,
        campaign: Any = "default",
    ) -> dict[str, Any]:
        """Metric values for ``unit``'s subtree; ``campaign=None``: no campaign filter."""
        camp = self.campaign if campaign == "default" else campaign
        ctx = MetricContext(unit=self.u[unit], as_of=as_of, campaign=camp, actor=SYSTEM)
        return {k: v.value for k, v in compute(ctx, ids).items()}


def make_world() -> MetricWorld:
    u = small_tree()
    for key in ("county", "town_a", "town_b", "village_a", "village_b"):
        Unit.objects.filter(pk=u[key].pk).update(has_party_org=True)
    rows = [
        UnitRow("AG-P", "市委办公室", K.AGENCY, "150900000000", has_party_org=True,
                party_category=PartyCategory.AGENCY),
        UnitRow("AG-1", "区委宣传部", K.AGENCY, "150902000000", has_party_org=True,
                party_category=PartyCategory.AGENCY),
        UnitRow("AG-2", "区教育局", K.AGENCY, "150902000000", has_party_org=True),
        UnitRow("EN-1", "某某公司", K.ENTERPRISE, "150902001000", has_party_org=True),
        UnitRow("SO-1", "某某协会", K.SOCIAL_ORG, "150902101000", has_party_org=True,
                party_category=PartyCategory.NON_PUBLIC),
        UnitRow("150921000000", "卓资县", K.COUNTY, "150900000000", division_code="150921000000",
                has_party_org=True),
        UnitRow("150921100000", "卓资山镇", K.TOWNSHIP, "150921000000", "town", "150921100000",
                has_party_org=True, party_category=PartyCategory.TOWNSHIP),
    ]  # fmt: skip
    extra = make_units(rows)
    u.update(
        ag_p=extra["AG-P"],
        ag_1=extra["AG-1"],
        ag_2=extra["AG-2"],
        en_1=extra["EN-1"],
        so_1=extra["SO-1"],
        sibling=extra["150921000000"],
        sibling_town=extra["150921100000"],
    )
    for key, unit in u.items():
        u[key] = Unit.objects.get(pk=unit.pk)
    campaign = campaign_create(
        actor=SYSTEM, name="主题教育", scope=u["prefecture"], start_date=day(9, 1), end_date=day(1, 31, 2020)
    )
    other = campaign_create(actor=SYSTEM, name="其他专题", scope=u["county"], start_date=day(1, 1))
    return MetricWorld(u, campaign, other)
