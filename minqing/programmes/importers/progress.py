"""Progress from a spreadsheet (.xlsx or .csv): one row per unit, target (and mode) and date.

Columns (Chinese headers, English aliases): 项目名称 (required from the command line; on a
programme's upload page optional, and if filled must name that programme), 单位代码, 指标 (the
target's code or name), 方式 (required exactly when the target has modes), 日期, 在建, 完工,
投入资金(万元). Each row is the unit's cumulative position as of 日期 (see ``models``). Other
columns (e.g. 单位名称 in the template) are ignored. A row whose three figures are all blank is
skipped (the template lists every unit and target); a blank figure on a row with others filled
is an error.

The whole file is checked first; any bad row rejects the whole file, every issue named
(第 N 行,列“X”:原因), and nothing is written. Otherwise every row is written in one
transaction with one audit record. Figures above a unit's plan are accepted and listed as notes.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import ImportFailed, ImportResult, issue
from minqing.core.importing.rows import RowCheck, writing
from minqing.core.models import AuditEvent
from minqing.core.tabular import Column, ColumnMap, Record, map_columns, read_table
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.programmes.models import Programme, Target
from minqing.programmes.rollup import PlanTree
from minqing.programmes.services.programmes import QUANTITY_PLACES, check_amount, check_in_programme
from minqing.programmes.services.progress import (
    FUNDS_PLACES,
    can_report,
    check_report_date,
    check_report_mode,
    over_plan_warning,
    save_report,
)

COLUMNS = (
    Column("programme", "项目名称", ("programme", "项目")),
    Column("unit_code", "单位代码", ("unit_code", "unit", "code"), required=True),
    Column("target", "指标", ("target", "指标名称", "指标代码"), required=True),
    Column("mode", "方式", ("mode",)),
    Column("date", "日期", ("date", "截至日期", "填报日期"), required=True),
    Column("in_progress", "在建", ("in_progress",), required=True),
    Column("completed", "完工", ("completed",), required=True),
    Column("funds", "投入资金(万元)", ("funds", "投入资金", "投入资金(万元)"), required=True),
)
HEADERS = [c.header for c in COLUMNS]
FIGURES = ("in_progress", "completed", "funds")
NUMBER_RE = re.compile(r"\d{1,12}(\.\d+)?")
GROUPING = re.compile(r"[,,\s]")
NOTES_MAX = 50


@dataclass(frozen=True)
class Row:
    number: int
    target: Target
    unit: Unit
    mode: str
    date: dt.date
    in_progress: Decimal
    completed: Decimal
    funds: Decimal


class ProgressFileCheck(RowCheck):
    """``RowCheck`` with the programme, target, mode and date rules of a progress file."""

    def __init__(self, cmap: ColumnMap, actor: Actor, programme: Programme | None) -> None:
        super().__init__(cmap, actor)
        self.programme = programme
        self._programmes: dict[str, Programme | None] = {}
        self._targets: dict[int, dict[str, Target]] = {}

    def programme_of(self, rec: Record) -> Programme | None:
        name = rec["programme"]
        if self.programme is not None:
            if name and name != self.programme.name:
                self.add(rec.row, "programme", name, ErrorCode.PROGRAMME_OTHER, programme=self.programme.name)
            return self.programme
        if not name:
            self.add(rec.row, "programme", name, ErrorCode.IMPORT_REQUIRED)
            return None
        if name not in self._programmes:
            self._programmes[name] = Programme.objects.select_related("owner").filter(name=name).first()
        found = self._programmes[name]
        if found is None:
            self.add(rec.row, "programme", name, ErrorCode.PROGRAMME_UNKNOWN)
        return found

    def reporting_unit(self, rec: Record, programme: Programme | None) -> Unit | None:
        code = rec["unit_code"]
        unit = self.unit(rec, "unit_code")
        if unit is None:
            return None
        if not can_report(self.actor, unit):
            self.add(rec.row, "unit_code", code, ErrorCode.PERMISSION_DENIED)
            return None
        if programme is not None and not self.obeys(
            rec.row, "unit_code", code, lambda: check_in_programme(programme, unit)
        ):
            return None
        return unit

    def target(self, rec: Record, programme: Programme | None) -> Target | None:
        text = rec["target"]
        if not text:
            self.add(rec.row, "target", text, ErrorCode.IMPORT_REQUIRED)
            return None
        if programme is None:
            return None
        if programme.pk not in self._targets:
            found: dict[str, Target] = {}
            for t in Target.objects.filter(programme=programme).select_related("programme__owner"):
                found[t.key.lower()] = t
                found[t.name] = t
            self._targets[programme.pk] = found
        target = self._targets[programme.pk].get(text) or self._targets[programme.pk].get(text.lower())
        if target is None:
            self.add(rec.row, "target", text, ErrorCode.PROGRAMME_UNKNOWN_TARGET)
        return target

    def mode(self, rec: Record, target: Target | None) -> str | None:
        if target is None:
            return None
        try:
            return check_report_mode(target, rec["mode"])
        except DomainError as err:
            self.add_error(rec.row, "mode", rec["mode"], err)
            return None

    def report_date(self, rec: Record, programme: Programme | None) -> dt.date | None:
        text = rec["date"]
        day = self.date(rec, "date", required=True)
        if day is None:
            return None
        if programme is not None and not self.obeys(
            rec.row, "date", text, lambda: check_report_date(programme, day)
        ):
            return None
        return day

    def amount(self, rec: Record, key: str, places: int) -> Decimal | None:
        text = rec[key]
        if not text:
            self.add(rec.row, key, text, ErrorCode.IMPORT_REQUIRED)
            return None
        plain = GROUPING.sub("", text)
        try:
            if not NUMBER_RE.fullmatch(plain):
                raise InvalidOperation(plain)
            return check_amount(Decimal(plain), places)
        except (InvalidOperation, DomainError):
            self.add(rec.row, key, text, ErrorCode.PROGRAMME_BAD_NUMBER, places=places)
            return None

    def read(self, rec: Record) -> Row | None:
        before = len(self.issues)
        programme = self.programme_of(rec)
        unit = self.reporting_unit(rec, programme)
        target = self.target(rec, programme)
        mode = self.mode(rec, target)
        day = self.report_date(rec, programme)
        ip = self.amount(rec, "in_progress", QUANTITY_PLACES)
        done = self.amount(rec, "completed", QUANTITY_PLACES)
        funds = self.amount(rec, "funds", FUNDS_PLACES)
        if len(self.issues) > before:
            return None
        assert unit and target and mode is not None and day and ip is not None and done is not None
        assert funds is not None
        key = (target.pk, unit.pk, mode, day)
        if not self.once(rec, "unit_code", key, rec["unit_code"], ErrorCode.PROGRAMME_DUPLICATE_ROW.template):
            return None
        return Row(rec.row, target, unit, mode, day, ip, done, funds)


def check_file(
    path: Path, *, actor: Actor, programme: Programme | None, progress: bool = False
) -> tuple[list[Row], int]:
    """Every row of ``path`` checked (``ImportFailed`` with every issue), and the blank rows skipped."""
    table = read_table(path, progress=progress)
    cmap = map_columns(table.headers, COLUMNS)
    if programme is None and not cmap.has("programme"):
        raise ImportFailed([issue(None, cmap.headers["programme"], "", ErrorCode.IMPORT_MISSING_COLUMN)])
    check = ProgressFileCheck(cmap, actor, programme)
    rows: list[Row] = []
    skipped = 0
    for rec in cmap.records(table):
        if not any(rec[k] for k in FIGURES):
            skipped += 1
            continue
        row = check.read(rec)
        if row is not None:
            rows.append(row)
    check.finish()
    return rows, skipped


def progress_bulk_upload(
    *, actor: Actor, path: Path, programme: Programme | None = None, progress: bool = False
) -> ImportResult:
    """Check the whole file, then write every row in one transaction (or nothing at all)."""
    rows, skipped = check_file(path, actor=actor, programme=programme, progress=progress)
    result = ImportResult()
    warnings: list[str] = []
    trees: dict[tuple[int, str], PlanTree] = {}
    with writing():
        for r in rows:
            _report, outcome = save_report(
                actor=actor,
                target=r.target,
                unit=r.unit,
                date=r.date,
                in_progress=r.in_progress,
                completed=r.completed,
                funds=r.funds,
                mode=r.mode,
            )
            setattr(result, outcome, getattr(result, outcome) + 1)
            warning = over_plan_warning(r.target, r.unit, r.mode, r.in_progress, r.completed, trees)
            if warning:
                warnings.append(gettext("第 {row} 行:{warning}").format(row=r.number, warning=warning))
        audit(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="programmes.progressreport",
            object_id=str(programme.pk) if programme else "",
            detail=f"{path.name}: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}",
        )
    if skipped:
        result.notes.append(gettext("跳过 {n} 行(在建、完工和投入资金均未填写)").format(n=skipped))
    if warnings:
        result.notes.append(gettext("以下 {n} 行超过计划(已导入,请核实):").format(n=len(warnings)))
        result.notes += warnings[:NOTES_MAX]
        if len(warnings) > NOTES_MAX:
            result.notes.append(gettext("……另有 {n} 行").format(n=len(warnings) - NOTES_MAX))
    return result


def import_progress(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """``minqing import progress FILE``: the 项目名称 column names each row's programme."""
    return progress_bulk_upload(actor=actor, path=path, programme=None, progress=progress)
