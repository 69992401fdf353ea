"""What the 专题, 人员, 活动 and 签到 importers share: cell readers that collect issues, the
canonical text of a value (so an exported row re-imports unchanged), and the write wrapper.

Each importer reads the whole file, checks every row (an issue per row, column and reason),
compares rows whose key exists already with the database (identical: unchanged; different:
已存在且内容不同), and only when there is no issue at all writes the new rows in one
transaction with one audit record.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import ImportFailed, ImportIssue, ImportResult, issue
from minqing.core.models import AuditEvent
from minqing.core.tabular import Column, ColumnMap, Record, map_columns, read_table
from minqing.ledger.importers.problem_values import parse_datetime, parse_yes_no
from minqing.orgs.models import Unit
from minqing.orgs.services.units import resolve_unit

T = TypeVar("T")

DUPLICATE_IN_FILE = _("“{value}”在文件中重复(第 {first} 行已出现)")
EXISTS_DIFFERENT = _("“{value}”已存在且内容不同(不同的列:{columns});导入不修改已有记录")
BAD_CHOICE = _("无法识别的取值“{value}”,应为:{choices}")
BAD_COUNT = _("“{value}”应为不小于 0 的整数")
END_BEFORE_START = _("结束时间“{value}”早于开始时间 {start}")
UNKNOWN_ACTIVITY = _("活动编号“{value}”不存在")
UNKNOWN_TYPE = _("无法识别的活动类型“{value}”")
HEADCOUNT_WITH_ROSTER = _("活动“{number}”已有签到名单,不能再填写参加人数(参加人数只用于没有签到名单的活动)")
HEADCOUNT_ONLY = _("活动“{value}”按参加人数登记,没有签到名单,不能导入签到")
YES, NO = "是", "否"


def format_datetime(value: dt.datetime | None) -> str:
    """Local time: ``2019-09-01`` at midnight, else ``2019-09-01 10:30`` (seconds only when not zero)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M" if local.second == 0 else "%Y-%m-%d %H:%M:%S")


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


