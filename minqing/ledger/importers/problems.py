"""``minqing import problems FILE``: the 问题 format of DESIGN.md (see ``minqing.ledger.problem_format``).

Every row is checked before anything is written (row, column and reason for each issue); on
any issue nothing is written. Otherwise each new row becomes a problem as ``problem_register``
makes it, with its events dated as the row says (``problem_write``), inserted in bulk, all or
nothing: one transaction on PostgreSQL, short hidden batches made public at the end (or removed
on failure) on SQLite, so a large file never locks the public out (``core.importing.batches``).

Re-importing: a row whose 问题编号 already exists and whose cells (the columns present in the
file) say exactly what an export of that problem would say is counted as unchanged and left
alone, so an exported file re-imports unchanged. A row whose number exists with different
content is an error (已存在且内容不同): the import never rewrites a problem's history; changes to
a problem go through the workflow.
"""

from pathlib import Path
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.batching import chunked
from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.batches import collector_paused, write_in_batches
from minqing.core.importing.rows import RowCheck, read_records
from minqing.core.importing.values import format_datetime
from minqing.core.models import AuditEvent
from minqing.core.tabular import ColumnMap, Record
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Source, State
from minqing.ledger.importers.problem_rights import check_rights
from minqing.ledger.importers.problem_words import CHOICES
from minqing.ledger.importers.problem_write import Batch, Candidate, Dues, prepare_batch, write_batch
from minqing.ledger.models import DeadlineRule, Problem, ProblemEvent
from minqing.ledger.problem_format import (
    COLUMNS,
    NEEDS_RESPONSIBLE,
    RESOLVED_STATES,
    ProblemRow,
    words,
)
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person
from minqing.orgs.policy import INTAKE

NUMBER_MAX = 32
TITLE_MAX = 200


def _bad_choice() -> str:
    return f"{ErrorCode.IMPORT_BAD_VALUE.template}({{choices}})"


class ProblemFileCheck(RowCheck):
    """``RowCheck`` with the campaigns and people the file names (looked up once)."""

    bad_choice = lazy(_bad_choice, str)()  # 取值“…”不正确(来信、来访、来电、网络)

    def __init__(self, cmap: ColumnMap, records: list[Record], actor: Actor) -> None:
        super().__init__(cmap, actor)
        names = {r["campaign"] for r in records if r["campaign"]}
        numbers = {r["claimed_by"] for r in records if r["claimed_by"]}
        self.campaigns = {c.name: c for c in Campaign.objects.filter(name__in=names)}
        self.people: dict[str, Person] = {}
        for chunk in chunked(sorted(numbers)):
            self.people.update((p.number, p) for p in Person.objects.filter(number__in=chunk))

    def read(self, rec: Record) -> Candidate | None:
        before = len(self.issues)
        row = rec.row
        number = self.text(rec, "number", NUMBER_MAX, required=True)
        if number:
            self.once(rec, "number", number, number, ErrorCode.IMPORT_DUPLICATE_NUMBER.template)
        campaign = self.campaigns.get(rec["campaign"]) if rec["campaign"] else None
        if rec["campaign"] and campaign is None:
            self.add(row, "campaign", rec["campaign"], ErrorCode.IMPORT_UNKNOWN_CAMPAIGN)
        source = self.choice(rec, "source", CHOICES["source"])
        channel = self.choice(rec, "channel", CHOICES["channel"], default="")
        if source == Source.PUBLIC and not rec["channel"]:
            self.add(row, "channel", "", ErrorCode.IMPORT_CHANNEL_REQUIRED, source=words("source")[source])
        title = self.text(rec, "title", TITLE_MAX, required=True)
        unit = self.unit(rec, "unit_code", roles=INTAKE)
        responsible = self.unit(rec, "responsible_unit_code", required=False)
        registered = self.when(rec, "registered_at", required=True)
        person = self.people.get(rec["claimed_by"]) if rec["claimed_by"] else None
        if rec["claimed_by"] and person is None:
            self.add(row, "claimed_by", rec["claimed_by"], ErrorCode.IMPORT_UNKNOWN_PERSON)
        state = self.choice(rec, "state", CHOICES["state"], default=State.REGISTERED)
        resolved = self.when(rec, "resolved_at")
        kind = self.choice(rec, "resolution_kind", CHOICES["resolution_kind"], default="")
        self.check_state(rec, state, registered, resolved)
        prominent, must_solve = self.flag(rec, "prominent"), self.flag(rec, "must_solve")
        satisfaction = self.choice(rec, "satisfaction", CHOICES["satisfaction"], default="")
        if len(self.issues) > before or unit is None or registered is None:
            return None
        values = ProblemRow(
            number=number,
            campaign=campaign.name if campaign else "",
            source=source,
            channel=channel,
            title=title,
            content=rec["content"],
            unit_code=unit.code,
            responsible_unit_code=responsible.code if responsible else "",
            registered_at=registered,
            prominent=prominent,
            claimed_by=rec["claimed_by"],
            must_solve=must_solve,
            state=state,
            resolved_at=resolved,
            resolution_kind=kind,
            measures=rec["measures"],
            satisfaction=satisfaction,
        )
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


def publish(keys: list[int]) -> None:
    """Imported problems written hidden (``write_in_batches``), now on the public list."""
    for chunk in chunked(keys):
        Problem.objects.filter(pk__in=chunk).update(is_public=True)


def remove(keys: list[int]) -> None:
    """Imported problems taken back (a later batch failed), with their events."""
    for chunk in chunked(keys):
        ProblemEvent.objects.filter(problem_id__in=chunk).delete()
        Problem.objects.filter(pk__in=chunk).delete()


def import_problems(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then register its new problems with their events, all or
    nothing (in short transactions on SQLite: ``core.importing.batches``)."""
    with collector_paused():
        return _import_problems(path, actor=actor, progress=progress)


def _import_problems(path: Path, *, actor: Actor, progress: bool) -> ImportResult:
    cmap, records = read_records(path, COLUMNS, progress)
    check = ProblemFileCheck(cmap, records, actor)
    cands = [c for c in (check.read(r) for r in records) if c is not None]
    new, unchanged = check.split_existing(cands)
    for c in new:
        check_rights(check, c)
    check.finish()
    cal, rules = WorkCalendar(), list(DeadlineRule.objects.all())
    dues = Dues(cal, rules)

    def prepare(chunk: list[Candidate], hidden: bool) -> Batch:
        return prepare_batch(
            chunk, actor=actor, calendar=cal, rules=rules, source_name=path.name, hidden=hidden, dues=dues
        )

    write_in_batches(
        new, lambda batch, _hidden: write_batch(batch), prepare=prepare, publish=publish, remove=remove
    )
    audit(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type="ledger.problem",
        detail=f"{path.name}: created {len(new)}, unchanged {unchanged}",
    )
    result = ImportResult(created=len(new), unchanged=unchanged)
    merged = sum(1 for c in new if c.values.state == State.MERGED)
    if merged:
        result.notes.append(
            _("{count} 个问题状态为“已合并”:文件中没有合并目标,请在系统中查看").format(count=merged)
        )
    return result
