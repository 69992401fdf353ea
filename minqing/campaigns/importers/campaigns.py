"""``minqing import campaigns FILE``: the 专题 format (专题名称, 类型, 范围单位代码, 开始日期, 结束日期).

Key: 专题名称. 类型 is 主题教育 / 专题教育 / 其他 (blank: 主题教育). A campaign is written
here through ``Campaign.objects`` with ``path`` copied from its scope unit (the invariant a
campaign service keeps), because no campaign service existed when this importer was written;
move the write to ``campaign_create`` once there is one.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.batching import chunked
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import END_BEFORE_START, RowCheck, read_records, write_all
from minqing.core.importing.values import Choices, format_date
from minqing.core.tabular import Column, Record
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.policy import OFFICE

COLUMNS = (
    Column("name", "专题名称", ("name", "campaign", "专题"), required=True),
    Column("kind", "类型", ("kind", "type", "专题类型")),
    Column("scope_code", "范围单位代码", ("scope_code", "scope", "unit_code", "单位代码"), required=True),
    Column("start_date", "开始日期", ("start_date", "start", "开始时间"), required=True),
    Column("end_date", "结束日期", ("end_date", "end", "结束时间")),
)
NAME_MAX = 100
KINDS = Choices(CampaignKind.choices)


@dataclass
class CampaignCand:
    row: int
    name: str
    kind: str
    scope: Unit
    start_date: dt.date
    end_date: dt.date | None

    @property
    def key(self) -> str:
        return self.name

    def cells(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "scope_code": self.scope.pk,
            "start_date": format_date(self.start_date),
            "end_date": format_date(self.end_date),
        }


def read(check: RowCheck, rec: Record) -> CampaignCand | None:
    before = len(check.issues)
    name = check.text(rec, "name", NAME_MAX, required=True)
    if name:
        check.once(rec, "name", name, name)
    kind = check.choice(rec, "kind", KINDS, default=CampaignKind.THEMED)
    scope = check.unit(rec, "scope_code", roles=OFFICE)  # as campaign_create: the office of the scope
    start = check.date(rec, "start_date", required=True)
    end = check.date(rec, "end_date")
    if start and end and end < start:
        check.say(rec.row, "end_date", rec["end_date"], END_BEFORE_START, start=format_date(start))
    if len(check.issues) > before or scope is None or start is None:
        return None
    return CampaignCand(rec.row, name, kind, scope, start, end)


def import_campaigns(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create its new campaigns in one transaction."""
    cmap, records = read_records(path, COLUMNS, progress)
    check = RowCheck(cmap, actor)
    cands = [c for c in (read(check, r) for r in records) if c is not None]
    existing: dict[str, dict[str, object]] = {}
    for chunk in chunked([c.name for c in cands]):
        for old in Campaign.objects.filter(name__in=chunk):
            existing[old.name] = {
                "kind": old.kind,
                "scope_code": old.scope_id,
                "start_date": format_date(old.start_date),
                "end_date": format_date(old.end_date),
            }
    new, unchanged = check.split_new(cands, existing, "name")
    check.finish()

    def write() -> None:
        for c in new:
            Campaign.objects.create(
                name=c.name,
                kind=c.kind,
                scope=c.scope,
                path=c.scope.path,
                start_date=c.start_date,
                end_date=c.end_date,
            )

    write_all(
        write, actor=actor, object_type="campaigns.campaign", path=path, created=len(new), unchanged=unchanged
    )
    return ImportResult(created=len(new), unchanged=unchanged)
