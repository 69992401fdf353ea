"""The figures a bulletin prints, counted from the records; selectors scoped to the actor."""

import datetime as dt

import pytest
from django.http import Http404

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import (
    commendation_counts,
    commendation_summary,
    power_counts,
    power_summary,
    reform_counts,
)
from minqing.catalogues.models import PowerCategory, ReformStatus
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create, reform_result_add
from minqing.orgs.actors import SYSTEM
from minqing.reports.metrics import MetricContext, compute

pytestmark = pytest.mark.django_db
C = PowerCategory


def _powers(cw) -> None:
    for unit, category, name, published, active in (
        ("city_police", C.LICENSING, "许可一", dt.date(2015, 6, 30), True),
        ("city_police", C.PENALTY, "处罚一", dt.date(2015, 6, 30), True),
        ("city_police", C.PENALTY, "处罚二", dt.date(2015, 6, 30), False),  # no longer in force
        ("city_civil", C.BENEFIT, "给付一", dt.date(2015, 6, 30), True),
        ("county_market", C.LICENSING, "许可二", dt.date(2016, 1, 1), True),  # published later
    ):
        power_item_create(
            actor=SYSTEM,
            unit=cw.u[unit],
            category=category,
            name=name,
            published_on=published,
            is_active=active,
        )


def test_power_counts_departments_categories_items(cw) -> None:
    _powers(cw)
    city = cw.u["prefecture"].path
    at = power_counts(city, dt.date(2015, 6, 30))
    assert (at.departments, at.categories, at.items) == (2, 3, 3)
    now = power_counts(city)
    assert (now.departments, now.categories, now.items) == (3, 3, 4)
    county = power_counts(cw.u["county"].path)
    assert (county.departments, county.items) == (1, 1)
    s = power_summary(sel.power_items(cw.users["city_office"]))
    assert [(b.label, b.count, b.extra) for b in s.by_category] == [
        ("行政许可", 2, 2),
        ("行政处罚", 2, 1),
        ("行政给付", 1, 1),
    ]
    assert [(b.key, b.count) for b in s.by_department] == [
        ("150900-D001", 3),
        ("150900-D002", 1),
        ("150902-D001", 1),
    ]


def test_reform_counts_key_with_result(cw) -> None:
    def measure(title, key, status, started, results=()):
        m = reform_create(
            actor=SYSTEM, unit=cw.u["city_police"], title=title, is_key=key, status=status, started_on=started
        )
        for d, text in results:
            reform_result_add(actor=SYSTEM, measure=m, date=d, text=text)
        return m

    measure("甲", True, ReformStatus.COMPLETED, dt.date(2014, 3, 1), [(dt.date(2014, 6, 1), "a")])
    measure("乙", True, ReformStatus.IN_PROGRESS, dt.date(2014, 9, 1), [(dt.date(2015, 9, 1), "b")])
    measure("丙", True, ReformStatus.IN_PROGRESS, dt.date(2015, 1, 1))
    measure("丁", False, ReformStatus.NOT_STARTED, dt.date(2015, 6, 1), [(dt.date(2015, 6, 2), "c")])
    measure("戊", False, ReformStatus.IN_PROGRESS, dt.date(2015, 9, 1))
    path = cw.u["prefecture"].path
    r = reform_counts(path, as_of=dt.date(2015, 6, 30), since=dt.date(2014, 1, 1))
    assert (r.measures, r.results, r.key, r.key_with_result) == (4, 2, 3, 1)
    r = reform_counts(path)
    assert (r.measures, r.results, r.key, r.key_with_result, r.completed, r.in_progress, r.not_started) == (
        5,
        3,
        3,
        2,
        1,
        3,
        1,
    )
    assert reform_counts(cw.u["county"].path).measures == 0


