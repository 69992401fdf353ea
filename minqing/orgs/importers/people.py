"""``minqing import people FILE``: the 人员 format (人员编号, 姓名, 所属单位代码, 职级, 是否党员, 职务).

Key: 人员编号. 职级 is 厅级 / 处级 / 科级 / 科员及以下 / 无职级 (blank: 无职级), also as the grades
clerks write (副处, 正科, 一般干部 ...: ``RANKS``); 是否党员 is 是 / 否 (blank: 否; also Y/N, 1/0, √/×
...). New people are written with ``people_bulk_create`` (the orgs service:
path copied from the unit, write permission on every unit, its own audit record).
"""

from dataclasses import dataclass
from pathlib import Path

from minqing.core.batching import chunked
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import RowCheck, read_records, writing
from minqing.core.importing.values import Choices, synonyms
from minqing.core.tabular import Column, Record
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person, Unit
from minqing.orgs.policy import UNIT_WRITERS
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.services.people import PersonRow, people_bulk_create

COLUMNS = (
    Column("number", "人员编号", ("number", "person_number", "编号"), required=True),
    Column("name", "姓名", ("name",), required=True),
    Column("unit_code", "所属单位代码", ("unit_code", "unit", "单位代码"), required=True),
    Column("rank", "职级", ("rank",)),
    Column("is_party_member", "是否党员", ("is_party_member", "party_member", "党员")),
    Column("duties", "职务", ("duties", "position", "title")),
)
NUMBER_MAX, NAME_MAX, DUTIES_MAX = 32, 50, 200
RANKS = Choices(
    Rank.choices,
    synonyms(
        {
            Rank.BUREAU: ("厅局级", "副厅", "正厅", "副厅级", "正厅级"),
            Rank.DIVISION: ("县处级", "副处", "正处", "副处级", "正处级"),
            Rank.SECTION: ("乡科级", "副科", "正科", "副科级", "正科级"),
            Rank.STAFF: ("科员", "办事员", "一般干部", "科员级"),
            Rank.NONE: ("无",),
        }
    ),
)
YES, NO = "是", "否"


@dataclass
class PersonCand:
    row: int
    number: str
    name: str
    unit: Unit
    rank: str
    is_party_member: bool
    duties: str

    @property
    def key(self) -> str:
        return self.number

    def cells(self) -> dict[str, object]:
        return {
            "name": self.name,
            "unit_code": self.unit.pk,
            "rank": self.rank,
            "is_party_member": YES if self.is_party_member else NO,
            "duties": self.duties,
        }


def read(check: RowCheck, rec: Record) -> PersonCand | None:
    before = len(check.issues)
    number = check.text(rec, "number", NUMBER_MAX, required=True)
    if number:
        check.once(rec, "number", number, number)
    name = check.text(rec, "name", NAME_MAX, required=True)
    unit = check.unit(rec, "unit_code", roles=UNIT_WRITERS)
    rank = check.choice(rec, "rank", RANKS, default=Rank.NONE)
    member = check.flag(rec, "is_party_member")
    duties = check.text(rec, "duties", DUTIES_MAX)
    if len(check.issues) > before or unit is None:
        return None
    return PersonCand(rec.row, number, name, unit, rank, member, duties)


def import_people(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create its new people in one transaction."""
    cmap, records = read_records(path, COLUMNS, progress)
    check = RowCheck(cmap, actor)
    cands = [c for c in (read(check, r) for r in records) if c is not None]
    existing: dict[str, dict[str, object]] = {}
    fields = ("number", "name", "unit_id", "rank", "is_party_member", "duties")
    for chunk in chunked([c.number for c in cands]):
        for number, name, unit_id, rank, member, duties in Person.objects.filter(
            number__in=chunk
        ).values_list(*fields):
            existing[number] = {
                "name": name,
                "unit_code": unit_id,
                "rank": rank,
                "is_party_member": YES if member else NO,
                "duties": duties,
            }
    new, unchanged = check.split_new(cands, existing, "number")
    check.finish()
    rows = [
        PersonRow(
            number=c.number,
            name=c.name,
            unit=ref_of(c.unit),
            rank=c.rank,
            is_party_member=c.is_party_member,
            duties=c.duties,
        )
        for c in new
    ]
    with writing():
        res = people_bulk_create(actor=actor, rows=rows, source=path.name)
    return ImportResult(created=res.created, unchanged=unchanged)
