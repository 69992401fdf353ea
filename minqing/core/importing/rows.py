"""The one row checker every importer uses: read a file's records, check each cell, collect every
bad cell (row, column as written in the file, reason in Chinese and English), all or nothing.

An importer reads its records (``read_records``), makes a ``RowCheck`` (or a subclass with the
lookups of its format), reads each record into a checked candidate with the cell readers below
(each one records an issue and answers a harmless value when the cell is bad), compares rows
whose key exists with the database (``compare``), calls ``finish`` (``ImportFailed`` with every
issue, nothing written) and writes everything in one transaction (``write_all``).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import ImportFailed, ImportIssue, issue
from minqing.core.importing.values import Choices, parse_count, parse_datetime, parse_yes_no
from minqing.core.models import AuditEvent
from minqing.core.tabular import Column, ColumnMap, Record, map_columns, read_table
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.policy import has_role
from minqing.orgs.services.units import resolve_unit

T = TypeVar("T")


class Keyed(Protocol):
    """A checked row with a natural key (a number or name) and its cells as an export writes them."""

    @property
    def row(self) -> int: ...

    @property
    def key(self) -> str: ...

    def cells(self) -> Mapping[str, object]: ...


C = TypeVar("C", bound=Keyed)

DUPLICATE_IN_FILE = _("“{value}”在文件中重复(第 {first} 行已出现)")
EXISTS_DIFFERENT = _("“{value}”已存在且内容不同(不同的列:{columns});导入不修改已有记录")
BAD_CHOICE = _("无法识别的取值“{value}”,应为:{choices}")
BAD_COUNT = _("“{value}”应为不小于 0 的整数")
END_BEFORE_START = _("结束时间“{value}”早于开始时间 {start}")


class RowCheck:
    """Reads the cells of one file's records, collecting every issue (row, column as written, reason)."""

    bad_choice: "str | Promise" = BAD_CHOICE  # a template with {value} and {choices}

    def __init__(self, cmap: ColumnMap, actor: Actor) -> None:
        self.cmap = cmap
        self.actor = actor
        self.issues: list[ImportIssue] = []
        self.first_row: dict[object, int] = {}
        self._units: dict[str, Unit | None] = {}
        self.tz = timezone.get_current_timezone()  # looked up once, not per date cell

    # -- issues ----------------------------------------------------------------------------
    def add(self, row: int | None, key: str, value: str, code: ErrorCode, **params: Any) -> None:
        """An issue whose reason is ``code``'s message (row 0 or None: the whole file)."""
        self.issues.append(issue(row or None, self.cmap.headers[key], value, code, **params))

    def say(self, row: int | None, key: str, value: str, reason: "str | Promise", **params: Any) -> None:
        """An issue whose reason is the template ``reason``, formatted with ``value`` and ``params``."""
        self.issues.append(
            ImportIssue(row, self.cmap.headers[key], value, format_lazy(reason, value=value, **params))
        )

    def add_error(self, row: int, key: str, value: str, err: DomainError) -> None:
        """A service's refusal, named at its row and column (rendered in the language of the reader)."""
        reason = format_lazy(err.code.template, **err.params)
        self.issues.append(ImportIssue(row, self.cmap.headers[key], value, reason))

    def obeys(self, row: int, key: str, value: str, rule: Callable[[], object]) -> bool:
        """Run a service's check; False, with its refusal named at this row and column, if it refuses."""
        try:
            rule()
        except DomainError as err:
            self.add_error(row, key, value, err)
            return False
        return True

    # -- cell readers ----------------------------------------------------------------------
    def text(self, rec: Record, key: str, limit: int | None = None, *, required: bool = False) -> str:
        value = rec[key]
        if required and not value:
            self.add(rec.row, key, value, ErrorCode.IMPORT_REQUIRED)
        elif limit is not None and len(value) > limit:
            self.add(rec.row, key, value, ErrorCode.IMPORT_TOO_LONG, max=limit)
        return value

    def once(
        self, rec: Record, key: str, value: object, shown: str, reason: "str | Promise" = DUPLICATE_IN_FILE
    ) -> bool:
        """False (with an issue naming the first row) when ``value`` was seen on an earlier row."""
        first = self.first_row.setdefault(value, rec.row)
        if first != rec.row:
            self.say(rec.row, key, shown, reason, first=first)
            return False
        return True

    def unit(
        self, rec: Record, key: str, *, required: bool = True, roles: Iterable[str] | None = None
    ) -> Unit | None:
        """The unit a code names (cached per file); with ``roles`` the actor must hold one on it."""
        code = rec[key]
        if not code:
            if required:
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
        elif roles is not None and not has_role(self.actor, roles, found.path):
            self.add(rec.row, key, code, ErrorCode.PERMISSION_DENIED)
        return found

    def choice(self, rec: Record, key: str, choices: Choices, *, default: str | None = None) -> str:
        """The value of an enumeration cell; blank gives ``default`` (None: the cell is required)."""
        word = rec[key]
        if not word:
            if default is None:
                self.add(rec.row, key, word, ErrorCode.IMPORT_REQUIRED)
            return default or ""
        value = choices.parse(word)
        if value is None:
            self.say(rec.row, key, word, self.bad_choice, choices=choices.shown())
            return ""
        return value

    def flag(self, rec: Record, key: str, default: bool = False) -> bool:
        """是 / 否 (and the other ways of writing them); blank gives ``default``."""
        word = rec[key]
        if not word:
            return default
        value = parse_yes_no(word)
        if value is None:
            self.add(rec.row, key, word, ErrorCode.IMPORT_BAD_YES_NO)
            return default
        return value

    def when(self, rec: Record, key: str, *, required: bool = False) -> dt.datetime | None:
        text = rec[key]
        if not text:
            if required:
                self.add(rec.row, key, text, ErrorCode.IMPORT_REQUIRED)
            return None
        value = parse_datetime(text, self.tz)
        if value is None:
            self.add(rec.row, key, text, ErrorCode.IMPORT_BAD_DATETIME)
        return value

    def date(self, rec: Record, key: str, *, required: bool = False) -> dt.date | None:
        value = self.when(rec, key, required=required)
        return timezone.localtime(value).date() if value is not None else None

    def count(self, rec: Record, key: str) -> int | None:
        text = rec[key]
        if not text:
            return None
        value = parse_count(text)
        if value is None:
            self.say(rec.row, key, text, BAD_COUNT)
        return value

    # -- the whole file --------------------------------------------------------------------
    def compare(
        self, row: int, key: str, shown: str, mine: Mapping[str, object], theirs: Mapping[str, object]
    ) -> bool:
        """True when the existing record says the same in every column the file has; else an issue."""
        differ = [self.cmap.headers[k] for k in mine if self.cmap.has(k) and mine[k] != theirs.get(k)]
        if differ:
            self.say(row, key, shown, EXISTS_DIFFERENT, columns="、".join(differ))
            return False
        return True

    def split_new(
        self, cands: Iterable[C], existing: Mapping[str, Mapping[str, object]], key: str
    ) -> tuple[list[C], int]:
        """(the candidates whose key is new, how many repeat an existing record exactly); the rest,
        which say something else than the record of their key, become issues in column ``key``."""
        new: list[C] = []
        unchanged = 0
        for c in cands:
            old = existing.get(c.key)
            if old is None:
                new.append(c)
            else:
                unchanged += self.compare(c.row, key, c.key, c.cells(), old)
        return new, unchanged

    def finish(self) -> None:
        """All or nothing: ``ImportFailed`` with every issue found, if any."""
        if self.issues:
            raise ImportFailed(self.issues)


def read_records(path: Path, columns: Sequence[Column], progress: bool) -> tuple[ColumnMap, list[Record]]:
    table = read_table(path, progress=progress)
    cmap = map_columns(table.headers, columns)
    return cmap, list(cmap.records(table))


@contextmanager
def writing() -> Iterator[None]:
    """One transaction; a service's refusal or a database error fails the whole file."""
    try:
        with transaction.atomic():
            yield
    except (DomainError, DatabaseError) as exc:
        raise ImportFailed([issue(None, "", "", ErrorCode.IMPORT_WRITE_FAILED, reason=str(exc))]) from exc


def write_all(
    write: Callable[[], T], *, actor: Actor, object_type: str, path: Path, created: int, unchanged: int
) -> T:
    """Run ``write`` and the audit record in one transaction; a database error fails the whole file."""
    with writing():
        out = write()
        audit(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type=object_type,
            detail=f"{path.name}: created {created}, unchanged {unchanged}",
        )
    return out
