"""The three catalogue file formats, shared by ``minqing import powers|reforms|commendations``
and the exports (docs/import-formats.md).

Chinese headers (English aliases accepted on import), values in Chinese words (权力类别
行政许可 …, 状态 未启动 / 推进中 / 已完成, 是 / 否), dates as 2015-06-30. An export writes every
value the one canonical way, so it re-imports unchanged. The 部门名称 / 单位名称 columns are
written for the reader and ignored on import (the code decides).
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from minqing.catalogues.models import PowerCategory, ReformStatus
from minqing.core.exports import CSV_BOM, csv_line_writer, safe_row
from minqing.core.exports import Format as ExportFormat
from minqing.core.tabular import Column

YES, NO = "是", "否"


@dataclass(frozen=True)
class FileFormat:
    sheet: str  # the sheet's name and the export's file name
    columns: tuple[Column, ...]
    date_keys: frozenset[str]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


UNIT_ALIASES = ("unit_code", "unit", "单位代码", "部门代码", "department_code", "department")

POWERS = FileFormat(
    sheet="权力清单",
    columns=(
        Column("unit_code", "部门代码", UNIT_ALIASES, required=True),
        Column("unit_name", "部门名称", ("unit_name", "department_name", "单位名称")),
        Column("category", "权力类别", ("category", "类别", "权力类型"), required=True),
        Column("name", "事项名称", ("name", "item", "item_name", "权力事项", "事项"), required=True),
        Column("code", "事项编码", ("code", "item_code", "编码")),
        Column("legal_basis", "设定依据", ("legal_basis", "basis", "法律依据", "依据")),
        Column("published_on", "公布日期", ("published_on", "published", "发布日期")),
        Column("is_active", "是否有效", ("is_active", "active", "有效")),
    ),
    date_keys=frozenset({"published_on"}),
)

REFORMS = FileFormat(
    sheet="改革举措",
    columns=(
        Column("unit_code", "部门代码", (*UNIT_ALIASES, "牵头部门代码"), required=True),
        Column("unit_name", "部门名称", ("unit_name", "department_name", "牵头部门", "单位名称")),
        Column("title", "举措名称", ("title", "measure", "改革举措", "举措"), required=True),
        Column("is_key", "是否重点", ("is_key", "key", "重点", "重点改革")),
        Column("status", "状态", ("status", "推进状态")),
        Column("campaign", "专题名称", ("campaign", "专题")),
        Column("started_on", "启动日期", ("started_on", "start_date", "start", "开始日期")),
        Column("result_date", "成果日期", ("result_date", "result_on")),
        Column("result_text", "成果内容", ("result_text", "result", "改革成果", "成果")),
    ),
    date_keys=frozenset({"started_on", "result_date"}),
)

COMMENDATIONS = FileFormat(
    sheet="表彰",
    columns=(
        Column("name", "姓名", ("name", "person_name", "受表彰人")),
        Column("person_number", "人员编号", ("person_number", "person", "number")),
        Column("unit_code", "单位代码", ("unit_code", "unit", "所在单位代码"), required=True),
        Column("unit_name", "单位名称", ("unit_name", "所在单位")),
        Column("title", "荣誉称号", ("title", "honour", "honor", "称号", "表彰名称"), required=True),
        Column("date", "表彰日期", ("date", "awarded_on", "日期"), required=True),
        Column("decided_on", "表彰决定日期", ("decided_on", "decision_date", "决定日期")),
        Column("awarded_by", "授予机关", ("awarded_by", "awarding_body", "表彰机关", "授予单位")),
        Column("campaign", "专题名称", ("campaign", "专题")),
    ),
    date_keys=frozenset({"date", "decided_on"}),
)


def chinese(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """value -> its Chinese word (the untranslated label), whatever language is active."""
    with translation.override(None):
        return {value: str(label) for value, label in choices}


def category_word(value: str) -> str:
    return chinese(PowerCategory.choices)[value]


def status_word(value: str) -> str:
    return chinese(ReformStatus.choices)[value]


def yes_no(value: bool) -> str:
    return YES if value else NO


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def write_csv(fmt: FileFormat, rows: Iterable[dict[str, str]]) -> bytes:
    """UTF-8 csv with a BOM: the header, then one line per row."""
    writer = csv_line_writer()
    parts = [CSV_BOM + writer.writerow(fmt.headers)]
    parts += [writer.writerow([row.get(k, "") for k in fmt.keys]) for row in rows]
    return "".join(parts).encode()


def write_xlsx(fmt: FileFormat, rows: Iterable[dict[str, str]]) -> bytes:
    """One sheet; dates as Excel dates, everything else as text (codes keep their leading zeros)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(fmt.sheet)
    ws.append(safe_row(fmt.headers))
    for row in rows:
        line: list[Any] = []
        for key in fmt.keys:
            text = row.get(key, "")
            if key in fmt.date_keys and text:
                cell = WriteOnlyCell(ws, value=dt.date.fromisoformat(text))
                cell.number_format = "yyyy-mm-dd"
                line.append(cell)
            else:
                line.append(text)
        ws.append(safe_row(line))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write(fmt: FileFormat, rows: Iterable[dict[str, str]], kind: ExportFormat) -> bytes:
    if kind == "csv":
        return write_csv(fmt, rows)
    if kind == "xlsx":
        return write_xlsx(fmt, rows)
    raise ValueError(f"unknown export format {kind!r}")
