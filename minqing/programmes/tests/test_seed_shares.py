"""Done when: shares of plan are computed from records and printed as the seed prints them.

The seed (乌兰察布市, as of 2015-06-30): 投入资金 17.75 亿元; 危房改造 在建及完工 41,350 户, 79.6%;
村庄整治 86,121 间, 73.5%; 街巷硬化 2,082 公里, 84%; 卫生室 344 个, 94.5%; 文化活动室 477 个,
95.2%; 便民连锁超市 完工 343 个, 88.2% (completed only).

The seed gives the quantities and shares, not the plans; plans consistent with both (each the
plan whose share rounds to the printed one, half up to one decimal place of a percentage):

| target | quantity | plan | exact share |
|---|---|---|---|
| housing 危房改造 | 41,350 户 | 51,947 户 | 79.600% |
| village_cleanup 村庄整治 | 86,121 间 | 117,172 间 | 73.49996% |
| road_paving 街巷硬化 | 2,082 公里 | 2,479 公里 | 83.985% -> 84.0 -> "84%" |
| clinic 卫生室 | 344 个 | 364 个 | 94.505% |
| culture_room 文化活动室 | 477 个 | 501 个 | 95.210% |
| shop 便民连锁超市 (completed only) | 343 个 | 389 个 | 88.175% |

The records: the programme of the city, its six targets, plans split across three counties
(and one county's plan further across its townships), and dated progress reports per county,
by mode for housing, including superseded earlier reports, a county summary overtaken by its
townships' reports, a report after the as-of date, and shops in progress that do not count.
"""

import datetime as dt
from decimal import Decimal

import pytest

from minqing.orgs.enums import UnitKind
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import make_units
from minqing.programmes import selectors
from minqing.programmes.models import ShareBasis
from minqing.programmes.rollup import funds_yi_text, quantity_text
from minqing.programmes.services.programmes import plan_set, programme_create, target_create
from minqing.programmes.services.progress import progress_report
from minqing.programmes.tests.world import HOUSING_MODES, World

pytestmark = pytest.mark.django_db
D = Decimal
AS_OF = dt.date(2015, 6, 30)

TARGETS = (  # key, name, measure, plan, basis, modes
    ("housing", "危房改造", "户", 51947, ShareBasis.STARTED, HOUSING_MODES),
    ("village_cleanup", "村庄整治", "间", 117172, ShareBasis.STARTED, ()),
    ("road_paving", "街巷硬化", "公里", 2479, ShareBasis.STARTED, ()),
    ("clinic", "卫生室", "个", 364, ShareBasis.STARTED, ()),
    ("culture_room", "文化活动室", "个", 501, ShareBasis.STARTED, ()),
    ("shop", "便民连锁超市", "个", 389, ShareBasis.COMPLETED, ()),
)
PLANS = {  # target -> (集宁区, 卓资县, 化德县); 集宁区's housing plan also split by township
    "housing": (20000, 16947, 15000),
    "village_cleanup": (40000, 40172, 37000),
    "road_paving": (900, 900, 679),
    "clinic": (130, 130, 104),
    "culture_room": (210, 190, 101),
    "shop": (160, 120, 109),
}
# (unit, target, mode, date, in progress, completed, funds in 万元)
REPORTS = (
    # housing: 15,000 (集宁区, by its townships) + 12,350 (卓资县) + 14,000 (化德县) = 41,350
    ("jn", "housing", "新建", "2015-05-31", 5000, 2000, 9999),  # the county's summary, overtaken below
    ("jn_a", "housing", "新建", "2015-05-31", 5000, 1000, 20000),  # superseded by 06-30
    ("jn_a", "housing", "新建", "2015-06-30", 6000, 4000, 30000),
    ("jn_b", "housing", "维修加固", "2015-06-30", 2000, 3000, 20000),
    ("zz", "housing", "新建", "2015-06-30", 3000, 6000, 25000),
    ("zz", "housing", "转移置换", "2015-06-30", 1000, 2350, 5000),
    ("hd", "housing", "维修加固", "2015-06-30", 4000, 10000, 20000),
    ("hd", "housing", "维修加固", "2015-07-31", 1000, 15000, 25000),  # after the as-of date
    # village clean-up: 30,000 + 30,121 + 26,000 = 86,121
    ("jn", "village_cleanup", "", "2015-06-30", 0, 30000, 10000),
    ("zz", "village_cleanup", "", "2015-06-30", 121, 30000, 10000),
    ("hd", "village_cleanup", "", "2015-06-15", 6000, 20000, 5000),
    # road paving: 800.5 + 781.5 + 500 = 2,082
    ("jn", "road_paving", "", "2015-06-30", "300.5", 500, 15000),
    ("zz", "road_paving", "", "2015-06-30", "281.5", 500, 12000),
    ("hd", "road_paving", "", "2015-06-30", 0, 500, 8000),
    # clinics: 120 + 124 + 100 = 344
    ("jn", "clinic", "", "2015-06-30", 20, 100, 2000),
    ("zz", "clinic", "", "2015-06-30", 24, 100, 2000),
    ("hd", "clinic", "", "2015-06-30", 0, 100, 1500),
    # culture rooms: 200 + 177 + 100 = 477
    ("jn", "culture_room", "", "2015-06-30", 50, 150, 2000),
    ("zz", "culture_room", "", "2015-06-30", 77, 100, 2000),
    ("hd", "culture_room", "", "2015-06-30", 0, 100, 1000),
    # shops, completed only: 143 + 100 + 100 = 343 (30 in progress do not count)
    ("jn", "shop", "", "2015-06-30", 20, 143, 3000),
    ("zz", "shop", "", "2015-06-30", 10, 100, 2000),
    ("hd", "shop", "", "2015-06-30", 0, 100, 2000),
)
# funds counted as of 06-30: 100,000 + 25,000 + 35,000 + 5,500 + 5,000 + 7,000 = 177,500 万元


