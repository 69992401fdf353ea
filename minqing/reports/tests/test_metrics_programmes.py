"""programme.*, demonstration.* and the catalogues (catalogue.power.*, reforms.*, commendations.count).

Programme 集宁区十个全覆盖 (owner: the county, no campaign), targets housing (plan 100: town_a 60,
town_b 40) and shop (plan 10, completed only). Progress (cumulative; 在建 / 完工 / 万元):
housing town_a 10-01 10/20/100, superseded 12-01 5/30/150; town_b 11-01 10/10/50, and 12-21
0/40/80 (after the as-of date); shop town_a 11-01 3/4/10.
County as of 12-20: housing (5+30) + (10+10) = 55 of 100; shop 4 of 10 (in progress not counted);
funds 150 + 50 + 10 = 210 万元 = 0.021 亿元.

Demonstration assignments: c1 → county and town_a (09-01); c2 → village_a and grid_a (10-01);
c3 → a household of grid_b and one of grid_a (10-01); c4 → AG-1 (from 12-21); c5 → EN-1
(01-01 to 08-31, ended before the campaign); c6 → sibling_town (10-01); c7 → town_b, a contact
point (not demonstration). grid_a has 3 households, grid_b 2.
County: county 1, township 1, village 1, grid 1, agency 0, enterprise 0; households 3 (grid_a)
+ 1 (grid_b, directly) = 4; cadres c1 c2 c3 = 3.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from minqing.catalogues.models import PowerCategory, ReformStatus
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create, reform_result_add
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind
from minqing.orgs.services.assignments import assignment_create
from minqing.orgs.services.households import household_create
from minqing.programmes.models import ShareBasis
from minqing.programmes.services.programmes import plan_set, programme_create, target_create
from minqing.programmes.services.progress import progress_report
from minqing.reports.tests.test_metrics_world import MetricWorld, day, make_world, person

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def xw(db: Any) -> MetricWorld:
    mw = make_world()
    u = mw.u
    programme = programme_create(
        actor=SYSTEM,
        name="集宁区十个全覆盖",
        owner=u["county"],
        start_date=day(9, 1),
    )
    housing = target_create(
        actor=SYSTEM, programme=programme, key="housing", name="危房改造", measure="户", plan_quantity=D(100)
    )
    shop = target_create(
        actor=SYSTEM, programme=programme, key="shop", name="便民连锁超市", measure="个", plan_quantity=D(10),
        share_basis=ShareBasis.COMPLETED,
    )  # fmt: skip
    plan_set(actor=SYSTEM, target=housing, unit=u["town_a"], quantity=D(60))
    plan_set(actor=SYSTEM, target=housing, unit=u["town_b"], quantity=D(40))
    for target, unit, d, ip, done, funds in (
        (housing, "town_a", day(10, 1), 10, 20, 100),
        (housing, "town_a", day(12, 1), 5, 30, 150),
        (housing, "town_b", day(11, 1), 10, 10, 50),
        (housing, "town_b", day(12, 21), 0, 40, 80),
        (shop, "town_a", day(11, 1), 3, 4, 10),
    ):
        progress_report(
            actor=SYSTEM,
            target=target,
            unit=u[unit],
            date=d,
            in_progress=D(ip),
            completed=D(done),
            funds=D(funds),
        )

    houses = {g: [household_create(actor=SYSTEM, grid=u[g], number=f"{g}-{i}") for i in range(n)]
              for g, n in (("grid_a", 3), ("grid_b", 2))}  # fmt: skip
    c = {i: person(u["county"]) for i in range(1, 8)}
    demo = AssignmentKind.DEMONSTRATION
    on_units = (
        (1, "county", day(9, 1), None, demo),
        (1, "town_a", day(9, 1), None, demo),
        (2, "village_a", day(10, 1), None, demo),
        (2, "grid_a", day(10, 1), None, demo),
        (4, "ag_1", day(12, 21), None, demo),
        (5, "en_1", day(1, 1), day(8, 31), demo),
        (6, "sibling_town", day(10, 1), None, demo),
        (7, "town_b", day(10, 1), None, AssignmentKind.CONTACT_POINT),
    )
    for who, unit, start, end, kind in on_units:
        assignment_create(
            actor=SYSTEM, person=c[who], kind=kind, start_date=start, end_date=end, unit=u[unit]
        )
    for house in (houses["grid_b"][0], houses["grid_a"][1]):
        assignment_create(actor=SYSTEM, person=c[3], kind=demo, start_date=day(10, 1), household=house)

    lic, pen = PowerCategory.LICENSING, PowerCategory.PENALTY
    for unit, cat, name, published, active in (
        ("ag_1", lic, "甲", day(6, 1), True),
        ("ag_1", pen, "乙", day(12, 20), True),
        ("ag_1", pen, "丙", day(12, 21), True),
        ("ag_2", lic, "丁", day(3, 1), True),
        ("ag_2", lic, "戊", day(3, 1), False),
        ("sibling", lic, "己", day(3, 1), True),
    ):
        power_item_create(
            actor=SYSTEM, unit=u[unit], category=cat, name=name, published_on=published, is_active=active
        )

    def reform(unit: str, title: str, key: bool, started: dt.date, results: list[dt.date], **kw: Any) -> None:
        m = reform_create(
            actor=SYSTEM, unit=u[unit], title=title, is_key=key, status=ReformStatus.IN_PROGRESS,
            campaign=kw.get("campaign", mw.campaign), started_on=started,
        )  # fmt: skip
        for d in results:
            reform_result_add(actor=SYSTEM, measure=m, date=d, text=f"成果{d}")

    reform("ag_1", "M1", True, day(9, 1), [day(10, 1), day(11, 1)])
    reform("ag_1", "M2", False, day(10, 1), [day(12, 21)])
    reform("ag_2", "M3", True, day(10, 1), [])
    reform("ag_2", "M4", True, day(12, 21), [])
    reform("county", "M5", True, day(9, 10), [day(10, 1)], campaign=mw.other)
    reform("sibling", "M6", True, day(9, 10), [day(10, 1)])
    reform("county", "M7", False, day(3, 1), [day(3, 2)], campaign=None)  # no campaign: counts

    title = "优秀基层党组织带头人"
    for unit, name, d, campaign in (
        ("town_a", "张三", day(10, 1), mw.campaign),
        ("town_b", "李四", day(12, 20), None),
        ("village_a", "王五", day(12, 21), mw.campaign),
        ("county", "赵六", day(8, 31), None),
        ("sibling", "钱七", day(10, 1), mw.campaign),
        ("town_a", "孙八", day(10, 2), mw.other),
    ):
        commendation_create(actor=SYSTEM, unit=u[unit], title=title, date=d, name=name, campaign=campaign)
    return mw


PROGRAMME = [
    "programme.funds",
    "programme.target.housing.quantity",
    "programme.target.housing.share",
    "programme.target.shop.quantity",
    "programme.target.shop.share",
    "programme.target.clinic.quantity",
    "programme.target.clinic.share",
]


def test_programme_figures(xw: MetricWorld) -> None:
    assert list(xw.values("county", PROGRAMME).values()) == [D("0.021"), 55, D("0.55"), 4, D("0.4"), 0, 0]
    # as of 12-21 town_b's later report counts: 35 + 40
    v = xw.values("county", PROGRAMME, as_of=day(12, 21))
    assert (v["programme.funds"], v["programme.target.housing.quantity"]) == (D("0.024"), 75)
    town = xw.values("town_a", PROGRAMME)
    assert town["programme.target.housing.quantity"] == 35
    assert town["programme.target.housing.share"] == D(35) / D(60)
    assert town["programme.funds"] == D("0.016")
    # the city: the county's programme as a whole; the sibling county has none
    assert list(xw.values("prefecture", PROGRAMME).values())[:3] == [D("0.021"), 55, D("0.55")]
    assert list(xw.values("sibling", PROGRAMME).values()) == [0, 0, 0, 0, 0, 0, 0]
    assert xw.values("county", PROGRAMME, as_of=day(10, 31))["programme.target.housing.quantity"] == 30


DEMO = [
    f"demonstration.covered.{k}" for k in ("county", "township", "agency", "enterprise", "village", "grid")
]
DEMO += ["demonstration.households", "demonstration.cadres"]


def test_demonstration(xw: MetricWorld) -> None:
    assert list(xw.values("county", DEMO).values()) == [1, 1, 0, 0, 1, 1, 4, 3]
    assert list(xw.values("county", DEMO, as_of=day(12, 21)).values()) == [1, 1, 1, 0, 1, 1, 4, 4]
    assert list(xw.values("town_b", DEMO).values()) == [0, 0, 0, 0, 0, 0, 1, 1]  # c3's household
    assert list(xw.values("prefecture", DEMO).values()) == [1, 2, 0, 0, 1, 1, 4, 4]
    assert list(xw.values("county", DEMO, as_of=day(9, 30)).values()) == [1, 1, 0, 0, 0, 0, 0, 1]
    # without a campaign the year counts: c5's assignment to EN-1 was in force until 08-31
    assert xw.values("county", DEMO, campaign=None)["demonstration.covered.enterprise"] == 1


CATALOGUES = [
    "catalogue.power.departments",
    "catalogue.power.categories",
    "catalogue.power.items",
    "reforms.measures",
    "reforms.results",
    "reforms.key",
    "reforms.key_with_staged_result",
    "commendations.count",
]


def test_catalogues(xw: MetricWorld) -> None:
    # powers 甲 乙 丁 (丙 published later, 戊 not in force); reforms M1 M2 M3 M7 (M4 later, M5 other
    # campaign), results 2 of M1 + 1 of M7; key M1 M3, with a result M1; commendations 张三, 李四
    assert list(xw.values("county", CATALOGUES).values()) == [2, 2, 3, 4, 3, 2, 1, 2]
    assert list(xw.values("county", CATALOGUES, as_of=day(12, 21)).values()) == [2, 2, 4, 5, 4, 3, 1, 3]
    # no campaign: + M5 (key, with a result); commendations of the year: + 赵六, 孙八
    assert list(xw.values("county", CATALOGUES, campaign=None).values()) == [2, 2, 3, 5, 4, 3, 2, 4]
    assert list(xw.values("ag_2", CATALOGUES).values()) == [1, 1, 1, 1, 0, 1, 0, 0]
    assert list(xw.values("prefecture", CATALOGUES).values()) == [3, 2, 4, 5, 4, 3, 2, 3]
