"""Read a spreadsheet the way an office exports it: .xlsx, or .csv in UTF-8 (with or without BOM) or GBK.

The first row holds the headers; every cell is trimmed text; blank rows are skipped but keep
their number, so a row number is the one Excel shows (header = row 1). Columns are matched by
their Chinese header or an English alias, ignoring case, spaces and a trailing ``*``. The quote an
export puts before text that looks like a formula is dropped (``unquote_cell``). A formula in an
xlsx is refused with its cell named, never read as empty or as its last computed value.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from tqdm import tqdm

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.exports import QUOTE, unquote_cell
from minqing.core.importing import ImportFailed, ImportIssue, issue
from minqing.core.xlsx_guard import DAMAGE, Limits, check_xlsx

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header written by exports
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


@dataclass(frozen=True)
class Record:
    """One row, cells by column key; absent columns read as empty."""

    row: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class ColumnMap:
    index: dict[str, int]  # key -> position in the row
    headers: dict[str, str]  # key -> header as written in the file (or the Chinese header if absent)

    def has(self, key: str) -> bool:
        return key in self.index

    def records(self, table: Table) -> Iterator[Record]:
        keys, positions = list(self.index), list(self.index.values())
        width = max(positions, default=-1) + 1
        # a row as wide as the columns it holds (most): its cells taken at once
        take = itemgetter(*positions) if len(positions) > 1 else None
        for number, cells in table.rows:
            if take is not None and len(cells) >= width:
                yield Record(number, dict(zip(keys, take(cells), strict=True)))
            else:
                yield Record(number, {k: cells[i] if i < len(cells) else "" for k, i in self.index.items()})


def normalize_header(header: str) -> str:
    return re.sub(r"[\s*＊]+", "", header).lower()


def cell_text(value: Any) -> str:
    if type(value) is str:  # every csv cell, most xlsx ones: the last case below, without the tests
        if "\ufeff" in value:
            value = value.replace("\ufeff", "")
        value = value.strip()
        # only a cell starting with the export's quote can change in ``unquote_cell``
        return unquote_cell(value).strip() if value[:1] == QUOTE else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return unquote_cell(str(value).replace("\ufeff", "").strip()).strip()


def _progress(
    rows: Iterable[Sequence[Any]], total: int | None, name: str, show: bool
) -> Iterator[Sequence[Any]]:
    yield from tqdm(rows, total=total, desc=name, unit="行", disable=not show, leave=False)


def _too_many_rows(name: str) -> DomainError:
    return DomainError(ErrorCode.IMPORT_TOO_MANY_ROWS, path=name, max=settings.MINQING_IMPORT_MAX_ROWS)


def _check_size(path: Path, size: int) -> None:
    """A CSV over ``MINQING_IMPORT_MAX_MB`` is refused unread (an xlsx: ``xlsx_guard``)."""
    limit = settings.MINQING_IMPORT_MAX_MB
    if size > limit * 1024 * 1024:
        raise DomainError(ErrorCode.IMPORT_TOO_LARGE, path=path.name, max=limit)


def _collect(name: str, raw: Iterable[Sequence[Any]], total: int | None, progress: bool) -> Table:
    """The header and the non-empty rows; past ``MINQING_IMPORT_MAX_ROWS`` rows (blank ones
    included: they cost as much to read) the file is refused without reading on."""
    limit = settings.MINQING_IMPORT_MAX_ROWS
    if total is not None and total - 1 > limit:
        raise _too_many_rows(name)
    it = iter(_progress(raw, total, name, progress))
    header_row = next(it, None)
    if header_row is None:
        raise ImportFailed([issue(1, "", "", ErrorCode.IMPORT_EMPTY_FILE)])
    headers = [cell_text(h) for h in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFailed([issue(1, "", "", ErrorCode.IMPORT_EMPTY_FILE)])
    table = Table(name=name, headers=headers)
    for number, row in enumerate(it, start=2):
        if number - 1 > limit:
            raise _too_many_rows(name)
        cells = [cell_text(v) for v in row]
        if any(cells):
            table.rows.append((number, cells))
    return table


def _read_csv(path: Path, progress: bool) -> Table:
    _check_size(path, path.stat().st_size)
    data = path.read_bytes()  # at most MINQING_IMPORT_MAX_MB
    # lines counted on the bytes, before decoding (a newline byte is one in UTF-8 and GB18030)
    total = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if total - 1 > settings.MINQING_IMPORT_MAX_ROWS:
        raise _too_many_rows(path.name)
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(
            ErrorCode.IMPORT_FILE_UNREADABLE, path=path.name, reason=_("既不是 UTF-8 也不是 GBK 编码")
        )
    return _collect(path.name, csv.reader(io.StringIO(text, newline="")), total, progress)


@dataclass(frozen=True)
class _Formula:
    row: int
    column: int  # 0-based
    text: str


def _xlsx_values(rows: Iterable[Sequence[Any]], formulas: list[_Formula]) -> Iterator[list[Any]]:
    """Each row's values; a formula cell reads as empty and is noted in ``formulas``."""
    for number, row in enumerate(rows, start=1):
        values: list[Any] = []
        for i, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formulas.append(_Formula(number, i, str(cell.value)))
                values.append(None)
            else:
                values.append(getattr(cell, "value", None))
        yield values


