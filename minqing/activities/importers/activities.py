"""``minqing import activities FILE``: the 活动 format (活动编号, 专题名称, 活动类型, 组织单位代码,
开始时间, 结束时间, 标题, 参加人数).

Key: 活动编号. 活动类型 is a type's Chinese name (or its code); 专题名称 may be blank.
参加人数 only for an activity without a roster: a row that gives it for an activity that
already has attendance rows in the database is an error. New activities are written with
``activities_bulk_create`` (path copied from the organiser, a unique check-in code each).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Activity, ActivityType, Attendance
from minqing.activities.services.bulk import ActivityRow, activities_bulk_create
from minqing.activities.services.rollups import rollups_refresh
from minqing.campaigns.models import Campaign
from minqing.core.batching import chunked
from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import END_BEFORE_START, RowCheck, read_records, write_all
from minqing.core.importing.values import format_datetime, normalize
from minqing.core.tabular import Column, Record
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.policy import UNIT_WRITERS
from minqing.orgs.services.bulk import ref_of

COLUMNS = (
    Column("number", "活动编号", ("number", "activity_number", "编号"), required=True),
    Column("campaign", "专题名称", ("campaign", "专题")),
    Column("type", "活动类型", ("type", "activity_type", "类型"), required=True),
    Column(
        "organiser_code",
        "组织单位代码",
        ("organiser_code", "organiser", "unit_code", "单位代码"),
        required=True,
    ),
    Column("start", "开始时间", ("start", "开始日期"), required=True),
    Column("end", "结束时间", ("end", "结束日期")),
    Column("title", "标题", ("title", "活动名称"), required=True),
    Column("headcount", "参加人数", ("headcount", "参加人次")),
)
NUMBER_MAX, TITLE_MAX = 40, 200
UNKNOWN_TYPE = _("无法识别的活动类型“{value}”")
HEADCOUNT_WITH_ROSTER = _("活动“{number}”已有签到名单,不能再填写参加人数(参加人数只用于没有签到名单的活动)")


@dataclass
class ActivityCand:
    row: int
    number: str
    campaign: Campaign | None
    type: ActivityType
    organiser: Unit
    start: dt.datetime
    end: dt.datetime | None
    title: str
    headcount: int | None

    @property
    def key(self) -> str:
        return self.number

    def cells(self) -> dict[str, object]:
        return {
            "campaign": self.campaign.pk if self.campaign else None,
            "type": self.type.pk,
            "organiser_code": self.organiser.pk,
            "start": format_datetime(self.start),
            "end": format_datetime(self.end),
            "title": self.title,
            "headcount": self.headcount,
        }


class ActivityFileCheck(RowCheck):
    def prepare(self, records: list[Record]) -> None:
        names = {r["campaign"] for r in records if r["campaign"]}
        self.campaigns = {c.name: c for c in Campaign.objects.filter(name__in=names)}
        self.types: dict[str, ActivityType] = {}
        for t in ActivityType.objects.all():
            self.types[normalize(t.code).lower()] = t
            self.types[normalize(t.name).lower()] = t

    def read(self, rec: Record) -> ActivityCand | None:
        before = len(self.issues)
        number = self.text(rec, "number", NUMBER_MAX, required=True)
        if number:
            self.once(rec, "number", number, number)
        campaign = self.campaigns.get(rec["campaign"]) if rec["campaign"] else None
        if rec["campaign"] and campaign is None:
            self.add(rec.row, "campaign", rec["campaign"], ErrorCode.IMPORT_UNKNOWN_CAMPAIGN)
        kind = self.types.get(normalize(rec["type"]).lower()) if rec["type"] else None
        if not rec["type"]:
            self.add(rec.row, "type", "", ErrorCode.IMPORT_REQUIRED)
        elif kind is None:
            self.say(rec.row, "type", rec["type"], UNKNOWN_TYPE)
        unit = self.unit(rec, "organiser_code", roles=UNIT_WRITERS)
        start = self.when(rec, "start", required=True)
        end = self.when(rec, "end")
        if start and end and end < start:
            self.say(rec.row, "end", rec["end"], END_BEFORE_START, start=format_datetime(start))
        title = self.text(rec, "title", TITLE_MAX, required=True)
        headcount = self.count(rec, "headcount")
        if len(self.issues) > before or kind is None or unit is None or start is None:
            return None
        return ActivityCand(rec.row, number, campaign, kind, unit, start, end, title, headcount)


def _existing(numbers: list[str]) -> tuple[dict[str, dict[str, object]], set[str]]:
    """Existing activities' cells by number, and the numbers of those with a roster."""
    cells: dict[str, dict[str, object]] = {}
    ids: dict[int, str] = {}
    fields = ("id", "number", "campaign_id", "type_id", "organiser_id", "start", "end", "title", "headcount")
    for chunk in chunked(numbers):
        for pk, number, camp, typ, org, start, end, title, hc in Activity.objects.filter(
            number__in=chunk
        ).values_list(*fields):
            ids[pk] = number
            cells[number] = {
                "campaign": camp,
                "type": typ,
                "organiser_code": org,
                "start": format_datetime(start),
                "end": format_datetime(end),
                "title": title,
                "headcount": hc,
            }
    rostered: set[str] = set()
    for part in chunked(sorted(ids)):
        qs = Attendance.objects.filter(activity_id__in=part).values_list("activity_id", flat=True).distinct()
        rostered.update(ids[i] for i in qs)
    return cells, rostered


def import_activities(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then create its new activities in one transaction."""
    cmap, records = read_records(path, COLUMNS, progress)
    check = ActivityFileCheck(cmap, actor)
    check.prepare(records)
    cands = [c for c in (check.read(r) for r in records) if c is not None]
    existing, rostered = _existing([c.number for c in cands])
    for c in cands:
        if c.headcount is not None and c.number in rostered:
            check.say(c.row, "headcount", str(c.headcount), HEADCOUNT_WITH_ROSTER, number=c.number)
    fit = [c for c in cands if c.headcount is None or c.number not in rostered]
    new, unchanged = check.split_new(fit, existing, "number")
    check.finish()
    rows = [
        ActivityRow(
            number=c.number,
            type_id=c.type.pk,
            organiser=ref_of(c.organiser),
            title=c.title,
            start=c.start,
            end=c.end,
            campaign_id=c.campaign.pk if c.campaign else None,
            headcount=c.headcount,
        )
        for c in new
    ]
    write_all(
        lambda: activities_bulk_create(rows, seed=path.name),
        actor=actor,
        object_type="activities.activity",
        path=path,
        created=len(new),
        unchanged=unchanged,
    )
    rollups_refresh()  # fold the new rows into the counting rollups at once
    return ImportResult(created=len(new), unchanged=unchanged)