@pytest.fixture
def seed_world(w: World) -> World:
    extra = make_units(
        [UnitRow("150922000000", "化德县", UnitKind.COUNTY, "150900000000", division_code="150922000000")]
    )
    w.u["county_h"] = extra["150922000000"]
    return w


def test_the_seeds_shares_come_out_of_the_records(seed_world: World):
    w = seed_world
    office = w.users["city_office"]
    units = {"jn": w.u["county"], "jn_a": w.u["town_a"], "jn_b": w.u["town_b"], "zz": w.u["county_z"]}
    units["hd"] = w.u["county_h"]
    city = w.u["prefecture"]
    programme = programme_create(
        actor=office, name="乌兰察布市十个全覆盖", owner=city, start_date=dt.date(2014, 1, 1)
    )
    targets = {}
    for key, name, measure, plan, basis, modes in TARGETS:
        targets[key] = target_create(
            actor=office,
            programme=programme,
            key=key,
            name=name,
            measure=measure,
            plan_quantity=D(plan),
            share_basis=basis,
            modes=modes,
        )
        for code, quantity in zip(("jn", "zz", "hd"), PLANS[key], strict=True):
            plan_set(actor=office, target=targets[key], unit=units[code], quantity=D(quantity))
    # a breakdown below a county's plan does not add to it
    plan_set(actor=office, target=targets["housing"], unit=units["jn_a"], quantity=D(12000))
    plan_set(actor=office, target=targets["housing"], unit=units["jn_b"], quantity=D(8000))
    for code, key, mode, date, ip, done, funds in REPORTS:
        progress_report(
            actor=office,
            target=targets[key],
            unit=units[code],
            mode=mode,
            date=dt.date.fromisoformat(date),
            in_progress=D(ip),
            completed=D(done),
            funds=D(funds),
        )

    result = selectors.programme_progress(office, programme, city, AS_OF)
    printed = {
        t.target.key: (quantity_text(t.total.counted), t.target.measure, t.total.share_text)
        for t in result.targets
    }
    assert printed == {
        "housing": ("41,350", "户", "79.6%"),
        "village_cleanup": ("86,121", "间", "73.5%"),
        "road_paving": ("2,082", "公里", "84%"),
        "clinic": ("344", "个", "94.5%"),
        "culture_room": ("477", "个", "95.2%"),
        "shop": ("343", "个", "88.2%"),
    }
    assert funds_yi_text(result.funds) == "17.75"
    by_key = {t.target.key: t for t in result.targets}
    housing = by_key["housing"]
    assert housing.total.plan == 51947
    assert [(m, quantity_text(f.started)) for m, f in housing.modes] == [
        ("新建", "19,000"),
        ("维修加固", "19,000"),
        ("转移置换", "3,350"),
    ]
    shop = by_key["shop"]
    assert (shop.total.in_progress, shop.total.completed_share_text, shop.total.started_share_text) == (
        30,
        "88.2%",
        "95.9%",
    )
    # drill-down: the counties' rows add up to the city's figures
    for t in result.targets:
        assert sum(f.counted for _u, f in t.children) == t.total.counted
        assert sum(f.plan or 0 for _u, f in t.children) == t.total.plan
    # progress over time: the city's housing at each report date
    # (on 05-31 集宁区's 新建 counts by its township, whose report overtakes the county's summary)
    assert [(p.date.isoformat(), quantity_text(p.in_progress + p.completed)) for p in housing.series] == [
        ("2015-05-31", "6,000"),
        ("2015-06-30", "41,350"),
    ]
    # a later date sees the later report: 化德县 from 14,000 to 16,000, 43,350 / 51,947
    later = selectors.programme_progress(office, programme, city, dt.date(2015, 7, 31), series=False)
    assert {t.target.key: t.total.share_text for t in later.targets}["housing"] == "83.5%"
