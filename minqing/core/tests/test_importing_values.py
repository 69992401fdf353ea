"""The cell parsers every importer shares (``minqing.core.importing.values``)."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from minqing.core.importing import values
from minqing.core.importing.values import (
    Choices,
    format_date,
    format_datetime,
    normalize,
    parse_count,
    parse_date,
    parse_datetime,
    parse_yes_no,
    synonyms,
)
from minqing.orgs.enums import Rank

DAYS = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2100, 12, 31))


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


@pytest.mark.parametrize(
    "word", ["是", "有", "对", "Y", "y", "yes", "YES", "true", "True", "1", "√", "✓", "✔", " 是 ", "Ｙ", "１"]
)
def test_yes_words(word: str) -> None:
    assert parse_yes_no(word) is True


@pytest.mark.parametrize(
    "word", ["否", "无", "没有", "错", "N", "n", "no", "No", "false", "FALSE", "0", "×", "✗", "✘", "Ｎ", "０"]
)
def test_no_words(word: str) -> None:
    assert parse_yes_no(word) is False


@pytest.mark.parametrize("word", ["", "也许", "2", "x", "是否", "yes!"])
def test_other_words_are_neither(word: str) -> None:
    assert parse_yes_no(word) is None


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01",
        "2024-3-1",
        "2024/3/1",
        "2024/03/01",
        "2024.3.1",
        "2024年3月1日",
        "2024年3月1号",
        "2024 年 3 月 1 日",
        "20240301",
        "45352",
        "２０２４／３／１",
        " 2024-03-01 ",
        "2024-03-01 00:00",
    ],
)
def test_dates_as_offices_write_them(text: str) -> None:
    assert parse_datetime(text) == local(2024, 3, 1)
    assert parse_date(text) == dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01 10:30",
        "2024/3/1 10:30",
        "2024-03-01T10:30:00",
        "2024年3月1日 10:30",
        "2024年3月1日10时30分",
        "2024年3月1日 10点30分",
        "45352.4375",
        "20240301 10:30",
    ],
)
def test_datetimes_as_offices_write_them(text: str) -> None:
    assert parse_datetime(text) == local(2024, 3, 1, 10, 30)


@pytest.mark.parametrize(
    "text", ["", "2024-13-01", "2024-02-30", "昨天", "1234", "100000", "2024-03-01 25:00", "2024/3", "240301"]
)
def test_unreadable_dates(text: str) -> None:
    assert parse_datetime(text) is None


@given(DAYS)
def test_any_date_reads_back_in_every_way_of_writing_it(day: dt.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        str((day - dt.date(1899, 12, 30)).days),  # the Excel serial
    ):
        assert parse_date(text) == day, text
    assert parse_date(format_date(day)) == day


@given(DAYS, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_exported_datetimes_read_back(day: dt.date, hour: int, minute: int, second: int) -> None:
    value = local(day.year, day.month, day.day, hour, minute, second)
    assert parse_datetime(format_datetime(value)) == value


PLAIN = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2})?\Z")


@given(PLAIN)
def test_plain_datetimes_read_as_the_general_path_reads_them(text: str) -> None:
    """2024-03-01 10:30[:00] skips NFKC and the rewrites; the answer is the same, None included."""
    general = values._naive(normalize(text))
    assert parse_datetime(text) == (timezone.make_aware(general) if general is not None else None)


@pytest.mark.parametrize(
    "text", ["2024-02-30 10:00", "2023-02-29 00:00", "2024-01-01 24:00", "2024-13-01 10:00"]
)
def test_impossible_plain_datetimes_are_unreadable(text: str) -> None:
    assert parse_datetime(text) is None


def test_plain_datetimes() -> None:
    assert parse_datetime("2024-03-01 10:30") == local(2024, 3, 1, 10, 30)
    assert parse_datetime("2024-03-01 10:30:05") == local(2024, 3, 1, 10, 30, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("12", 12), ("1,234", 1234), ("1，234", 1234), ("12.0", 12), ("１２", 12), (" 7 ", 7)],
)
def test_counts(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "-1", "1.5", "12人", "abc", "1,23", "1234567890"])
def test_bad_counts(text: str) -> None:
    assert parse_count(text) is None


@given(st.integers(0, 999_999_999))
def test_any_count_reads_back_plain_and_grouped(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n


def test_normalize_makes_full_width_half_width_and_trims() -> None:
    assert normalize(" ＡＢＣ１２３　") == "ABC123"


def test_choices_read_label_value_english_label_and_synonyms() -> None:
    ranks = Choices(Rank.choices, synonyms({Rank.DIVISION: ("副处",)}))
    assert ranks.parse("处级") == Rank.DIVISION
    assert ranks.parse("division") == Rank.DIVISION
    assert ranks.parse(" DIVISION ") == Rank.DIVISION
    assert ranks.parse("副处") == Rank.DIVISION
    assert ranks.parse("副厅") is None
    assert ranks.shown() == "厅级、处级、科级、科员及以下、无职级"
    assert ranks.synonyms_of(Rank.DIVISION) == ["division", "division level", "副处"]


def test_a_synonym_must_name_a_choice() -> None:
    with pytest.raises(ValueError):
        Choices(Rank.choices, {"副处": "vice-division"})


def test_choices_remember_the_words_they_read_up_to_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "PARSED_MAX", 3)
    ranks = Choices(Rank.choices)
    for _ in range(2):
        assert ranks.parse("处级") == Rank.DIVISION
        assert ranks.parse(" DIVISION ") == Rank.DIVISION
        assert ranks.parse("副厅") is None
        assert ranks.parse("科级") == Rank.SECTION
    assert len(ranks._parsed) == 3  # the fourth word is read each time, not remembered
