"""``minqing import reforms FILE``: the 改革举措 format (docs/import-formats.md).

部门代码, 部门名称 (ignored), 举措名称, 是否重点, 状态, 专题名称, 启动日期, 成果日期, 成果内容.
One row per result: a measure with three results takes three rows that repeat the measure's
columns (which must agree), a measure without results one row with the result columns blank.
Key of a measure: 部门代码 + 举措名称; of a result: the measure + 成果日期 + 成果内容. Results
are only added, never removed. 是否重点 blank: 否; 状态 blank: 未启动.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from minqing.catalogues.formats import REFORMS
from minqing.catalogues.importers._common import CatalogueCheck, start, write
from minqing.catalogues.models import ReformStatus
from minqing.catalogues.services._common import KeyedRow, UpsertResult
from minqing.catalogues.services.reforms import (
    RESULT_MAX,
    TITLE_MAX,
    ResultRow,
    reform_row,
    reforms_upsert,
)
from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.values import Choices
from minqing.core.tabular import Record
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

STATUSES = Choices(ReformStatus.choices, {"进行中": ReformStatus.IN_PROGRESS, "完成": ReformStatus.COMPLETED})
MEASURE_KEYS = ("is_key", "status", "campaign", "started_on")


@dataclass
class Seen:
    rec: Record
    values: dict[str, Any]


def _result(check: CatalogueCheck, rec: Record) -> tuple[dt.date | None, str]:
    """成果日期 and 成果内容: both or neither."""
    date = check.date(rec, "result_date")
    text = check.text(rec, "result_text", RESULT_MAX)
    if rec["result_date"] and not text:
        check.add(rec.row, "result_text", text, ErrorCode.CATALOGUE_RESULT_INCOMPLETE)
    elif text and not rec["result_date"]:
        check.add(rec.row, "result_date", "", ErrorCode.CATALOGUE_RESULT_INCOMPLETE)
    return date, text


def read(
    check: CatalogueCheck, rec: Record, seen: dict[tuple[int, str], Seen]
) -> tuple[KeyedRow | None, ResultRow | None]:
    before = len(check.issues)
    unit: Unit | None = check.writable_unit(rec, "unit_code")
    title = check.text(rec, "title", TITLE_MAX, required=True)
    values: dict[str, Any] = {}
    if check.cmap.has("is_key"):
        values["is_key"] = check.flag(rec, "is_key", False)
    if check.cmap.has("status"):
        values["status"] = check.choice(rec, "status", STATUSES, default=ReformStatus.NOT_STARTED)
    if check.cmap.has("campaign"):
        values["campaign"] = check.campaign(rec, "campaign")
    if check.cmap.has("started_on"):
        values["started_on"] = check.date(rec, "started_on")
    date, text = _result(check, rec)
    if len(check.issues) > before or unit is None:
        return None, None
    key = (unit.pk, title)
    first = seen.get(key)
    row: KeyedRow | None = None
    if first is None:
        seen[key] = Seen(rec, values)
        row = reform_row(unit=unit, title=title, values=values)
    else:
        for k in MEASURE_KEYS:
            if k in values and values[k] != first.values[k]:
                check.add(
                    rec.row,
                    k,
                    rec[k],
                    ErrorCode.CATALOGUE_ROWS_DISAGREE,
                    first=first.rec.row,
                    other=first.rec[k],
                )
    result = None
    if date is not None and text and check.once(rec, "result_text", (unit.pk, title, date, text), text):
        result = ResultRow(unit=unit, title=title, date=date, text=text)
    return row, result


def import_reforms(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create or update its measures and add its results."""
    check, records = start(path, REFORMS, actor, progress)
    seen: dict[tuple[int, str], Seen] = {}
    rows: list[KeyedRow] = []
    results: list[ResultRow] = []
    for rec in records:
        row, result = read(check, rec, seen)
        if row is not None:
            rows.append(row)
        if result is not None:
            results.append(result)
    check.finish()
    done: list[UpsertResult] = []

    def run() -> UpsertResult:
        done.append(reforms_upsert(actor=actor, rows=rows, results=results, source=path.name))
        return done[-1]

    out = write(run)
    out.notes.append(
        _("改革成果:新增 {added} 条,已有 {kept} 条").format(
            added=done[-1].results_added, kept=len(results) - done[-1].results_added
        )
    )
    return out