class RowCheck:
    """Reads cells of one file's records, collecting every issue (row, column as written, reason)."""

    def __init__(self, cmap: ColumnMap, actor: Any = None) -> None:
        self.cmap = cmap
        self.actor = actor
        self.issues: list[ImportIssue] = []
        self.first_row: dict[object, int] = {}
        self._units: dict[str, Unit | None] = {}

    def say(self, row: int | None, key: str, value: str, reason: "str | Promise", **params: Any) -> None:
        self.issues.append(
            ImportIssue(row, self.cmap.headers[key], value, format_lazy(reason, value=value, **params))
        )

    def add(self, row: int | None, key: str, value: str, code: ErrorCode, **params: Any) -> None:
        self.issues.append(issue(row, self.cmap.headers[key], value, code, **params))

    def text(self, rec: Record, key: str, limit: int, *, required: bool = False) -> str:
        value = rec[key]
        if required and not value:
            self.add(rec.row, key, value, ErrorCode.IMPORT_REQUIRED)
        elif len(value) > limit:
            self.add(rec.row, key, value, ErrorCode.IMPORT_TOO_LONG, max=limit)
        return value

    def once(self, rec: Record, key: str, value: object, shown: str) -> bool:
        """False (with an issue naming the first row) when ``value`` was seen on an earlier row."""
        first = self.first_row.setdefault(value, rec.row)
        if first != rec.row:
            self.say(rec.row, key, shown, DUPLICATE_IN_FILE, first=first)
            return False
        return True

    def unit(self, rec: Record, key: str) -> Unit | None:
        code = rec[key]
        if not code:
            self.add(rec.row, key, code, ErrorCode.IMPORT_REQUIRED)
            return None
        if code not in self._units:
            try:
                self._units[code] = resolve_unit(code)
            except DomainError:
                self._units[code] = None
        found = self._units[code]
        if found is None:
            self.add(rec.row, key, code, ErrorCode.IMPORT_UNKNOWN_UNIT)
        return found

    def choice(self, rec: Record, key: str, words: dict[str, str], *, default: str = "") -> str:
        """The value for a word (``words``: word or value, lower-cased -> value); blank gives ``default``."""
        word = rec[key]
        if not word:
            if not default:
                self.add(rec.row, key, word, ErrorCode.IMPORT_REQUIRED)
            return default
        value = words.get(word.lower())
        if value is None:
            shown = "、".join(dict.fromkeys(w for w in words if not w.isascii()))
            self.say(rec.row, key, word, BAD_CHOICE, choices=shown)
            return ""
        return value

    def flag(self, rec: Record, key: str) -> bool:
        value = parse_yes_no(rec[key])
        if value is None:
            self.add(rec.row, key, rec[key], ErrorCode.IMPORT_BAD_YES_NO)
            return False
        return value

    def when(self, rec: Record, key: str, *, required: bool = False) -> dt.datetime | None:
        text = rec[key]
        if not text:
            if required:
                self.add(rec.row, key, text, ErrorCode.IMPORT_REQUIRED)
            return None
        value = parse_datetime(text)
        if value is None:
            self.add(rec.row, key, text, ErrorCode.IMPORT_BAD_DATETIME)
        return value

    def date(self, rec: Record, key: str, *, required: bool = False) -> dt.date | None:
        value = self.when(rec, key, required=required)
        if value is None:
            return None
        return timezone.localtime(value).date()

    def count(self, rec: Record, key: str) -> int | None:
        text = rec[key]
        if not text:
            return None
        if not re.fullmatch(r"\d{1,9}", text):
            self.say(rec.row, key, text, BAD_COUNT)
            return None
        return int(text)

    def compare(
        self, row: int, key: str, shown: str, mine: Mapping[str, object], theirs: Mapping[str, object]
    ) -> bool:
        """True when the existing record says the same in every column the file has; else an issue."""
        differ = [self.cmap.headers[k] for k in mine if self.cmap.has(k) and mine[k] != theirs.get(k)]
        if differ:
            self.say(row, key, shown, EXISTS_DIFFERENT, columns="、".join(differ))
            return False
        return True


def labels(choices: Sequence[tuple[str, Any]], extra: dict[str, str] | None = None) -> dict[str, str]:
    """word -> value: each choice's Chinese label, its value, and ``extra`` words (all lower-cased)."""
    from django.utils import translation

    out: dict[str, str] = {}
    with translation.override(None):
        for value, label in choices:
            out[str(label).lower()] = value
    for value, _label in choices:
        out[value.lower()] = value
    with translation.override("en"):
        for value, label in choices:
            out.setdefault(str(label).lower(), value)
    out.update({k.lower(): v for k, v in (extra or {}).items()})
    return out


def read_records(path: Path, columns: Sequence[Column], progress: bool) -> tuple[ColumnMap, list[Record]]:
    table = read_table(path, progress=progress)
    cmap = map_columns(table.headers, columns)
    return cmap, list(cmap.records(table))


def write_all(
    write: Callable[[], T], *, actor: Any, object_type: str, path: Path, created: int, unchanged: int
) -> T:
    """Run ``write`` and the audit record in one transaction; a database error fails the whole file."""
    try:
        with transaction.atomic():
            out = write()
            audit(
                actor=actor,
                action=AuditEvent.Action.IMPORT,
                object_type=object_type,
                detail=f"{path.name}: created {created}, unchanged {unchanged}",
            )
    except (DomainError, DatabaseError) as exc:
        raise ImportFailed([issue(None, "", "", ErrorCode.IMPORT_WRITE_FAILED, reason=str(exc))]) from exc
    return out


def finish(check: RowCheck) -> None:
    if check.issues:
        raise ImportFailed(check.issues)


__all__ = ["NO", "YES", "ImportResult"]
