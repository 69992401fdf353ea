"""``minqing import commendations FILE``: the 表彰 format (docs/import-formats.md).

姓名, 人员编号, 单位代码, 单位名称 (ignored), 荣誉称号, 表彰日期, 表彰决定日期, 授予机关, 专题名称.
Key: 单位代码 + 姓名 + 荣誉称号 + 表彰日期. 人员编号 is for people in the system (the name is
then theirs: a blank 姓名 takes it, a different one is an error); someone not in the system is
only named. 表彰决定日期 is optional (a file without the column keeps what the records say; a
blank cell clears it) and may not be after the 表彰日期. Phone and ID numbers are never part of
the format.
"""

from pathlib import Path
from typing import Any

from minqing.catalogues.formats import COMMENDATIONS
from minqing.catalogues.importers._common import CatalogueCheck, start, write
from minqing.catalogues.services._common import KeyedRow
from minqing.catalogues.services.commendations import (
    AWARDED_BY_MAX,
    NAME_MAX,
    TITLE_MAX,
    check_decided_on,
    commendation_row,
    commendations_upsert,
)
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.tabular import Record
from minqing.orgs.actors import Actor


def _name(check: CatalogueCheck, rec: Record) -> tuple[str, Any]:
    person = check.person(rec, "person_number")
    name = check.text(rec, "name", NAME_MAX, required=person is None and not rec["person_number"])
    if person is not None:
        if name and name != person.name:
            check.add(
                rec.row,
                "name",
                name,
                ErrorCode.CATALOGUE_PERSON_NAME_MISMATCH,
                number=person.number,
                name=person.name,
            )
        name = person.name
    return name, person


def read(check: CatalogueCheck, rec: Record) -> KeyedRow | None:
    before = len(check.issues)
    name, person = _name(check, rec)
    unit = check.writable_unit(rec, "unit_code")
    title = check.text(rec, "title", TITLE_MAX, required=True)
    date = check.date(rec, "date", required=True)
    values: dict[str, Any] = {}
    if check.cmap.has("decided_on"):
        decided_on = check.date(rec, "decided_on")
        if decided_on is not None and date is not None:
            try:
                check_decided_on(decided_on, date)
            except DomainError as err:  # the service's rule, named at its row and column
                check.add(rec.row, "decided_on", decided_on.isoformat(), err.code, date=err.params["date"])
        values["decided_on"] = decided_on
    if check.cmap.has("person_number"):
        values["person"] = person
    if check.cmap.has("awarded_by"):
        values["awarded_by"] = check.text(rec, "awarded_by", AWARDED_BY_MAX)
    if check.cmap.has("campaign"):
        values["campaign"] = check.campaign(rec, "campaign")
    if len(check.issues) > before or unit is None or date is None:
        return None
    if not check.once(rec, "name", (unit.pk, name, title, date), name):
        return None
    return commendation_row(unit=unit, name=name, title=title, date=date, values=values)


def import_commendations(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create or update its commendations in one transaction."""
    check, records = start(path, COMMENDATIONS, actor, progress)
    rows = [r for r in (read(check, rec) for rec in records) if r is not None]
    check.finish()
    return write(lambda: commendations_upsert(actor=actor, rows=rows, source=path.name))
