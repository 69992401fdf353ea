"""Chinese document conventions of a bulletin (issue 15, item 7): full-width punctuation,
thousands grouping as the template chooses, all-zero sentences left out, the area by the unit,
and dates in the page's language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import override

from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.reports.bulletins.formatting import format_date, format_value, full_width, group_thousands
from minqing.reports.bulletins.templating import Figure, render
from minqing.reports.bulletins.wording import level_word, whole_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "截至目前,全市共举办读书班329次,参学6122人;举办研讨167场。",
            "截至目前，全市共举办读书班329次，参学6122人；举办研讨167场。",
        ),
        ("党委(党组)书记讲专题党课全部结束,", "党委（党组）书记讲专题党课全部结束，"),
        ("说明:原文 1,550 个,树为 1,517 个.", "说明：原文 1,550 个，树为 1,517 个。"),  # digits keep theirs
        ("投入资金17.75亿元", "投入资金17.75亿元"),  # a decimal point stays
        ("完成了吗?是的!", "完成了吗？是的！"),
        ("共收到问题84条.", "共收到问题84条。"),
        ("Plain English, untouched: (a) 1.5", "Plain English, untouched: (a) 1.5"),
    ],
)
def test_full_width(text, expected):
    assert full_width(text) == expected


@pytest.mark.parametrize(
    ("text", "grouping", "expected"),
    [
        ("59282", "none", "59282"),
        ("59282", "comma", "59,282"),
        ("59282", "space", "59\u2009282"),
        ("1234567.50", "comma", "1,234,567.50"),
        ("999", "comma", "999"),
        ("-1000", "comma", "-1,000"),
    ],
)
def test_group_thousands(text, grouping, expected):
    assert group_thousands(text, grouping) == expected


def test_a_share_is_never_grouped_and_money_keeps_its_decimals():
    assert format_value(Decimal("12345.5"), "amount", word="亿元", grouping="comma") == "12,345.50"
    assert format_value(0.796, "share", grouping="comma") == "79.6%"
    assert format_value(560000, "count", "万", grouping="comma") == "56"


def test_the_template_chooses_the_grouping():
    figures = {"a.b": Figure(59282)}
    assert render("访谈{a.b}人次", figures, {}) == "访谈59282人次"
    assert render("访谈{a.b}人次", figures, {}, grouping="comma") == "访谈59,282人次"


def test_all_zero_sentences_are_left_out_by_the_rule():
    figures = {"x.one": Figure(0), "x.two": Figure(0), "x.three": Figure(5), "x.none": Figure(0)}
    body = (
        "举办研讨{x.one}场、{x.two}人次。开展典型教育{x.three}场。"
        "书记讲党课{x.none|全部结束|尚未讲的#人}。\n只有{x.one}次。"
    )
    assert render(body, figures, {}) == (
        "举办研讨0场、0人次。开展典型教育5场。书记讲党课全部结束。\n只有0次。"
    )
    # a sentence with a nonzero figure stays; the zero|other placeholder rewords, never drops
    assert render(body, figures, {}, omit_zero=True) == "开展典型教育5场。书记讲党课全部结束。\n"


def test_dates_in_the_pages_language():
    day = dt.date(2019, 6, 30)
    with override("zh-hans"):
        assert format_date(day) == "2019年6月30日"
    with override("en"):
        assert format_date(day) == "June 30, 2019"
        assert format_date(day, "zh-hans") == "2019年6月30日"  # the document stays Chinese


@pytest.mark.parametrize(
    ("name", "kind", "level", "whole"),
    [
        ("四子王旗", UnitKind.COUNTY, "旗", "全旗"),
        ("鄂温克族自治旗", UnitKind.COUNTY, "旗", "全旗"),
        ("化德县", UnitKind.COUNTY, "县", "全县"),
        ("集宁区", UnitKind.COUNTY, "区", "全区"),
        ("乌兰浩特市", UnitKind.COUNTY, "市", "全市"),
        ("乌兰察布市", UnitKind.PREFECTURE, "市", "全市"),
        ("兴安盟", UnitKind.PREFECTURE, "盟", "全盟"),
        ("内蒙古自治区", UnitKind.PROVINCE, "区", "全区"),
        ("白海子镇", UnitKind.TOWNSHIP, "镇", "全镇"),
        ("新体育场街道办事处", UnitKind.TOWNSHIP, "街道", "全街道"),
        ("乌兰哈达苏木", UnitKind.TOWNSHIP, "苏木", "全苏木"),
        ("红旗村村民委员会", UnitKind.VILLAGE, "村", "全村"),
        ("泉山社区居委会", UnitKind.VILLAGE, "社区", "全社区"),
        ("巴音嘎查", UnitKind.VILLAGE, "嘎查", "全嘎查"),
        ("黄花嘎查村民委员会", UnitKind.VILLAGE, "嘎查", "全嘎查"),
    ],
)
def test_the_area_by_kind_and_name(name, kind, level, whole):
    unit = Unit(name=name, kind=kind)
    assert (level_word(unit), whole_word(unit)) == (level, whole)


@pytest.mark.django_db
def test_a_unit_that_is_not_a_division_says_this_unit():
    from minqing.orgs.tests.factories import UnitRow, make_units, small_tree

    small_tree()
    make_units([UnitRow("A-1", "集宁区委组织部", UnitKind.AGENCY, "150902000000")])
    agency = Unit.objects.get(code="A-1")
    assert (level_word(agency), whole_word(agency)) == ("区", "本单位")
