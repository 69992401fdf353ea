"""Files of the programme pages: the progress table, the reports in the upload format, the upload
template and the programme list, as xlsx or csv (UTF-8 with BOM so Excel reads it).

The reports export uses exactly the upload headers, so an exported file uploads unchanged.
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from minqing.core.exports import CSV_BOM, Format, NumberText, csv_writer, safe_row
from minqing.orgs.models import Unit
from minqing.programmes.importers.progress import HEADERS as UPLOAD_HEADERS
from minqing.programmes.models import Programme, ProgressReport, Target
from minqing.programmes.rollup import Figures, quantity_text
from minqing.programmes.selectors import ProgrammeProgress

TEMPLATE_UNITS_MAX = 500


def _plain(value: Any) -> Any:
    """Decimals without trailing zeros (so ``12.50`` is written ``12.5``), dates as ISO text."""
    if isinstance(value, Decimal):
        d = value.normalize()
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    value = _plain(value)
    return NumberText(f"{value:f}") if isinstance(value, Decimal) else value


def write_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, sheet: str = "Sheet1"
) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        return (CSV_BOM + out.getvalue()).encode()
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.append(safe_row(headers))
    for row in rows:
        ws.append(safe_row(_plain(v) for v in row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the progress table ----------------------------------------------------------------------


def progress_headers() -> list[str]:
    return [
        gettext("单位代码"),
        gettext("单位名称"),
        gettext("指标"),
        gettext("方式"),
        gettext("计量单位"),
        gettext("计划"),
        gettext("在建"),
        gettext("完工"),
        gettext("在建及完工"),
        gettext("在建及完工占计划"),
        gettext("完工占计划"),
        gettext("投入资金(万元)"),
        gettext("截至日期"),
    ]


def progress_rows(progress: ProgrammeProgress) -> list[list[Any]]:
    """The chosen unit's row per target (and mode), then each child unit's row per target."""
    rows: list[list[Any]] = []

    def line(unit: Unit, label: str, target: Target, mode: str, f: Figures) -> list[Any]:
        return [
            unit.code,
            label,
            target.name,
            mode,
            target.measure,
            f.plan,
            f.in_progress,
            f.completed,
            f.started,
            f.started_share_text,
            f.completed_share_text,
            f.funds,
            progress.as_of,
        ]

    unit = progress.unit
    for tp in progress.targets:
        rows.append(line(unit, unit.name, tp.target, "", tp.total))
        for mode, f in tp.modes:
            rows.append(line(unit, unit.name, tp.target, mode, f))
    for tp in progress.targets:
        if tp.own is not None:
            rows.append(line(unit, unit.name + gettext("(本级填报)"), tp.target, "", tp.own))
        for child, f in tp.children:
            rows.append(line(child, child.name, tp.target, "", f))
    return rows


def export_progress(progress: ProgrammeProgress, fmt: Format) -> bytes:
    return write_table(progress_headers(), progress_rows(progress), fmt, gettext("进度"))


# --- reports in the upload format ------------------------------------------------------------


def report_line(programme: Programme, r: ProgressReport) -> list[Any]:
    """One report as an upload row: 项目名称, 单位代码, 指标, 方式, 日期, 在建, 完工, 投入资金(万元)."""
    return [programme.name, r.unit.code, r.target.name, r.mode, r.date, r.in_progress, r.completed, r.funds]


def export_reports(programme: Programme, reports: QuerySet[ProgressReport], fmt: Format) -> bytes:
    rows = (report_line(programme, r) for r in reports.iterator(chunk_size=2000))
    return write_table(UPLOAD_HEADERS, rows, fmt, gettext("进度报告"))


# --- the upload template ---------------------------------------------------------------------


def template_rows(
    programme: Programme, units: Sequence[Unit], targets: Sequence[Target], today: dt.date
) -> list[list[Any]]:
    """A row for each unit, target and mode, with the date filled and the figures left blank."""
    rows = []
    for unit in units[:TEMPLATE_UNITS_MAX]:
        for t in targets:
            for mode in t.modes or [""]:
                rows.append([programme.name, unit.code, unit.name, t.name, mode, today, None, None, None])
    return rows


def upload_template(
    programme: Programme, units: Sequence[Unit], targets: Sequence[Target], today: dt.date
) -> bytes:
    """The xlsx to fill in: the rows to report (first sheet) and how to fill them (second sheet)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = gettext("进度填报")
    headers = [*UPLOAD_HEADERS[:2], gettext("单位名称"), *UPLOAD_HEADERS[2:]]
    ws.append(safe_row(headers))
    for row in template_rows(programme, units, targets, today):
        ws.append(safe_row(_plain(v) for v in row))
    for col, width in zip("ABCDEFGHI", (24, 16, 20, 16, 10, 12, 10, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet(gettext("填写说明"))
    for line in (
        gettext("每行填写一个单位、一个指标(及方式)截至“日期”的累计数:在建、完工和投入资金(万元)。"),
        gettext("同一单位、指标、方式和日期再次上传时,以新数据为准(更正)。"),
        gettext("在建、完工、投入资金均未填写的行将被跳过;其他行任何一处错误,整个文件都不导入。"),
        gettext("指标可填指标名称或指标代码;分方式的指标必须填写方式。"),
        gettext("日期不能晚于今天,也不能早于项目开始日期。“单位名称”列仅供参考,不导入。"),
        "",
    ):
        notes.append(safe_row([line]))
    notes.append(
        [gettext("指标代码"), gettext("指标名称"), gettext("计量单位"), gettext("方式"), gettext("计划")]
    )
    for t in targets:
        notes.append(safe_row([t.key, t.name, t.measure, "、".join(t.modes), quantity_text(t.plan_quantity)]))
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the programme list ----------------------------------------------------------------------


def export_programmes(programmes: Iterable[Programme], fmt: Format) -> bytes:
    headers = [
        gettext("项目名称"),
        gettext("项目单位代码"),
        gettext("项目单位"),
        gettext("专题"),
        gettext("开始日期"),
        gettext("结束日期"),
        gettext("指标数"),
    ]
    rows = (
        [
            p.name,
            p.owner.code,
            p.owner.name,
            p.campaign.name if p.campaign else "",
            p.start_date,
            p.end_date or "",
            getattr(p, "target_count", ""),
        ]
        for p in programmes
    )
    return write_table(headers, rows, fmt, gettext("项目"))
