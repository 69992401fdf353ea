"""Reading the UTF-8 CSV inputs of ``minqing nlp duplicates`` and ``hot-topics`` with clear
bilingual errors (a wrong header, a row with the wrong number of columns, a missing id)."""

import csv
from pathlib import Path

from minqing.core.errors import DomainError, ErrorCode


def read_rows(path: Path, header: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank data row; the header must be exactly ``header``
    and every id (first column) non-empty and unique."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, path=path, reason=exc) from exc
    found = tuple(c.strip() for c in rows[0]) if rows else ()
    if found != header:
        raise DomainError(
            ErrorCode.NLP_CSV_HEADER, path=path, expected=",".join(header), header=",".join(found)
        )
    out: list[tuple[int, list[str]]] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise DomainError(
                ErrorCode.NLP_CSV_COLUMNS, path=path, line=line, count=len(row), expected=len(header)
            )
        key = row[0].strip()
        if not key:
            raise DomainError(ErrorCode.NLP_EMPTY_ID, path=path, line=line)
        if key in seen:
            raise DomainError(ErrorCode.NLP_REPEATED_ID, path=path, line=line, value=key)
        seen.add(key)
        out.append((line, [key, *row[1:]]))
    if not out:
        raise DomainError(ErrorCode.NLP_EMPTY_FILE, path=path)
    return out
