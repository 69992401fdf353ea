"""How figures and dates print, and the template placeholders (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from minqing.core.errors import ErrorCode
from minqing.reports.bulletins.formatting import format_date, format_value, json_number, same_value
from minqing.reports.bulletins.templating import Figure, Placeholder, metric_ids, parse, render, validate


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (59282, "count", "59282"),  # no thousands separator, as the articles write it
        (0, "count", "0"),
        (Decimal("2082"), "count", "2082"),
        (Decimal("2082.50"), "count", "2082.5"),
        (5.0, "count", "5"),
        (0.796, "share", "79.6%"),
        (0.84, "share", "84%"),
        (0.7955, "share", "79.6%"),  # half-up on the decimal value
        (0.945, "share", "94.5%"),
        (1, "share", "100%"),
        (0, "share", "0%"),
    ],
)
def test_format_value(value, kind, expected):
    assert format_value(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "word", "expected"),
    [
        (Decimal("17.75"), "亿元", "17.75"),
        (Decimal("17.755"), "亿元", "17.76"),
        (3, "亿元", "3.00"),  # money: always two decimals
        (17.75, "万元", "17.75"),
        (3, "100 million yuan", "3.00"),  # the English words are money too
        (Decimal("0.5"), "10,000 yuan", "0.50"),
        (Decimal("0.5"), "households", "0.5"),
        (Decimal("41350.00"), "户", "41350"),  # a quantity: like a count
        (Decimal("2082.40"), "公里", "2082.4"),
    ],
)
def test_format_amount(value, word, expected):
    assert format_value(value, "amount", word=word) == expected


def test_ten_thousands_modifier():
    assert format_value(560_000, "count", "万") == "56"
    assert format_value(555_000, "count", "万") == "55.5"
    assert format_value(559_960, "count", "万") == "56"


def test_format_date():
    assert format_date(dt.date(2019, 12, 20)) == "2019年12月20日"
    assert format_date(dt.date(2015, 6, 30)) == "2015年6月30日"


def test_json_number_and_same_value():
    assert json_number(Decimal("17.75"), "amount") == 17.75
    assert json_number(Decimal("3"), "amount") == 3
    assert json_number(5.0) == 5 and isinstance(json_number(5.0), int)
    assert json_number(1, "share") == 1.0 and isinstance(json_number(1, "share"), float)
    assert same_value(0.1 + 0.2, 0.3)
    assert not same_value(189, 190)
    assert same_value(Decimal("17.75"), 17.75)
    assert same_value(None, None) and not same_value(None, 0)


def test_parse_placeholders_facts_modifiers_and_escapes():
    segments, errors = parse(
        "截至{as_of},{unit}举办读书班{study.reading_class.sessions}次,{{字面}}{d.h:万}万户"
    )
    assert errors == []
    holders = [s for s in segments if isinstance(s, Placeholder)]
    assert [(p.name, p.modifier) for p in holders] == [
        ("as_of", ""),
        ("unit", ""),
        ("study.reading_class.sessions", ""),
        ("d.h", "万"),
    ]
    assert "{字面}" in "".join(s for s in segments if isinstance(s, str))
    assert metric_ids(["{a.b}{unit}", "{c.d}{a.b}"]) == ["a.b", "c.d"]


@pytest.mark.parametrize(
    ("text", "code", "needle"),
    [
        ("读书班{study.nope}次", ErrorCode.BULLETIN_UNKNOWN_METRIC, "{study.nope}"),
        ("读书班{读书班}次", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{读书班}"),
        ("读书班{a.b:千}次", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{a.b:千}"),
        ("读书班{unit:万}次", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{unit:万}"),
        ("{a.b|全部结束}", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{a.b|全部结束}"),
        ("{a.b|甲|乙|丙}", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{a.b|甲|乙|丙}"),
        ("{unit|甲|乙}", ErrorCode.BULLETIN_BAD_PLACEHOLDER, "{unit|甲|乙}"),
        ("{study.nope|甲|#人}", ErrorCode.BULLETIN_UNKNOWN_METRIC, "{study.nope}"),
        ("读书班{a.b次", ErrorCode.BULLETIN_UNBALANCED_BRACE, "第 1 行第 4 个字符"),
        ("第一段\n读书班}次", ErrorCode.BULLETIN_UNBALANCED_BRACE, "第 2 行第 4 个字符"),
    ],
)
def test_validate_names_the_bad_placeholder_bilingually(text, code, needle):
    errors = validate(text, known={"a.b"})
    assert [e.code for e in errors] == [code]
    message = errors[0].bilingual()
    assert needle in message
    # Chinese first, then English (from the catalogue, or the fallback until it has the entry)
    assert "(" in message and any(w in message.lower() for w in ("placeholder", "brace"))


def test_validate_reports_each_unknown_metric_once():
    errors = validate("{x.y}{x.y}{a.b}{z.w}", known={"a.b"})
    assert [e.params["name"] for e in errors] == ["x.y", "z.w"]


def test_render():
    figures = {
        "a.b": Figure(329),
        "s.p": Figure(0.796, "share"),
        "f.m": Figure(17.75, "amount", "亿元"),
        "h.h": Figure(560000),
        "q.q": Figure(41350.0, "amount", "户"),
    }
    facts = {"unit": "乌兰浩特市", "as_of": "2019年12月20日", "campaign": "主题教育"}
    text = render(
        "截至{as_of},{unit}读书班{a.b}次,占{s.p},资金{f.m}亿元,{h.h:万}万户{{注}},{q.q}户", figures, facts
    )
    assert text == "截至2019年12月20日,乌兰浩特市读书班329次,占79.6%,资金17.75亿元,56万户{注},41350户"


def test_render_words_chosen_by_the_value():
    facts = {"unit": "乌兰察布市", "as_of": "2015年6月30日", "campaign": "专题教育"}
    text = "书记讲党课{a.b|全部结束|尚未讲完,还有#人未讲};{h.h:万|无|#万户}"
    assert validate(text, known={"a.b", "h.h"}) == []
    assert metric_ids([text]) == ["a.b", "h.h"]
    zero = render(text, {"a.b": Figure(0), "h.h": Figure(0)}, facts)
    assert zero == "书记讲党课全部结束;无"
    some = render(text, {"a.b": Figure(3), "h.h": Figure(560000)}, facts)
    assert some == "书记讲党课尚未讲完,还有3人未讲;56万户"
    assert render("{a.b||#}", {"a.b": Figure(0)}, facts) == ""  # either text may be empty
