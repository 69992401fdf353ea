"""Helpers for the import tests: write a CSV or XLSX file, run an importer, read its issues."""

import csv
from pathlib import Path

import pytest

from minqing.core.importing import ImportFailed, ImportIssue, ImportResult, get_importer
from minqing.orgs.actors import SYSTEM, Actor


def write(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(headers)
        for r in rows:
            ws.append(r)
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(headers)
            w.writerows(rows)
    return path


def run(kind: str, path: Path, actor: Actor = SYSTEM) -> ImportResult:
    return get_importer(kind)(path, actor=actor)


def fails(kind: str, path: Path, actor: Actor = SYSTEM) -> list[ImportIssue]:
    with pytest.raises(ImportFailed) as exc:
        get_importer(kind)(path, actor=actor)
    return exc.value.issues


def where(issues: list[ImportIssue]) -> list[tuple[int | None, str]]:
    return [(i.row, i.column) for i in issues]
