"""XLSX of a bulletin (openpyxl): a sheet with every figure (id, label, value, word, definition),
then one sheet per metric group with its figures and the table behind them (``tables``)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from minqing.core.exports import safe_row
from minqing.reports.bulletins.document import BulletinDoc, FigureRow
from minqing.reports.bulletins.formatting import format_value
from minqing.reports.bulletins.renderers.tables import PROVIDERS, Table

BOLD = Font(bold=True)


def _header(ws: Worksheet, values: list[str]) -> None:
    ws.append(safe_row(values))
    for cell in ws[ws.max_row]:
        cell.font = BOLD


def _figure_rows(ws: Worksheet, figures: list[FigureRow], printed: set[str]) -> None:
    _header(
        ws, [_("指标编号"), _("指标"), _("数值"), _("计数单位"), _("简报中写作"), _("定义"), _("写入正文")]
    )
    for f in figures:
        ws.append(
            safe_row(
                [
                    f.id,
                    f.label_shown,
                    f.value,
                    f.word_shown,
                    format_value(f.value, f.kind, word=f.word),
                    f.definition_shown,
                    _("是") if f.id in printed else "",
                ]
            )
        )
        if f.kind == "share":
            ws.cell(ws.max_row, 3).number_format = "0.0%"


def _table(ws: Worksheet, table: Table) -> None:
    ws.append([])
    ws.append(safe_row([table.title]))
    ws.cell(ws.max_row, 1).font = BOLD
    _header(ws, table.headers)
    for row in table.rows:
        ws.append(safe_row(row))
    if table.note:
        ws.append(safe_row([table.note]))


def _widths(ws: Worksheet) -> None:
    for letter, width in zip("ABCDEFG", (34, 28, 12, 10, 14, 48, 10), strict=True):
        ws.column_dimensions[letter].width = width


def render_xlsx(doc: BulletinDoc) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("全部指标")
    ws.append(safe_row([doc.title]))
    ws.cell(1, 1).font = BOLD
    ws.append(safe_row([_("单位"), f"{doc.unit_name}({doc.unit_code})"]))
    ws.append(safe_row([_("专题"), doc.campaign_name]))
    ws.append(safe_row([_("截止日期"), doc.as_of.isoformat()]))
    ws.append([])
    printed = set(doc.printed)
    _figure_rows(ws, doc.figures, printed)
    _widths(ws)
    for group, figures in doc.groups().items():
        sheet = wb.create_sheet(title=group[:31])
        _figure_rows(sheet, figures, printed)
        provider = PROVIDERS.get(group)
        if provider is not None and doc.context is not None:
            _table(sheet, provider(doc.context))
        _widths(sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
