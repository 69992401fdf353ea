"""Rollups behind ``activity_counts``: sessions, person-times and distinct people per unit, type,
campaign and local day or month, kept so that counting a city's year reads a few thousand rows
instead of two million.

Activities and attendance are only ever added (no service edits or deletes them; a person who
attended is protected from deletion), so the rollups follow the tables by id: ``RollupState``
holds the highest activity and attendance ids folded in, and ``activity_counts`` counts rows
above those marks (the tail) straight from the tables. ``rollups_refresh`` folds the new rows
in; only writers run it: the importers and the demo after their bulk writes, huey (every ten
minutes, and every minute once more than ``JOB_REFRESH_ROWS`` rows wait, see ``tasks.py``) and
``minqing rollup-activities``. Readers never do (a dashboard or a bulletin must run on a
read-only replica): with more than ``TAIL_ROWS`` rows in the tail, a count reads the tables
alone instead, slower but exact, so the jobs keep the tail well below that. A moved unit
rewrites copied paths, so it asks for ``rollups_refresh(rebuild=True)``.

Refreshes are serialized: the state row is locked (SQLite transactions take the write lock at
BEGIN), and on PostgreSQL both tables are locked in SHARE mode so that every id up to the
current maximum belongs to a committed row before the marks move past it.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from pyroaring import BitMap

from minqing.activities.models import Activity, ActivityRollup, Attendance, RollupLevel, RollupState
from minqing.core.batching import chunked
from minqing.core.local_days import first_of_month

STATE = "activities"
STEP = 3  # treebeard steplen of unit paths
TAIL_ROWS = 5_000  # a longer tail is not read beside the rollups: the count reads the tables alone
JOB_REFRESH_ROWS = 1_000  # the minute job refreshes once this many rows wait
WRITE_BATCH = 2_000

Key = tuple[str, str, int, int, dt.date]  # path, level, type id, campaign key, bucket
LeafKey = tuple[str, int, int, dt.date]  # organiser path, type id, campaign key, local day


@dataclass
class Cell:
    sessions: int = 0
    headcount: int = 0
    headcount_only: int = 0
    roster_rows: int = 0
    people: BitMap = field(default_factory=BitMap)

    def merge(self, other: "Cell") -> None:
        self.sessions += other.sessions
        self.headcount += other.headcount
        self.headcount_only += other.headcount_only
        self.roster_rows += other.roster_rows
        self.people |= other.people


@dataclass
class RefreshResult:
    activities: int = 0
    attendance: int = 0
    rows_written: int = 0
    rebuilt: bool = False


def ancestors(path: str) -> list[str]:
    """The path of every unit from the root down to ``path`` itself."""
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def state() -> RollupState:
    try:
        return RollupState.objects.get_or_create(name=STATE)[0]
    except IntegrityError:  # created by a concurrent refresh in the meantime
        return RollupState.objects.get(name=STATE)


def read_state() -> RollupState:
    """The marks as they stand, read without writing (a new, unsaved state at 0 before the
    first refresh): what readers use."""
    return RollupState.objects.filter(name=STATE).first() or RollupState(name=STATE)


def pending_rows(limit: int | None = None, st: RollupState | None = None) -> int:
    """Activity and attendance rows not folded into the rollups yet (ids above the marks of
    ``st``, by default the current ones).

    Rows are counted, not ids subtracted: ids need not be dense (PostgreSQL sequences skip).
    With ``limit``, each table is counted only up to ``limit + 1`` rows, which is cheap."""
    st = st if st is not None else read_state()
    n = 0
    for qs in (
        Activity.objects.filter(id__gt=st.activity_mark),
        Attendance.objects.filter(id__gt=st.attendance_mark),
    ):
        ids = qs.order_by("id").values("id")
        n += ids.count() if limit is None else ids[: limit + 1].count()
    return n


def refresh_if_behind(limit: int | None = None) -> RefreshResult | None:
    """Refresh when more than ``limit`` (``JOB_REFRESH_ROWS``) rows wait: a job's check, readers
    never call it."""
    limit = JOB_REFRESH_ROWS if limit is None else limit
    if pending_rows(limit) > limit:
        return rollups_refresh()
    return None


def _leaf_cells(
    activities: Iterable[tuple[int, str, int, int | None, dt.datetime, int | None]],
    attendance: Iterator[tuple[int, int]],
    meta: dict[int, LeafKey],
) -> tuple[dict[LeafKey, Cell], int, int]:
    """Cells per organiser path and local day from new activities and new attendance rows.

    ``meta`` maps activity ids to their leaf key; attendance of activities not in it (older ones)
    is looked up in the table."""
    leaf: dict[LeafKey, Cell] = {}
    n_act = 0
    for pk, path, type_id, campaign_id, start, headcount in activities:
        key = (path, type_id, campaign_id or 0, local_day(start))
        meta[pk] = key
        cell = leaf.get(key)
        if cell is None:
            cell = leaf[key] = Cell()
        cell.sessions += 1
        if headcount is not None:
            cell.headcount += headcount
            cell.headcount_only += 1
        n_act += 1
    n_att = 0
    pending: list[tuple[int, int]] = []

    def flush() -> None:
        missing = sorted({a for a, _ in pending if a not in meta})
        for part in chunked(missing):
            for pk, path, type_id, campaign_id, start in Activity.objects.filter(id__in=part).values_list(
                "id", "path", "type_id", "campaign_id", "start"
            ):
                meta[pk] = (path, type_id, campaign_id or 0, local_day(start))
        for activity_id, person_id in pending:
            key = meta[activity_id]
            cell = leaf.get(key)
            if cell is None:
                cell = leaf[key] = Cell()
            cell.roster_rows += 1
            cell.people.add(person_id)
        pending.clear()

    for row in attendance:
        pending.append(row)
        n_att += 1
        if len(pending) >= 50_000:
            flush()
    flush()
    return leaf, n_act, n_att


def _expand(leaf: dict[LeafKey, Cell]) -> dict[Key, Cell]:
    """Each leaf cell added to the day and month cells of the organiser and of every ancestor."""
    cells: dict[Key, Cell] = {}
    for (path, type_id, campaign_key, day), cell in leaf.items():
        month = first_of_month(day)
        for anc in ancestors(path):
            for key in ((anc, RollupLevel.DAY, type_id, campaign_key, day),
                        (anc, RollupLevel.MONTH, type_id, campaign_key, month)):  # fmt: skip
                target = cells.get(key)
                if target is None:
                    cells[key] = target = Cell()
                target.merge(cell)
    return cells


def _serialize(bitmap: BitMap) -> bytes:
    bitmap.run_optimize()
    return bytes(bitmap.serialize())


def _write(cells: dict[Key, Cell], *, fresh: bool) -> int:
    """Add ``cells`` to the stored rollups (insert new keys, merge into existing ones)."""
    existing: dict[Key, ActivityRollup] = {}
    if not fresh and cells:
        by_path: dict[str, set[dt.date]] = {}
        for path, _level, _t, _c, bucket in cells:
            by_path.setdefault(path, set()).add(bucket)
        for paths in chunked(sorted(by_path), 200):
            buckets = sorted(set().union(*(by_path[p] for p in paths)))
            qs = ActivityRollup.objects.filter(
                path__in=paths, bucket__gte=buckets[0], bucket__lte=buckets[-1]
            )
            for r in qs:
                key = (r.path, r.level, r.type_id, r.campaign_key, r.bucket)
                if key in cells:
                    existing[key] = r
    updates: list[ActivityRollup] = []
    creates: list[ActivityRollup] = []
    for key, cell in cells.items():
        row = existing.get(key)
        if row is not None:
            old = BitMap.deserialize(bytes(row.people)) if row.people else BitMap()
            row.sessions += cell.sessions
            row.headcount += cell.headcount
            row.headcount_only += cell.headcount_only
            row.roster_rows += cell.roster_rows
            row.people = _serialize(old | cell.people)
            updates.append(row)
            continue
        path, level, type_id, campaign_key, bucket = key
        creates.append(
            ActivityRollup(
                path=path,
                level=level,
                type_id=type_id,
                campaign_key=campaign_key,
                bucket=bucket,
                sessions=cell.sessions,
                headcount=cell.headcount,
                headcount_only=cell.headcount_only,
                roster_rows=cell.roster_rows,
                people=_serialize(cell.people),
            )
        )
    fields = ["sessions", "headcount", "headcount_only", "roster_rows", "people"]
    for batch in chunked(updates, WRITE_BATCH):
        ActivityRollup.objects.bulk_update(batch, fields)
    for batch in chunked(creates, WRITE_BATCH):
        ActivityRollup.objects.bulk_create(batch)
    return len(updates) + len(creates)


def rollups_refresh(*, rebuild: bool = False) -> RefreshResult:
    """Fold activities and attendance above the marks into the rollups (all of them with ``rebuild``)."""
    state()  # make sure the row exists before it is locked
    with transaction.atomic():
        st = RollupState.objects.select_for_update().get(name=STATE)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {Activity._meta.db_table}, {Attendance._meta.db_table} IN SHARE MODE"
                )
        if rebuild:
            st.activity_mark = st.attendance_mark = 0
        fresh = st.activity_mark == 0 and st.attendance_mark == 0
        if fresh:  # nothing folded in yet: start from an empty table
            ActivityRollup.objects.all().delete()
        top_a = Activity.objects.aggregate(m=Max("id"))["m"] or 0
        top_t = Attendance.objects.aggregate(m=Max("id"))["m"] or 0
        acts = Activity.objects.filter(id__gt=st.activity_mark, id__lte=top_a).values_list(
            "id", "path", "type_id", "campaign_id", "start", "headcount"
        )
        rows = (
            Attendance.objects.filter(id__gt=st.attendance_mark, id__lte=top_t)
            .values_list("activity_id", "person_id")
            .iterator(chunk_size=20_000)
        )
        leaf, n_act, n_att = _leaf_cells(acts.iterator(chunk_size=20_000), rows, {})
        written = _write(_expand(leaf), fresh=fresh)
        st.activity_mark, st.attendance_mark = max(top_a, st.activity_mark), max(top_t, st.attendance_mark)
        st.refreshed_at = timezone.now()
        st.save()
    return RefreshResult(activities=n_act, attendance=n_att, rows_written=written, rebuilt=rebuild)


def rebuild_after_move(old: str, new: str) -> None:
    """A moved unit changed copied paths, so the path-keyed rollups are built again."""
    rollups_refresh(rebuild=True)
