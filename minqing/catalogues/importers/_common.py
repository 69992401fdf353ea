"""What the three catalogue importers share.

Each importer reads the whole file, checks every row (an issue per row, column and reason:
第 N 行,列“X”:原因), and only when there is no issue at all hands the rows to its service's
bulk upsert, in one transaction: a row whose natural key is new is created, one whose key exists
is updated where a column of the file says something else, and otherwise left unchanged, so
importing the same file twice changes nothing. Columns absent from the file are left as they are.
"""

from collections.abc import Callable
from pathlib import Path

from minqing.campaigns.models import Campaign
from minqing.catalogues.formats import FileFormat
from minqing.catalogues.permissions import can_write_path
from minqing.catalogues.services._common import UpsertResult
from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import RowCheck, read_records, writing
from minqing.core.tabular import ColumnMap, Record
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.scoping import can_access_path


class CatalogueCheck(RowCheck):
    """``RowCheck`` plus the lookups of the catalogue formats (cached per file)."""

    def __init__(self, cmap: ColumnMap, actor: Actor) -> None:
        super().__init__(cmap, actor)
        self._campaigns: dict[str, Campaign | None] = {}
        self._people: dict[str, Person | None] = {}

    def writable_unit(self, rec: Record, key: str) -> Unit | None:
        """The unit of ``key`` (required), which the actor must be allowed to write."""
        unit = self.unit(rec, key)
        if unit is not None and not can_write_path(self.actor, unit.path):
            self.add(rec.row, key, rec[key], ErrorCode.PERMISSION_DENIED)
            return None
        return unit

    def campaign(self, rec: Record, key: str) -> Campaign | None:
        name = rec[key]
        if not name:
            return None
        if name not in self._campaigns:
            self._campaigns[name] = Campaign.objects.filter(name=name).first()
        found = self._campaigns[name]
        if found is None:
            self.add(rec.row, key, name, ErrorCode.IMPORT_UNKNOWN_CAMPAIGN)
        return found

    def person(self, rec: Record, key: str) -> Person | None:
        """The person of a 人员编号 (blank: none); it must exist and be in the actor's scope."""
        number = rec[key]
        if not number:
            return None
        if number not in self._people:
            self._people[number] = Person.objects.filter(number=number).first()
        found = self._people[number]
        if found is None or not can_access_path(self.actor, found.path):
            self.add(rec.row, key, number, ErrorCode.IMPORT_UNKNOWN_PERSON)
            return None
        return found


def start(path: Path, fmt: FileFormat, actor: Actor, progress: bool) -> tuple[CatalogueCheck, list[Record]]:
    cmap, records = read_records(path, fmt.columns, progress)
    return CatalogueCheck(cmap, actor), records


def write(run: Callable[[], UpsertResult]) -> ImportResult:
    """Run the service's bulk upsert in one transaction; a refusal fails the whole file."""
    with writing():
        res = run()
    return ImportResult(created=res.created, updated=res.updated, unchanged=res.unchanged)


__all__ = ["CatalogueCheck", "start", "write"]
