"""The bulletin tests' world (no tests here): the orgs test tree, users, one campaign, and a few
small metrics registered for the test alone, so these tests do not depend on the real metric
modules (the registry is emptied for the test and restored after).

Units (``make_world``): 内蒙古 > 乌兰察布市 > 集宁区 (county) > 新体育场街道 (town_a) / 白海子镇
(town_b) > villages > grids. Users: county_office (office, 集宁区), a_office (office, town_a),
a_staff (staff, town_a), b_staff (staff, town_b), viewer (viewer, 集宁区), norole.

Campaign 第二批主题教育 (themed) over 集宁区, 2019-09-01 to 2020-01-31. Activities: town_a
读书班 2019-10-10, town_b 读书班 2019-11-05. So as of 2019-12-20, 集宁区: 2 sessions, share 2/4 =
50%, funds 2 × 8.875 = 17.75 亿元, households 2 × 280,000 = 56 万户; town_a: 1 session.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType
from minqing.activities.services.activities import activity_create
from minqing.activities.tests.activity_pages import ActivityWorld, make_world
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.core.paths import prefix_q
from minqing.orgs.actors import SYSTEM
from minqing.reports.metrics import registry
from minqing.reports.metrics.registry import METRICS, MetricContext, metric
from minqing.reports.models import BulletinTemplate

AS_OF = dt.date(2019, 12, 20)
TITLE = "{unit}{campaign}简报"
BODY = (
    "截至{as_of},{unit}共举办活动{test.sessions}次,占计划的{test.share}。\n"
    "\n"
    "投入资金{test.funds}亿元,联系群众{test.households:万}万户。"
)


def _sessions(ctx: MetricContext) -> int:
    q = Q(start__gte=ctx.start, start__lt=ctx.end) & prefix_q(ctx.unit.path)
    if ctx.campaign is not None:
        q &= Q(campaign=ctx.campaign)
    return Activity.objects.filter(q).count()


def register_test_metrics() -> None:
    metric("test.sessions", label="活动", word="次", definition="测试:活动次数")(_sessions)
    metric("test.share", label="完成比例", kind="share", definition="测试:活动次数 / 4")(
        lambda ctx: _sessions(ctx) / 4
    )
    metric("test.funds", label="投入资金", word="亿元", kind="amount", definition="测试")(
        lambda ctx: Decimal(_sessions(ctx)) * Decimal("8.875")
    )
    metric("test.households", label="联系户", word="户", definition="测试")(
        lambda ctx: 280_000 * _sessions(ctx)
    )


def isolated_metrics(monkeypatch: object) -> Iterator[None]:
    """For a fixture: only the test metrics are registered while it lasts."""
    # every metric module imported first: one imported while the registry is emptied (a renderer
    # imports ``metrics.problems`` directly) would register into it and be lost for later tests
    registry.load_all()
    saved = dict(METRICS)
    monkeypatch.setattr(registry, "MODULES", ())  # type: ignore[attr-defined]
    METRICS.clear()
    register_test_metrics()
    try:
        yield
    finally:
        METRICS.clear()
        METRICS.update(saved)


def at(day: int, month: int, year: int = 2019, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@dataclass
class BulletinWorld:
    w: ActivityWorld
    campaign: Campaign

    @property
    def u(self) -> dict:
        return self.w.u

    @property
    def users(self) -> dict:
        return self.w.users

    def activity(self, unit_key: str, when: dt.datetime) -> Activity:
        return activity_create(
            actor=SYSTEM,
            type=ActivityType.objects.get(code="reading_class"),
            organiser=self.u[unit_key],
            title="读书班",
            start=when,
            campaign=self.campaign,
        )


def make_bulletin_world() -> BulletinWorld:
    w = make_world()
    campaign = campaign_create(
        actor=SYSTEM,
        name="第二批主题教育",
        scope=w.u["county"],
        start_date=dt.date(2019, 9, 1),
        end_date=dt.date(2020, 1, 31),
        kind=CampaignKind.THEMED,
    )
    BulletinTemplate.objects.update_or_create(
        kind=CampaignKind.THEMED, defaults={"title": TITLE, "body": BODY}
    )
    bw = BulletinWorld(w, campaign)
    bw.activity("town_a", at(10, 10))
    bw.activity("town_b", at(5, 11))
    return bw
