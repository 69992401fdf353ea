"""``minqing import attendance FILE``: the 签到 format (活动编号, 人员编号, 签到时间).

The activity and the person must exist in the database (import people and activities first).
One row per person per activity: a repeat within the file is an error naming the first row; a
row already in the database with the same 签到时间 (or with 签到时间 blank in the file) is left
unchanged; with a different 签到时间 it is an error (已存在且内容不同). A blank 签到时间 on a
new row means the activity's start. An activity counted by headcount (参加人数) has no roster:
its rows are errors. Written with ``attendance_bulk_create`` (COPY on PostgreSQL), which
copies path, start and type from the activity: 100,000 rows take seconds.
"""

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from minqing.activities.models import Activity, Attendance, CheckInMethod
from minqing.activities.services.bulk import AttendanceRow, attendance_bulk_create
from minqing.activities.services.rollups import rollups_refresh
from minqing.core.batching import chunked
from minqing.core.errors import ErrorCode
from minqing.core.importing import ImportResult
from minqing.core.importing.rows import RowCheck, read_records, write_all
from minqing.core.importing.values import format_datetime
from minqing.core.tabular import Column, Record
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person
from minqing.orgs.policy import UNIT_WRITERS, has_role

COLUMNS = (
    Column("activity", "活动编号", ("activity", "activity_number"), required=True),
    Column("person", "人员编号", ("person", "person_number"), required=True),
    Column("checked_in_at", "签到时间", ("checked_in_at", "time", "签到日期")),
)
UNKNOWN_ACTIVITY = _("活动编号“{value}”不存在")
HEADCOUNT_ONLY = _("活动“{value}”按参加人数登记,没有签到名单,不能导入签到")


class Act:
    __slots__ = ("headcount", "id", "path", "start")

    def __init__(self, pk: int, path: str, start: dt.datetime, headcount: int | None) -> None:
        self.id, self.path, self.start, self.headcount = pk, path, start, headcount


class AttendanceFileCheck(RowCheck):
    def prepare(self, records: list[Record]) -> None:
        self.unchanged = 0
        self.acts: dict[str, Act] = {}
        self.people: dict[str, int] = {}
        numbers = sorted({r["activity"] for r in records if r["activity"]})
        for chunk in chunked(numbers):
            qs = Activity.objects.filter(number__in=chunk).values_list(
                "number", "id", "path", "start", "headcount"
            )
            for n, pk, path, start, hc in qs:
                self.acts[n] = Act(pk, path, start, hc)
        for chunk in chunked(sorted({r["person"] for r in records if r["person"]})):
            self.people.update(Person.objects.filter(number__in=chunk).values_list("number", "id"))
        self.allowed = {
            p: has_role(self.actor, UNIT_WRITERS, p) for p in {a.path for a in self.acts.values()}
        }
        self.existing: dict[tuple[int, int], dt.datetime] = {}
        for ids in chunked(sorted(a.id for a in self.acts.values())):
            rows = Attendance.objects.filter(activity_id__in=ids).values_list(
                "activity_id", "person_id", "checked_in_at"
            )
            self.existing.update(((a, p), t) for a, p, t in rows)

    def read(self, rec: Record) -> AttendanceRow | None:
        """A new row; None when it is unchanged or has issues (``self.unchanged`` counts the former)."""
        before = len(self.issues)
        act = self.acts.get(rec["activity"]) if rec["activity"] else None
        if not rec["activity"]:
            self.add(rec.row, "activity", "", ErrorCode.IMPORT_REQUIRED)
        elif act is None:
            self.say(rec.row, "activity", rec["activity"], UNKNOWN_ACTIVITY)
        elif act.headcount is not None:
            self.say(rec.row, "activity", rec["activity"], HEADCOUNT_ONLY)
        elif not self.allowed[act.path]:
            self.add(rec.row, "activity", rec["activity"], ErrorCode.PERMISSION_DENIED)
        person = self.people.get(rec["person"]) if rec["person"] else None
        if not rec["person"]:
            self.add(rec.row, "person", "", ErrorCode.IMPORT_REQUIRED)
        elif person is None:
            self.add(rec.row, "person", rec["person"], ErrorCode.IMPORT_UNKNOWN_PERSON)
        at = self.when(rec, "checked_in_at")
        if len(self.issues) > before or act is None or person is None:
            return None
        if not self.once(rec, "person", (act.id, person), f"{rec['activity']} / {rec['person']}"):
            return None
        old = self.existing.get((act.id, person))
        if old is not None:
            mine: dict[str, object] = {"checked_in_at": format_datetime(at) if at else format_datetime(old)}
            self.unchanged += self.compare(
                rec.row, "person", rec["person"], mine, {"checked_in_at": format_datetime(old)}
            )
            return None
        return AttendanceRow(act.id, person, at or act.start, CheckInMethod.IMPORT)


def import_attendance(path: Path, *, actor: Actor, progress: bool = False) -> ImportResult:
    """Check every row of ``path``, then write its new attendance rows in one transaction."""
    cmap, records = read_records(path, COLUMNS, progress)
    check = AttendanceFileCheck(cmap, actor)
    check.prepare(records)
    rows = [r for r in (check.read(rec) for rec in records) if r is not None]
    check.finish()
    write_all(
        lambda: attendance_bulk_create(rows),
        actor=actor,
        object_type="activities.attendance",
        path=path,
        created=len(rows),
        unchanged=check.unchanged,
    )
    rollups_refresh()  # fold the new rows into the counting rollups at once
    return ImportResult(created=len(rows), unchanged=check.unchanged)
