"""Reading the cells of a 问题 row: the Chinese words, yes/no, and the dates offices write."""

import datetime as dt
import re

from django.utils import timezone, translation

from minqing.ledger.problem_format import CHOICES, words

_SEPARATORS = re.compile(r"[/.年月]")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20000.0, 80000.0)  # 1954 .. 2119: a bare number in that range is an Excel date

YES_WORDS = frozenset({"是", "yes", "y", "true", "1", "√"})
NO_WORDS = frozenset({"否", "no", "n", "false", "0", "×", ""})


def parse_choice(kind: str, word: str) -> str | None:
    """The enum value for a word: the Chinese word, the English value, or the label in the active language."""
    w = word.strip().lower()
    for value, chinese in words(kind).items():
        if w in (chinese.lower(), value.lower()):
            return value
    for value, label in CHOICES[kind]:
        if w == str(label).lower():
            return value
    with translation.override("en"):
        for value, label in CHOICES[kind]:
            if w == str(label).lower():
                return value
    return None


def parse_yes_no(word: str) -> bool | None:
    """是 / 否 (blank reads as 否); None when it is neither."""
    w = word.strip().lower()
    if w in YES_WORDS:
        return True
    if w in NO_WORDS:
        return False
    return None


def _from_excel_serial(text: str) -> dt.datetime | None:
    try:
        serial = float(text)
    except ValueError:
        return None
    if not EXCEL_SERIAL_RANGE[0] <= serial <= EXCEL_SERIAL_RANGE[1]:
        return None
    value = EXCEL_EPOCH + dt.timedelta(days=serial)
    return value.replace(microsecond=0) + dt.timedelta(seconds=round(value.microsecond / 1e6))


def parse_datetime(text: str) -> dt.datetime | None:
    """An aware local datetime from 2019-09-01, 2019/9/1, 2019.9.1, 2019年9月1日, 2019-09-01 10:30[:00],
    an ISO datetime, or an Excel date serial; None when unreadable."""
    text = text.strip().replace("日", "")
    naive = _from_excel_serial(text)
    if naive is None:
        m = _DATE_RE.match(_SEPARATORS.sub("-", text))
        if m is None:
            return None
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        try:
            naive = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return timezone.make_aware(naive)
