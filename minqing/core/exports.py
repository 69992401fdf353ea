"""The shared parts of every export: the two formats and their content types, the BOM that makes
Excel read a UTF-8 csv as UTF-8, the one cell cleaner every written cell goes through
(``safe_cell``, ``safe_row``, ``csv_writer``), the page's filters for its export links, and the
download response (dated file name, attachment, never cached). Each app writes its own rows.

Cell cleaning (OWASP "CSV injection"): a text cell that starts with ``= + - @``, a tab or a
carriage return gets one leading ``'``, so Excel and WPS show it as text instead of running it as
a formula (openpyxl too writes it as a string then). Text that is only a signed number (``-3``,
``-12.5%``, ``+86 138 0000 1111``) or a lone ``-`` is left alone: no formula can hide in it. The
characters an xlsx cannot hold (control characters other than tab, line feed and carriage
return) are dropped. Numbers and dates stay as they are: a negative number is not text.
``unquote_cell`` undoes the quote when a file is read back, so an export re-imports unchanged.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal, Protocol

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from minqing.core.audit_context import count_rows

Format = Literal["xlsx", "csv"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_BOM = "\ufeff"  # so Excel opens the UTF-8 file as UTF-8
FORMULA_STARTS = frozenset("=+-@\t\r")  # a cell starting with one of these may run as a formula
QUOTE = "'"
SIGNED_NUMBER_RE = re.compile(r"[+-][0-9 .,%]*")  # digits, spaces, separators: no formula inside


def _looks_like_formula(text: str) -> bool:
    # quotes already in front count too, so that unquote_cell(safe_cell(x)) == x for every text
    text = text.lstrip(QUOTE)
    return text[:1] in FORMULA_STARTS and not SIGNED_NUMBER_RE.fullmatch(text)


class NumberText(str):
    """A number or date already written as text (``-2.5``): ``safe_cell`` leaves it as it is."""


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a csv or xlsx cell (see the module's docstring)."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if not isinstance(value, str) or isinstance(value, NumberText):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return QUOTE + text if text and _looks_like_formula(text) else text


def unquote_cell(text: str) -> str:
    """The text ``safe_cell`` was given: drops the quote it added (and only that one)."""
    if text.startswith(QUOTE) and _looks_like_formula(text[1:]):
        return text[1:]
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every written row passes here: it is also counted for the export's audit row."""
    count_rows()
    return [safe_cell(v) for v in values]


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))


def csv_writer(out: _Writable) -> SafeCsvWriter:
    """The writer every csv export uses (never ``csv.writer`` directly)."""
    return SafeCsvWriter(out)


class _Echo:
    def write(self, s: str, /) -> str:
        return s


def csv_line_writer() -> SafeCsvWriter:
    """A ``csv_writer`` whose ``writerow`` returns the line instead of writing it (a streamed or
    joined csv)."""
    return SafeCsvWriter(_Echo())


def export_query(request: HttpRequest) -> str:
    """The page's filters as a query string for its export links (without page and format)."""
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return query.urlencode()


def _as_attachment(response: HttpResponse | StreamingHttpResponse, fmt: str, name: str) -> None:
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"


def download(body: bytes, fmt: str, name: str) -> HttpResponse:
    """``body`` as the file ``<name>-<today>.<fmt>``."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    _as_attachment(response, fmt, name)
    return response


def download_stream(chunks: Iterator[bytes], fmt: str, name: str) -> StreamingHttpResponse:
    """As ``download``, written while the rows are read (a long csv)."""
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    _as_attachment(response, fmt, name)
    return response
