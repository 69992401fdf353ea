"""``minqing import problems FILE``: the 问题 format of DESIGN.md (see ``minqing.ledger.problem_format``).

Every row is checked before anything is written (row, column and reason for each issue); on
any issue nothing is written. Otherwise each new row becomes a problem through
``problem_register`` with its events dated as the row says (``problem_write``), all in one
transaction.

Re-importing: a row whose 问题编号 already exists and whose cells (the columns present in the
file) say exactly what an export of that problem would say is counted as unchanged and left
alone, so an exported file re-imports unchanged. A row whose number exists with different
content is an error (已存在且内容不同): the import never rewrites a problem's history; changes to
a problem go through the workflow.
"""

from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import ImportFailed, ImportIssue, ImportResult, issue
from minqing.core.models import AuditEvent
from minqing.core.tabular import ColumnMap, Record, map_columns, read_table
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Source, State
from minqing.ledger.importers.problem_values import parse_choice, parse_datetime, parse_yes_no
from minqing.ledger.importers.problem_write import Candidate, write_problem
from minqing.ledger.models import Problem
from minqing.ledger.problem_format import (
    COLUMNS,
    NEEDS_RESPONSIBLE,
    RESOLVED_STATES,
    ProblemRow,
    format_datetime,
    words,
)
from minqing.orgs.models import Person, Unit
from minqing.orgs.policy import INTAKE as INTAKE_ROLES
from minqing.orgs.scoping import can_access_unit
from minqing.orgs.services.units import resolve_unit

NUMBER_MAX = 32
TITLE_MAX = 200


