"""``minqing import units FILE``: the 单位 format and the NBS division CSV.

Formats, told apart by the headers:

- 单位 (DESIGN.md): 单位代码, 名称, 类别, 上级单位代码, optional 是否有党组织 and 党组织类别
  (aliases code, name, kind, parent_code, has_party_org, party_category);
- NBS division file (as shipped in minqing/fixtures/divisions): code, name, level, parent_code
  (level_name and kind are ignored: the kind follows from level, the subkind from the code).

Every row is checked before anything is written; on any issue nothing is written and
``ImportFailed`` lists them all. Territorial units (province .. village) need a 12-digit NBS code
of their kind's level whose NBS parent is the row's parent. A prefecture whose parent is
150000000000 (内蒙古自治区) while that code is neither in the file nor in the database gets the
region created as the root, so the shipped Ulanqab and Xing'an files import on their own;
any other missing parent is an error. Empty party cells keep an existing unit's values; a new
township or village gets a party organisation by default, other new units none.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import RowCheck, writing
from minqing.core.importing.values import parse_yes_no
from minqing.core.tabular import Column, ColumnMap, Record, map_columns, normalize_header, read_table
from minqing.orgs.actors import Actor
from minqing.orgs.divisions import PROVINCE_ROW
from minqing.orgs.enums import LEVEL_KIND, UnitKind, default_party_category, subkind_from_code
from minqing.orgs.importers import unit_values as v
from minqing.orgs.importers.unit_db import DbUnits, division_codes_taken
from minqing.orgs.services.units import UnitRow, check_tree_write, units_upsert

UNIT_COLUMNS = (
    Column("code", "单位代码", ("code", "单位编码"), required=True),
    Column("name", "名称", ("name", "单位名称"), required=True),
    Column("kind", "类别", ("kind", "单位类别"), required=True),
    Column("parent_code", "上级单位代码", ("parent_code", "parent", "上级代码"), required=True),
    Column("has_party_org", "是否有党组织", ("has_party_org",)),
    Column("party_category", "党组织类别", ("party_category", "党组织统计类别")),
)
NBS_COLUMNS = (
    Column("code", "code", required=True),
    Column("name", "name", required=True),
    Column("level", "level", required=True),
    Column("parent_code", "parent_code", required=True),
)
AUTO_ROOTS = {PROVINCE_ROW.code: PROVINCE_ROW}


@dataclass
class Candidate:
    row: int
    code: str
    name: str
    kind: str  # "" when the row's kind could not be read
    grid_subkind: str | None  # for grids: given by the word, or None to follow the parent
    parent_code: str
    has_party_org: bool | None  # None: not given
    party_category: str | None  # None: not given


class UnitFileCheck(RowCheck):
    """``RowCheck`` reading records into candidates, then checking the tree they make.

    Row 0 is a root the importer added itself (``AUTO_ROOTS``): its issues are the file's.
    """

    def __init__(self, cmap: ColumnMap, nbs: bool, actor: Actor) -> None:
        super().__init__(cmap, actor)
        self.nbs = nbs
        self.kind_key = "level" if nbs else "kind"
        self.cands: dict[str, Candidate] = {}
        self.auto: list[UnitRow] = []

    # -- one row -------------------------------------------------------------------------
    def read(self, rec: Record) -> None:
        code, parent = rec["code"], rec["parent_code"]
        name = self.text(rec, "name", v.NAME_MAX, required=True)
        kind, gsub = self.read_kind(rec)
        has, cat = self.read_party(rec)
        if not code:
            self.add(rec.row, "code", code, ErrorCode.IMPORT_REQUIRED)
            return
        if not self.once(rec, "code", code, code, ErrorCode.IMPORT_DUPLICATE_CODE.template):
            return
        self.check_code(rec, code, kind, parent)
        self.cands[code] = Candidate(rec.row, code, name, kind, gsub, parent, has, cat)

    def read_kind(self, rec: Record) -> tuple[str, str | None]:
        word = rec[self.kind_key]
        if not word:
            self.add(rec.row, self.kind_key, word, ErrorCode.IMPORT_REQUIRED)
            return "", ""
        if self.nbs:
            if word.isdigit() and int(word) in LEVEL_KIND:
                return LEVEL_KIND[int(word)], ""
            self.add(rec.row, "level", word, ErrorCode.IMPORT_BAD_LEVEL)
            return "", ""
        found = v.parse_kind(word)
        if found is None:
            self.add(rec.row, "kind", word, ErrorCode.IMPORT_UNKNOWN_KIND)
            return "", ""
        return found

    def read_party(self, rec: Record) -> tuple[bool | None, str | None]:
        has: bool | None = None
        cat: str | None = None
        if hp := rec["has_party_org"]:
            has = parse_yes_no(hp)
            if has is None:
                self.add(rec.row, "has_party_org", hp, ErrorCode.IMPORT_BAD_YES_NO)
        if pc := rec["party_category"]:
            cat = v.parse_party_category(pc)
            if cat is None:
                self.add(rec.row, "party_category", pc, ErrorCode.IMPORT_UNKNOWN_PARTY_CATEGORY)
            elif has is False:
                self.add(rec.row, "party_category", pc, ErrorCode.IMPORT_PARTY_CATEGORY_WITHOUT_ORG)
            elif has is None and not hp:
                has = True
        return has, cat

    def check_code(self, rec: Record, code: str, kind: str, parent: str) -> None:
        row = rec.row
        if v.is_territorial(kind):
            if not v.DIVISION_CODE_RE.match(code):
                self.add(row, "code", code, ErrorCode.IMPORT_BAD_DIVISION_CODE)
                return
            level = v.code_level(code)
            if level != v.level_of_kind(kind):
                actual = v.kind_label(LEVEL_KIND[level])
                self.add(
                    row,
                    "code",
                    code,
                    ErrorCode.IMPORT_CODE_KIND_MISMATCH,
                    actual=actual,
                    kind=rec[self.kind_key],
                )
                return
            expected = v.nbs_parent(code)
            if not expected:
                if parent:
                    self.add(row, "parent_code", parent, ErrorCode.IMPORT_PROVINCE_PARENT)
            elif not parent:
                self.add(row, "parent_code", parent, ErrorCode.IMPORT_PARENT_REQUIRED)
            elif parent != expected:
                self.add(
                    row,
                    "parent_code",
                    parent,
                    ErrorCode.IMPORT_TERRITORIAL_PARENT,
                    unit=code,
                    expected=expected,
                )
            return
        if not v.UNIT_CODE_RE.match(code) and not (kind == "" and v.DIVISION_CODE_RE.match(code)):
            self.add(row, "code", code, ErrorCode.IMPORT_BAD_UNIT_CODE)
        if kind and not parent:
            self.add(row, "parent_code", parent, ErrorCode.IMPORT_PARENT_REQUIRED)

    # -- the whole file --------------------------------------------------------------------
    def check_graph(self, db: DbUnits) -> None:
        """Parents that exist, no cycles, division codes free."""
        for c in list(self.cands.values()):
            p = c.parent_code
            if not p or p in self.cands or p in db:
                continue
            if p in AUTO_ROOTS:
                root = AUTO_ROOTS[p]
                self.auto.append(root)
                self.cands[p] = Candidate(0, p, root.name, root.kind, "", "", root.has_party_org, "")
                continue
            self.add(c.row, "parent_code", p, ErrorCode.IMPORT_UNKNOWN_PARENT)
        for code in sorted(self.cycle_members(db), key=lambda c: self.cands[c].row):
            c = self.cands[code]
            chain = self.chain(code, db)
            self.add(c.row, "parent_code", c.parent_code, ErrorCode.IMPORT_PARENT_CYCLE_AT, chain=chain)
        territorial = [c.code for c in self.cands.values() if v.is_territorial(c.kind)]
        for division, other in division_codes_taken(territorial).items():
            if other not in self.cands:
                row = self.cands[division].row
                self.add(row, "code", division, ErrorCode.IMPORT_DIVISION_CODE_TAKEN, other=other)

    def parent_of(self, code: str, db: DbUnits) -> str:
        c = self.cands.get(code)
        if c is not None:
            p = c.parent_code
            return p if p in self.cands or p in db else ""
        return db.parent_code(code) if code in db else ""

    def cycle_members(self, db: DbUnits) -> set[str]:
        state: dict[str, int] = {}  # 1 on the current walk, 2 done
        members: set[str] = set()
        for start in self.cands:
            walk: list[str] = []
            cur = start
            while cur and cur not in state:
                state[cur] = 1
                walk.append(cur)
                cur = self.parent_of(cur, db)
            if cur and state.get(cur) == 1:
                members.update(c for c in walk[walk.index(cur) :] if c in self.cands)
            for c in walk:
                state[c] = 2
        return members

    def chain(self, code: str, db: DbUnits) -> str:
        codes = [code]
        cur = self.parent_of(code, db)
        while cur and cur != code and len(codes) < 8:
            codes.append(cur)
            cur = self.parent_of(cur, db)
        return " → ".join([*codes, cur if cur == code else "…"])

    def unit_rows(self, db: DbUnits) -> list[UnitRow]:
        rows = list(self.auto)
        auto_codes = {r.code for r in rows}
        for c in self.cands.values():
            if c.code not in auto_codes:
                rows.append(self.unit_row(c, db))
        return rows

    def subkind(self, c: Candidate, db: DbUnits) -> str:
        if v.is_territorial(c.kind):
            return subkind_from_code(c.code, c.kind)
        if c.kind != UnitKind.GRID:
            return ""
        if c.grid_subkind is not None:
            return c.grid_subkind
        parent = self.cands.get(c.parent_code)
        if parent is not None:
            return v.grid_subkind(self.subkind(parent, db) if parent.kind != UnitKind.GRID else "")
        existing = db.get(c.parent_code)
        return v.grid_subkind(existing.subkind if existing else "")

    def unit_row(self, c: Candidate, db: DbUnits) -> UnitRow:
        subkind = self.subkind(c, db)
        existing = db.get(c.code)
        has = c.has_party_org
        if has is None:
            has = existing.has_party_org if existing else c.kind in (UnitKind.TOWNSHIP, UnitKind.VILLAGE)
        cat = c.party_category
        if cat is None:
            if not has:
                cat = ""
            elif existing and existing.party_category:
                cat = existing.party_category
            else:
                cat = default_party_category(c.kind, subkind)
        return UnitRow(
            code=c.code,
            name=c.name,
            kind=c.kind,
            parent_code=c.parent_code,
            subkind=subkind,
            division_code=c.code if v.is_territorial(c.kind) else None,
            has_party_org=has,
            party_category=cat,
            row_number=c.row,
        )


def detect_nbs(headers: Iterable[str]) -> bool:
    return "level" in {normalize_header(h) for h in headers}


def import_units(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create or update its units in one transaction (the
    system administrator's: refused before reading the file to anyone else)."""
    check_tree_write(actor)
    table = read_table(path, progress=progress)
    nbs = detect_nbs(table.headers)
    cmap = map_columns(table.headers, NBS_COLUMNS if nbs else UNIT_COLUMNS)
    check = UnitFileCheck(cmap, nbs, actor)
    for rec in cmap.records(table):
        check.read(rec)
    db = DbUnits([*check.cands, *(c.parent_code for c in check.cands.values() if c.parent_code)])
    check.check_graph(db)
    check.finish()
    rows = check.unit_rows(db)
    with writing():
        res = units_upsert(rows=rows, actor=actor, source=path.name)
    result = ImportResult(created=res.created, updated=res.updated, unchanged=res.unchanged, moved=res.moved)
    for root in check.auto:
        if root.code in res.created_codes:
            result.notes.append(_("已自动建立上级单位 {name}({code})").format(name=root.name, code=root.code))
    return result