def test_commendation_counts_by_title_and_year(cw) -> None:
    for unit, name, title, d in (
        ("village_a", "张三", "优秀基层党组织带头人", dt.date(2015, 7, 1)),
        ("village_b", "王五", "优秀基层党组织带头人", dt.date(2015, 7, 1)),
        ("village_a", "张三", "优秀共产党员", dt.date(2016, 7, 1)),
        ("city_police", "李四", "优秀共产党员", dt.date(2016, 7, 1)),
    ):
        commendation_create(actor=SYSTEM, unit=cw.u[unit], name=name, title=title, date=d)
    path = cw.u["prefecture"].path
    assert commendation_counts(path, dt.date(2015, 7, 1), dt.date(2015, 7, 1)) == 2
    assert commendation_counts(path, title="优秀共产党员") == 2
    assert commendation_counts(cw.u["town_a"].path) == 2
    s = commendation_summary(sel.commendations(cw.users["county_office"]))
    assert (s.count, s.people) == (3, 2)
    assert [(b.label, b.count) for b in s.by_title] == [("优秀基层党组织带头人", 2), ("优秀共产党员", 1)]
    assert [(b.label, b.count) for b in s.by_year] == [("2016", 1), ("2015", 2)]
    f = sel.CommendationFilters.from_mapping(cw.users["county_office"], {"year": "2015", "q": "王"})
    assert [c.name for c in sel.commendations(cw.users["county_office"], f)] == ["王五"]


def _decided_and_not(cw) -> None:
    """张三 decided 2015-06-29, conferred 2015-07-01; 王五 without a decision date, 2015-07-01."""
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_a"],
        name="张三",
        title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
        decided_on=dt.date(2015, 6, 29),
        campaign=cw.campaign,
    )
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_b"],
        name="王五",
        title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
        campaign=cw.campaign,
    )


def test_commendation_counts_on_the_decision_date_else_the_date(cw) -> None:
    _decided_and_not(cw)
    path = cw.u["prefecture"].path
    assert commendation_counts(path, end=dt.date(2015, 6, 28)) == 0
    assert commendation_counts(path, end=dt.date(2015, 6, 29)) == 1  # 张三, on his decision date
    assert commendation_counts(path, end=dt.date(2015, 6, 30)) == 1
    assert commendation_counts(path, end=dt.date(2015, 7, 1)) == 2  # 王五, on his 表彰日期
    assert commendation_counts(path, dt.date(2015, 6, 30), dt.date(2015, 7, 1)) == 1  # only 王五
    assert commendation_counts(path, dt.date(2015, 7, 1), dt.date(2015, 7, 1), title="优秀共产党员") == 0


def test_commendations_metric_counts_the_decision_date_over_the_date(cw) -> None:
    _decided_and_not(cw)
    city = cw.u["prefecture"]

    def count(as_of: dt.date, campaign=cw.campaign) -> object:
        ctx = MetricContext(unit=city, as_of=as_of, campaign=campaign, actor=SYSTEM)
        return compute(ctx, ["commendations.count"])["commendations.count"].value

    assert count(dt.date(2015, 6, 28)) == 0
    assert count(dt.date(2015, 6, 29)) == 1
    assert count(dt.date(2015, 6, 30)) == 1  # 王五 has no decision date: he counts from 07-01
    assert count(dt.date(2015, 7, 1)) == 2
    assert count(dt.date(2015, 6, 30), campaign=None) == 1  # the period from 1 January
    # a decision in the previous year is outside a period starting on 1 January
    commendation_create(
        actor=SYSTEM,
        unit=cw.u["village_a"],
        name="赵六",
        title="优秀共产党员",
        date=dt.date(2016, 1, 5),
        decided_on=dt.date(2015, 12, 30),
    )
    assert count(dt.date(2016, 1, 31), campaign=None) == 0
    assert count(dt.date(2015, 12, 31), campaign=None) == 3


def test_selectors_are_scoped(cw) -> None:
    _powers(cw)
    viewer = cw.users["county_viewer"]
    assert list(sel.power_items(viewer).values_list("name", flat=True)) == ["许可二"]
    assert sel.power_items(cw.users["nobody"]).count() == 0
    assert sel.power_items(cw.users["root"]).count() == 5
    police_item = sel.power_items(cw.users["root"]).get(name="许可一")
    with pytest.raises(Http404):
        sel.power_get(viewer, police_item.pk)
    # a unit outside the scope reads as unknown: the filter is dropped (the page says so inline)
    outside = sel.PowerFilters.from_mapping(viewer, {"unit": cw.u["prefecture"].code})
    assert outside.unit is None
    assert list(sel.power_items(viewer, outside).values_list("name", flat=True)) == ["许可二"]
    f = sel.PowerFilters.from_mapping(
        cw.users["city_office"], {"unit": "150900-D001", "category": "penalty", "active": "no", "q": "处罚"}
    )
    assert [i.name for i in sel.power_items(cw.users["city_office"], f)] == ["处罚二"]
    f = sel.PowerFilters.from_mapping(cw.users["city_office"], {"category": "bogus", "active": "maybe"})
    assert (f.category, f.active) == ("", "")