class ProblemFileCheck:
    """Reads records into candidates, collecting every issue."""

    def __init__(self, cmap: ColumnMap, records: list[Record], actor: Any) -> None:
        self.cmap = cmap
        self.actor = actor
        self.issues: list[ImportIssue] = []
        self.first_row: dict[str, int] = {}
        self.units: dict[str, Unit | None] = {}
        names = {r["campaign"] for r in records if r["campaign"]}
        numbers = {r["claimed_by"] for r in records if r["claimed_by"]}
        self.campaigns = {c.name: c for c in Campaign.objects.filter(name__in=names)}
        self.people: dict[str, Person] = {}
        for chunk in chunked(sorted(numbers)):
            self.people.update((p.number, p) for p in Person.objects.filter(number__in=chunk))

    def add(self, row: int, key: str, value: str, error: ErrorCode, **params: Any) -> None:
        self.issues.append(issue(row, self.cmap.headers[key], value, error, **params))

    def unit(self, rec: Record, key: str) -> Unit | None:
        code = rec[key]
        if code not in self.units:
            try:
                self.units[code] = resolve_unit(code)
            except DomainError:
                self.units[code] = None
        found = self.units[code]
        if found is None:
            self.add(rec.row, key, code, ErrorCode.IMPORT_UNKNOWN_UNIT)
        return found

    def in_scope(self, unit: Unit) -> bool:
        return self.actor is None or can_access_unit(self.actor, unit, INTAKE_ROLES)

    def choice(self, rec: Record, key: str, *, required: bool = False) -> str:
        word = rec[key]
        if not word:
            if required:
                self.add(rec.row, key, word, ErrorCode.IMPORT_REQUIRED)
            return ""
        value = parse_choice(key, word)
        if value is None:
            choices = "、".join(words(key).values())
            self.add(rec.row, key, word, ErrorCode.IMPORT_BAD_VALUE)
            self.issues[-1] = ImportIssue(
                rec.row, self.cmap.headers[key], word, f"{self.issues[-1].reason}({choices})"
            )
            return ""
        return value

    def flag(self, rec: Record, key: str) -> bool:
        value = parse_yes_no(rec[key])
        if value is None:
            self.add(rec.row, key, rec[key], ErrorCode.IMPORT_BAD_YES_NO)
            return False
        return value

    def when(self, rec: Record, key: str, *, required: bool = False) -> Any:
        text = rec[key]
        if not text:
            if required:
                self.add(rec.row, key, text, ErrorCode.IMPORT_REQUIRED)
            return None
        value = parse_datetime(text)
        if value is None:
            self.add(rec.row, key, text, ErrorCode.IMPORT_BAD_DATETIME)
        return value

    def text(self, rec: Record, key: str, limit: int | None = None, *, required: bool = False) -> str:
        value = rec[key]
        if required and not value:
            self.add(rec.row, key, value, ErrorCode.IMPORT_REQUIRED)
        elif limit is not None and len(value) > limit:
            self.add(rec.row, key, value, ErrorCode.IMPORT_TOO_LONG, max=limit)
        return value

    def read(self, rec: Record) -> Candidate | None:
        before = len(self.issues)
        row = rec.row
        number = self.text(rec, "number", NUMBER_MAX, required=True)
        if number in self.first_row:
            first = self.first_row[number]
            self.add(row, "number", number, ErrorCode.IMPORT_DUPLICATE_NUMBER, first=first)
        elif number:
            self.first_row[number] = row
        campaign = self.campaigns.get(rec["campaign"]) if rec["campaign"] else None
        if rec["campaign"] and campaign is None:
            self.add(row, "campaign", rec["campaign"], ErrorCode.IMPORT_UNKNOWN_CAMPAIGN)
        source = self.choice(rec, "source", required=True)
        channel = self.choice(rec, "channel")
        if source == Source.PUBLIC and not rec["channel"]:
            self.add(row, "channel", "", ErrorCode.IMPORT_CHANNEL_REQUIRED, source=words("source")[source])
        title = self.text(rec, "title", TITLE_MAX, required=True)
        unit = self.unit(rec, "unit_code") if rec["unit_code"] else None
        if not rec["unit_code"]:
            self.add(row, "unit_code", "", ErrorCode.IMPORT_REQUIRED)
        elif (
            unit is not None
            and self.actor is not None
            and not can_access_unit(self.actor, unit, INTAKE_ROLES)
        ):
            self.add(row, "unit_code", rec["unit_code"], ErrorCode.PERMISSION_DENIED)
        responsible = self.unit(rec, "responsible_unit_code") if rec["responsible_unit_code"] else None
        registered = self.when(rec, "registered_at", required=True)
        person = self.people.get(rec["claimed_by"]) if rec["claimed_by"] else None
        if rec["claimed_by"] and person is None:
            self.add(row, "claimed_by", rec["claimed_by"], ErrorCode.IMPORT_UNKNOWN_PERSON)
        state = self.choice(rec, "state") or (State.REGISTERED if not rec["state"] else "")
        resolved = self.when(rec, "resolved_at")
        kind = self.choice(rec, "resolution_kind")
        self.check_state(rec, state, registered, resolved)
        values = ProblemRow(
            number=number,
            campaign=campaign.name if campaign else "",
            source=source,
            channel=channel,
            title=title,
            content=rec["content"],
            unit_code=unit.code if unit else "",
            responsible_unit_code=responsible.code if responsible else "",
            registered_at=registered,
            prominent=self.flag(rec, "prominent"),
            claimed_by=rec["claimed_by"],
            must_solve=self.flag(rec, "must_solve"),
            state=state,
            resolved_at=resolved,
            resolution_kind=kind,
            measures=rec["measures"],
            satisfaction=self.choice(rec, "satisfaction"),
        )
        if len(self.issues) > before or unit is None:
            return None
        return Candidate(row, values, unit, responsible, campaign, person)

    def check_state(self, rec: Record, state: str, registered: Any, resolved: Any) -> None:
        """Cells that depend on 状态: the responsible unit, 办结时间 and 办结方式."""
        if not state:
            return
        label = words("state")[state]
        if state in NEEDS_RESPONSIBLE and not rec["responsible_unit_code"]:
            self.add(rec.row, "responsible_unit_code", "", ErrorCode.IMPORT_REQUIRED_FOR_STATE, state=label)
        for key in ("resolved_at", "resolution_kind"):
            if state in RESOLVED_STATES and not rec[key]:
                self.add(rec.row, key, "", ErrorCode.IMPORT_REQUIRED_FOR_STATE, state=label)
            elif state not in RESOLVED_STATES and rec[key]:
                self.add(rec.row, key, rec[key], ErrorCode.IMPORT_NOT_FOR_STATE, state=label)
        if registered is not None and resolved is not None and resolved < registered:
            self.add(
                rec.row,
                "resolved_at",
                rec["resolved_at"],
                ErrorCode.IMPORT_RESOLVED_BEFORE_REGISTERED,
                registered=format_datetime(registered),
            )

    def split_existing(self, cands: list[Candidate]) -> tuple[list[Candidate], int]:
        """(new candidates, how many rows repeat an existing problem exactly); issues for the rest."""
        existing: dict[str, ProblemRow] = {}
        related = ("campaign", "unit", "responsible_unit", "claimed_by")
        for chunk in chunked([c.values.number for c in cands]):
            for p in Problem.objects.filter(number__in=chunk).select_related(*related):
                existing[p.number] = ProblemRow.of(p)
        keys = [col.key for col in COLUMNS if self.cmap.has(col.key)]
        new: list[Candidate] = []
        unchanged = 0
        for c in cands:
            old = existing.get(c.values.number)
            if old is None:
                new.append(c)
                continue
            mine, theirs = c.values.cells(), old.cells()
            differ = [self.cmap.headers[k] for k in keys if mine[k] != theirs[k]]
            if differ:
                number = c.values.number
                cols = "、".join(differ)
                self.add(c.row, "number", number, ErrorCode.IMPORT_NUMBER_EXISTS_DIFFERENT, columns=cols)
            else:
                unchanged += 1
        return new, unchanged


def import_problems(path: Path, *, actor: Any = None, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then register its new problems with their events in one transaction."""
    table = read_table(path, progress=progress)
    cmap = map_columns(table.headers, COLUMNS)
    records = list(cmap.records(table))
    check = ProblemFileCheck(cmap, records, actor)
    cands = [c for c in (check.read(r) for r in records) if c is not None]
    new, unchanged = check.split_existing(cands)
    if check.issues:
        raise ImportFailed(check.issues)
    cal = WorkCalendar()
    try:
        with transaction.atomic():
            for c in new:
                write_problem(c, actor=actor, calendar=cal, source_name=path.name)
            audit(
                actor=actor,
                action=AuditEvent.Action.IMPORT,
                object_type="ledger.problem",
                detail=f"{path.name}: created {len(new)}, unchanged {unchanged}",
            )
    except (DomainError, DatabaseError) as exc:
        raise ImportFailed([issue(None, "", "", ErrorCode.IMPORT_WRITE_FAILED, reason=str(exc))]) from exc
    result = ImportResult(created=len(new), unchanged=unchanged)
    merged = sum(1 for c in new if c.values.state == State.MERGED)
    if merged:
        result.notes.append(
            _("{count} 个问题状态为“已合并”:文件中没有合并目标,请在系统中查看").format(count=merged)
        )
    return result
