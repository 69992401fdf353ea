"""The arithmetic on its own: share formatting and rounding, and the two rollup rules."""

import datetime as dt
from decimal import Decimal

import pytest

from minqing.programmes.rollup import (
    Figures,
    PlanRow,
    PlanTree,
    Point,
    funds_yi_text,
    latest_as_of,
    leaf_most,
    own_plans,
    progress_of,
    quantity_text,
    share_text,
)

D = Decimal


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        # the seed's figures with the plans the seed test uses
        (41350, 51947, "79.6%"),
        (86121, 117172, "73.5%"),
        (2082, 2479, "84%"),  # 83.985…% -> 84.0% -> printed without ".0"
        (344, 364, "94.5%"),
        (477, 501, "95.2%"),
        (343, 389, "88.2%"),
        # rounding half up at the second decimal of the percentage (not to even, not by float)
        (1, 16, "6.3%"),  # 6.25
        (3, 16, "18.8%"),  # 18.75
        (1, 8, "12.5%"),
        (1, 2000, "0.1%"),  # 0.05
        (1, 2001, "0%"),  # 0.0499…
        (D("0.5"), 1, "50%"),
        (0, 10, "0%"),
        (10, 10, "100%"),
        (1999, 1000, "199.9%"),  # over-fulfilment is printed as it is
        (D("2082.5"), D("2479.25"), "84%"),
        (7, 0, "—"),  # no plan: no share
        (7, None, "—"),
    ],
)
def test_share_text(numerator, denominator, text):
    assert share_text(numerator, denominator) == text


def test_quantity_and_funds_text():
    assert quantity_text(D("41350.00")) == "41,350"
    assert quantity_text(D("2082.50")) == "2,082.5"
    assert quantity_text(D("100")) == "100"
    assert quantity_text(0) == "0"
    assert quantity_text(None) == "—"
    assert funds_yi_text(D("177500")) == "17.75"
    assert funds_yi_text(D("177549.99")) == "17.75"
    assert funds_yi_text(D("180000")) == "18"


def test_figures_by_share_basis():
    started = Figures(plan=D(100), in_progress=D(30), completed=D(50))
    assert (started.share_text, started.started_share_text, started.completed_share_text) == (
        "80%",
        "80%",
        "50%",
    )
    only = Figures(plan=D(100), in_progress=D(30), completed=D(50), completed_only=True)
    assert only.share_text == "50%" and only.counted == 50
    assert Figures(plan=D(70), in_progress=D(30), completed=D(50)).over_plan
    assert not Figures(plan=None, in_progress=D(30)).over_plan


def p(path, date, ip=0, done=0, funds=0, mode=""):
    return Point(path, mode, date, D(ip), D(done), D(funds))


def test_latest_report_as_of_a_date_counts_not_the_sum_of_reports():
    d1, d2, d3 = dt.date(2015, 5, 31), dt.date(2015, 6, 30), dt.date(2015, 7, 31)
    points = [p("001001", d1, 5, 1), p("001001", d2, 6, 3), p("001001", d3, 2, 9)]
    assert progress_of(leaf_most(latest_as_of(points, dt.date(2015, 5, 1))), "001") == (0, 0, 0)
    assert progress_of(leaf_most(latest_as_of(points, d1)), "001") == (5, 1, 0)
    assert progress_of(leaf_most(latest_as_of(points, dt.date(2015, 7, 1))), "001") == (6, 3, 0)
    assert progress_of(leaf_most(latest_as_of(points, d3)), "001") == (2, 9, 0)


def test_leaf_most_reports_count_and_a_higher_report_only_while_nothing_below_reported():
    d1, d2 = dt.date(2015, 5, 31), dt.date(2015, 6, 30)
    county, town_a, town_b, village_a = "001001", "001001001", "001001002", "001001001001"
    points = [
        p(county, d1, 10, 10, 100),  # the county's summary, before the townships reported
        p(town_a, d2, 3, 4, 40),
        p(village_a, d2, 1, 1, 10),  # below town_a: town_a's own report no longer counts
        p(town_b, d2, 2, 2, 20),
    ]
    assert progress_of(leaf_most(latest_as_of(points, d1)), county) == (10, 10, 100)
    leaf = leaf_most(latest_as_of(points, d2))
    assert {x.path for x in leaf} == {village_a, town_b}
    assert progress_of(leaf, county) == (3, 3, 30)
    assert progress_of(leaf, town_a) == (1, 1, 10)
    assert progress_of(leaf, county, exact=True) == (0, 0, 0)


def test_leaf_most_is_decided_per_mode():
    d = dt.date(2015, 6, 30)
    points = [p("001", d, 5, 5, mode="新建"), p("001002", d, 1, 1, mode="维修加固")]
    leaf = leaf_most(latest_as_of(points, d))
    assert progress_of(leaf, "001") == (6, 6, 0)
    assert progress_of(leaf, "001", mode="新建") == (5, 5, 0)


def test_plans_roll_up_top_down_without_double_counting():
    rows = [
        PlanRow("001001", "", D(60)),  # county plan
        PlanRow("001001001", "", D(25)),  # its townships: a breakdown, not an addition
        PlanRow("001001002", "", D(30)),
        PlanRow("001002", "新建", D(10)),  # another county planned by mode only
        PlanRow("001002", "维修加固", D(5)),
    ]
    tree = PlanTree(own_plans(rows, mode=None, owner_path="001", target_plan=D(100)))
    assert tree.plan_of("001") == 100  # the owner: the target's plan
    assert tree.plan_of("001001") == 60
    assert tree.plan_of("001001001") == 25
    assert tree.plan_of("001002") == 15
    assert tree.plan_of("001003") is None
    assert tree.overruns() == []
    no_owner = PlanTree(own_plans(rows, mode=None))
    assert no_owner.plan_of("001") == 75  # the top-most planned units below
    mode_tree = PlanTree(own_plans(rows, mode="新建"))
    assert mode_tree.plan_of("001") == 10
    over = PlanTree(
        own_plans([*rows, PlanRow("001001003", "", D(6))], mode=None, owner_path="001", target_plan=D(100))
    )
    assert over.overruns() == [("001001", D(61), D(60))]
