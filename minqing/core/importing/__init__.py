"""What every ``minqing import KIND FILE`` shares: the registry of importers, row issues, results.

An importer is a function ``(path, *, actor, progress=False) -> ImportResult`` that reads the
whole file, checks every row, and either writes everything (in one transaction, or for a large
file on SQLite in short ones taken back on failure: ``batches``) or raises ``ImportFailed`` with
every issue it found (and writes nothing). Each importer lives in the app
that owns its data (``<app>/importers/``) and is built on ``rows.RowCheck`` (the row checker)
and ``values`` (the cell parsers); a new kind adds one line to ``IMPORTERS``.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import override

from minqing.core.errors import ErrorCode

if TYPE_CHECKING:
    from minqing.orgs.actors import Actor

IMPORTERS: dict[str, str] = {
    "units": "minqing.orgs.importers.units.import_units",
    "problems": "minqing.ledger.importers.problems.import_problems",
    "campaigns": "minqing.campaigns.importers.campaigns.import_campaigns",
    "people": "minqing.orgs.importers.people.import_people",
    "activities": "minqing.activities.importers.activities.import_activities",
    "attendance": "minqing.activities.importers.attendance.import_attendance",
    "progress": "minqing.programmes.importers.progress.import_progress",
    "powers": "minqing.catalogues.importers.powers.import_powers",
    "reforms": "minqing.catalogues.importers.reforms.import_reforms",
    "commendations": "minqing.catalogues.importers.commendations.import_commendations",
}


@dataclass(frozen=True)
class ImportIssue:
    """One problem in a file: spreadsheet row (header = 1; None for the whole file), column, value, reason."""

    row: int | None
    column: str
    value: str
    reason: str | Promise  # lazy: rendered in the language active when printed

    def bilingual(self) -> str:
        """The issue in the active language (Chinese by default), then in English."""
        text = str(self)
        with override("en"):
            english = str(self)
        return text if english == text else f"{text}  ({english})"

    def __str__(self) -> str:
        if self.row is None:
            return _("列“{column}”:{reason}").format(column=self.column, reason=self.reason)
        return _("第 {row} 行,列“{column}”:{reason}").format(
            row=self.row, column=self.column, reason=self.reason
        )


def issue(row: int | None, column: str, value: str, code: ErrorCode, **params: Any) -> ImportIssue:
    """An issue whose reason is ``code``'s message, formatted with ``value`` and ``params``."""
    return ImportIssue(row, column, value, format_lazy(code.template, value=value, **params))


class ImportFailed(Exception):
    """The file was not imported; ``issues`` lists every reason, in row order."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = sorted(issues, key=lambda i: i.row or 0)
        super().__init__("\n".join(str(i) for i in self.issues))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = _("导入完成:新增 {created} 条,更新 {updated} 条,未变 {unchanged} 条").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged
        )
        if self.moved:
            text += _(",调整上级 {moved} 条").format(moved=self.moved)
        return text


class Importer(Protocol):
    def __call__(self, path: Path, *, actor: "Actor", progress: bool = False) -> ImportResult: ...


def get_importer(kind: str) -> Importer:
    """The importer of ``kind``, audited: one IMPORT row per call, whatever the outcome."""
    from minqing.core.importing.audited import audited

    importer: Importer = audited(kind, import_string(IMPORTERS[kind]))
    return importer
