"""Reading the cells office files really contain: yes/no, dates and times, counts, and enumerations.

Every parser first normalises the cell (NFKC, so full-width ``２０２４／３／１`` or ``Ｙ`` read as their
half-width forms, and surrounding spaces dropped) and answers ``None`` when it cannot read it; the
row checker (``minqing.core.importing.rows``) turns that into an issue naming row and column.
Blank cells are the checker's business (required, or a default), never the parsers'.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

from django.utils import timezone, translation

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20000.0, 80000.0)  # 1954 .. 2119: a bare number in that range is an Excel date

YES_WORDS = frozenset({"是", "有", "对", "y", "yes", "true", "1", "√", "✓", "✔"})
NO_WORDS = frozenset({"否", "无", "没有", "错", "n", "no", "false", "0", "×", "✗", "✘"})

_DATE_SEPARATORS = re.compile(r"\s*[/.年月-]\s*")
_TIME_WORDS = re.compile(r"\s*[时點点分]\s*")
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?)?$"
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?=$|[ T])")
# what exports and most files write: 2024-03-01 10:30[:00], read without the general path's rewrites
_PLAIN_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$")
_COUNT_RE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d{1,9}$")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_yes_no(word: str) -> bool | None:
    """是 / 否, and what people write for them: Y/N, yes/no, true/false, 1/0, √/×, ✓/✗, 对/错, 有/无."""
    w = normalize(word).lower()
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


def _naive(text: str) -> dt.datetime | None:
    serial = _from_excel_serial(text)
    if serial is not None:
        return serial
    compact = _COMPACT_RE.match(text)
    if compact is not None:
        text = "-".join(compact.groups()) + text[compact.end() :]
    # 2024年3月1日 10时30分 -> 2024-3-1 10:30
    text = text.replace("日", " ").replace("号", " ")
    text = _TIME_WORDS.sub(":", text).rstrip(":")
    m = _DATETIME_RE.match(_DATE_SEPARATORS.sub("-", text.strip()))
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def parse_datetime(text: str, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """An aware local datetime from 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, each
    optionally followed by a time (10:30, 10:30:00, 10时30分), an ISO datetime, an Excel date cell
    or an Excel serial number (45352 is 2024-03-01); None when unreadable. ``tz``: the time zone
    (default the current one; a file's checker looks it up once)."""
    plain = _PLAIN_RE.match(text)
    if plain is not None:  # ASCII already: NFKC and the rewrites in ``_naive`` leave it as it is
        try:
            year, month, day, hour, minute, second = (int(g or 0) for g in plain.groups())
            naive: dt.datetime | None = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:  # 2024-02-30
            naive = None
    else:
        naive = _naive(normalize(text))
    return timezone.make_aware(naive, tz) if naive is not None else None


def parse_date(text: str) -> dt.date | None:
    """The local date of ``parse_datetime``."""
    value = parse_datetime(text)
    return timezone.localtime(value).date() if value is not None else None


def parse_count(text: str) -> int | None:
    """A whole number not below 0: ``12``, ``1,234``, ``1,234``, ``12.0`` (as Excel may store it)."""
    t = normalize(text)
    if t.endswith(".0"):
        t = t[:-2]
    if not _COUNT_RE.match(t):
        return None
    return int(t.replace(",", ""))


def format_datetime(value: dt.datetime | None) -> str:
    """Local time: ``2019-09-01`` at midnight, else ``2019-09-01 10:30`` (seconds only when not zero)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M" if local.second == 0 else "%Y-%m-%d %H:%M:%S")


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


PARSED_MAX = 1000  # distinct words a ``Choices`` remembers having read


def _key(word: str) -> str:
    return normalize(word).lower()


class Choices:
    """The words a column of an enumeration may hold: each choice's Chinese label, its code value,
    its English label, and ``synonyms`` (word -> value) that clerks really write. Built on first
    use (the labels are translated), so a module may define its ``Choices`` at import."""

    def __init__(self, choices: Sequence[tuple[str, Any]], synonyms: Mapping[str, str] | None = None) -> None:
        self.choices = list(choices)
        self.synonyms = dict(synonyms or {})
        values = {value for value, _label in self.choices}
        for word, value in self.synonyms.items():
            if value not in values:
                raise ValueError(f"synonym {word!r} names no choice: {value!r}")
        self._parsed: dict[str, str | None] = {}

    @cached_property
    def labels(self) -> dict[str, str]:
        """value -> the Chinese label."""
        with translation.override(None):
            return {value: str(label) for value, label in self.choices}

    @cached_property
    def words(self) -> dict[str, str]:
        """Every accepted word, normalised and lower-cased -> value."""
        with translation.override("en"):
            english = {value: str(label) for value, label in self.choices}
        words: dict[str, str] = {}
        for value, chinese in self.labels.items():
            words[_key(chinese)] = value
            words.setdefault(_key(value), value)
            words.setdefault(_key(english[value]), value)
        for word, value in self.synonyms.items():
            words[_key(word)] = value
        return words

    def parse(self, word: str) -> str | None:
        """The value for ``word``; None when it is none of the accepted words (each distinct
        word is normalised once: a large file repeats the same few)."""
        seen = self._parsed
        if word in seen:
            return seen[word]
        value = self.words.get(_key(word))
        if len(seen) < PARSED_MAX:  # a file of made-up words does not grow it without end
            seen[word] = value
        return value

    def shown(self) -> str:
        """The Chinese labels, as an issue lists them: 来信、来访、来电、网络."""
        return "、".join(self.labels.values())

    def synonyms_of(self, value: str) -> list[str]:
        """The extra words that read as ``value`` (for the documentation and tests)."""
        return [w for w, v in self.words.items() if v == value and w != _key(self.labels[value])]


def synonyms(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{value: (word, ...)}`` turned into ``{word: value}``."""
    return {word: value for value, words in groups.items() for word in words}