def _formula_issues(table: Table, formulas: list[_Formula]) -> list[ImportIssue]:
    def column(f: _Formula) -> str:
        return table.headers[f.column] if f.column < len(table.headers) else get_column_letter(f.column + 1)

    return [issue(f.row, column(f), f.text, ErrorCode.IMPORT_FORMULA_CELL) for f in formulas]


def _limits() -> Limits:
    return Limits(
        max_bytes=settings.MINQING_IMPORT_MAX_MB * 1024 * 1024, max_rows=settings.MINQING_IMPORT_MAX_ROWS
    )


def _read_xlsx(path: Path, progress: bool) -> Table:
    from openpyxl import load_workbook

    # a zip bomb, a forged header or a sheet past the row cap is refused before openpyxl reads it
    check_xlsx(path, _limits())
    try:
        # not data_only: a formula must be seen as one (saved by a program other than Excel it has
        # no computed value, and data_only would read it as empty)
        wb = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, path=path.name, reason=str(exc)) from exc
    try:
        ws = wb.worksheets[0]
        formulas: list[_Formula] = []
        table = _collect(path.name, _xlsx_values(ws.iter_rows(), formulas), ws.max_row, progress)
    except DAMAGE as exc:  # damage found only while the sheet is read
        raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, path=path.name, reason=str(exc)) from exc
    finally:
        wb.close()
    if formulas:
        raise ImportFailed(_formula_issues(table, formulas))
    return table


def read_table(path: Path, *, progress: bool = False) -> Table:
    """The whole first sheet of ``path``; ``progress`` shows a tqdm bar on stderr."""
    if not path.is_file():
        raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, path=str(path), reason=_("文件不存在"))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, progress)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, progress)
    raise DomainError(ErrorCode.IMPORT_UNSUPPORTED_FILE, value=path.suffix or path.name)


def map_columns(headers: Sequence[str], columns: Sequence[Column]) -> ColumnMap:
    """Find each column by its header or an alias; raises ``ImportFailed`` for missing or repeated ones."""
    wanted: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, col.key, *col.aliases):
            wanted[normalize_header(name)] = col
    found = ColumnMap(index={}, headers={})
    issues: list[ImportIssue] = []
    for i, header in enumerate(headers):
        match = wanted.get(normalize_header(header))
        if match is None:
            continue
        if match.key in found.index:
            first = found.index[match.key]
            issues.append(
                issue(
                    1,
                    header,
                    header,
                    ErrorCode.IMPORT_DUPLICATE_COLUMN,
                    first=first + 1,
                    other=headers[first],
                )
            )
            continue
        found.index[match.key] = i
        found.headers[match.key] = header
    for col in columns:
        if col.key not in found.index:
            found.headers[col.key] = col.header
            if col.required:
                issues.append(issue(None, col.header, "", ErrorCode.IMPORT_MISSING_COLUMN))
    if issues:
        raise ImportFailed(issues)
    return found
