"""Helpers of the list pages: one page of rows, a date typed in a query parameter."""

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.dateparse import parse_date as _parse_date

PAGE_SIZE = 50


def paginate(items: Any, page: Any, size: int = PAGE_SIZE) -> Page[Any]:
    """The ``page``-th page (``?page=``; a bad or missing number is the first or the last)."""
    return Paginator(items, size).get_page(page)


def parse_date(value: Any) -> dt.date | None:
    """A date typed in a query parameter (``2024-03-01``, ``2024-3-1``, ``20240301``); None when
    blank or not a day (``2019-02-30``)."""
    text = str(value or "").strip()
    try:
        return _parse_date(text) or dt.date.fromisoformat(text)
    except ValueError:
        return None
