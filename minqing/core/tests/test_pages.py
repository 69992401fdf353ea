"""The list pages' shared helpers: ``paginate`` and ``parse_date``."""

import datetime as dt

import pytest

from minqing.core.pages import paginate, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        (" 2024-3-1 ", dt.date(2024, 3, 1)),
        ("20240301", dt.date(2024, 3, 1)),
        ("2019-02-30", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_paginate_bad_numbers_fall_back():
    items = list(range(120))
    assert list(paginate(items, "2").object_list) == items[50:100]
    assert paginate(items, "x").number == 1
    assert paginate(items, "99").number == 3
    assert len(paginate(items, None, size=7).object_list) == 7
