"""The rollups give exactly what the tables give: ``activity_counts`` == ``direct_counts`` for any
unit, period (whole months, days, partial days, across month and year ends), campaign, and any
mix of folded and not-yet-folded rows; a rebuild equals the incremental refreshes."""

import datetime as dt
import random
from typing import Any, cast

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from minqing.activities import counting, tasks
from minqing.activities.counting import activity_counts, direct_counts
from minqing.activities.models import Activity, ActivityRollup, ActivityType, RollupLevel, RollupState
from minqing.activities.services import rollups
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.activities.services.bulk import AttendanceRow, attendance_bulk_create
from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Person, Unit
from minqing.orgs.tests.factories import PersonFactory, small_tree

pytestmark = pytest.mark.django_db

TZ_DAYS = (dt.date(2019, 1, 30), dt.date(2019, 3, 3))  # a window over two month ends


def aware(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def key(counts: list[counting.TypeCount]) -> dict[str, tuple[int, int, int, int]]:
    return {c.type.code: (c.sessions, c.person_times, c.people, c.headcount_only) for c in counts}


class World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.u = small_tree()
        self.types = list(ActivityType.objects.filter(code__in=["reading_class", "seminar", "party_lecture"]))
        self.camp = campaign_create(
            actor=SYSTEM, name="主题教育", scope=self.u["prefecture"], start_date=TZ_DAYS[0]
        )
        self.units = [self.u[k] for k in ("town_a", "town_b", "village_a", "village_b", "grid_a", "county")]
        self.people = [cast(Person, PersonFactory(unit=self.u["town_a"])) for _ in range(12)]
        self.n = 0

    def add(self, count: int) -> None:
        span = (TZ_DAYS[1] - TZ_DAYS[0]).days
        for _ in range(count):
            self.n += 1
            day = TZ_DAYS[0] + dt.timedelta(days=self.rng.randrange(span))
            start = aware(day, self.rng.choice([0, 0, 8, 23]), self.rng.choice([0, 30, 59]))
            headcount = self.rng.choice([None, None, None, self.rng.randrange(5, 60)])
            act = activity_create(
                actor=SYSTEM,
                type=self.rng.choice(self.types),
                organiser=self.rng.choice(self.units),
                title=f"活动{self.n}",
                start=start,
                campaign=self.rng.choice([None, self.camp]),
                headcount=headcount,
            )
            if headcount is None:
                for p in self.rng.sample(self.people, self.rng.randrange(0, 6)):
                    attendance_check_in(actor=SYSTEM, activity=act, person=p)

    def periods(self) -> list[tuple[dt.datetime, dt.datetime]]:
        out = [
            (aware(dt.date(2019, 1, 1)), aware(dt.date(2020, 1, 1))),  # whole months
            (aware(dt.date(2019, 2, 1)), aware(dt.date(2019, 3, 1))),  # one month
            (aware(dt.date(2019, 1, 31)), aware(dt.date(2019, 2, 2))),  # days over a month end
            (aware(dt.date(2019, 1, 31), 8, 30), aware(dt.date(2019, 3, 2), 23, 30)),  # partial days
            (aware(dt.date(2019, 2, 10), 8), aware(dt.date(2019, 2, 10), 9)),  # within one day
            (aware(dt.date(2019, 2, 10)), aware(dt.date(2019, 2, 10))),  # empty
        ]
        for _ in range(6):
            a = aware(TZ_DAYS[0] + dt.timedelta(days=self.rng.randrange(35)), self.rng.randrange(24))
            out.append((a, a + dt.timedelta(hours=self.rng.randrange(1, 24 * 40))))
        return out

    def check(self) -> None:
        for unit in [*self.units, self.u["province"]]:
            for lo, hi in self.periods():
                for camp in (None, self.camp):
                    want = key(direct_counts(SYSTEM, unit, lo, hi, campaign=camp))
                    got = key(activity_counts(SYSTEM, unit, lo, hi, campaign=camp))
                    assert got == want, (unit.name, lo, hi, camp)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_direct_counts_before_during_and_after_refreshes(seed: int) -> None:
    w = World(seed)
    w.add(25)
    w.check()  # nothing folded yet: all from the tables
    assert rollups.rollups_refresh().activities == 25
    w.check()  # all from the rollups (and the partial days from the tables)
    w.add(10)
    w.check()  # folded rows plus new ones
    rollups.rollups_refresh()
    w.check()
    assert rollups.pending_rows() == 0


def test_rebuild_equals_incremental_refreshes() -> None:
    w = World(7)
    w.add(15)
    rollups.rollups_refresh()
    w.add(15)
    rollups.rollups_refresh()
    incremental = sorted(
        ActivityRollup.objects.values_list(
            "path",
            "level",
            "type_id",
            "campaign_key",
            "bucket",
            "sessions",
            "headcount",
            "roster_rows",
            "people",
        )
    )
    assert rollups.rollups_refresh(rebuild=True).rebuilt
    rebuilt = sorted(
        ActivityRollup.objects.values_list(
            "path",
            "level",
            "type_id",
            "campaign_key",
            "bucket",
            "sessions",
            "headcount",
            "roster_rows",
            "people",
        )
    )
    assert [r[:8] for r in incremental] == [r[:8] for r in rebuilt]


def test_bucket_keys_are_local_days_and_months_of_every_ancestor() -> None:
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    # 00:30 on 1 March in Beijing is still 28 February in UTC: the bucket is the local day
    act = activity_create(
        actor=SYSTEM,
        type=reading,
        organiser=u["grid_a"],
        title="午夜",
        start=aware(dt.date(2019, 3, 1), 0, 30),
    )
    attendance_check_in(actor=SYSTEM, activity=act, person=cast(Person, PersonFactory(unit=u["grid_a"])))
    rollups.rollups_refresh()
    days = set(ActivityRollup.objects.filter(level=RollupLevel.DAY).values_list("path", "bucket"))
    months = set(ActivityRollup.objects.filter(level=RollupLevel.MONTH).values_list("path", "bucket"))
    chain = rollups.ancestors(u["grid_a"].path)
    assert chain[0] == u["province"].path and chain[-1] == u["grid_a"].path and len(chain) == 6
    assert days == {(p, dt.date(2019, 3, 1)) for p in chain}
    assert months == {(p, dt.date(2019, 3, 1)) for p in chain}


def test_a_long_tail_is_counted_from_the_tables_and_nothing_refreshes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reads never write: with more than ``TAIL_ROWS`` rows above the marks a count reads the
    tables alone (exact), and the rollups stay as they were until a job refreshes them."""
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    people = [cast(Person, PersonFactory(unit=u["town_a"])) for _ in range(5)]
    act = activity_create(
        actor=SYSTEM, type=reading, organiser=u["town_a"], title="一", start=aware(TZ_DAYS[0], 9)
    )
    attendance_bulk_create([AttendanceRow(act.pk, p.pk, timezone.now()) for p in people])
    monkeypatch.setattr(counting, "TAIL_ROWS", 3)
    monkeypatch.setattr(
        counting, "_counts", lambda *a: pytest.fail("the rollups were read beside a long tail")
    )
    assert rollups.pending_rows() == 6
    lo, hi = aware(dt.date(2019, 1, 1)), aware(dt.date(2020, 1, 1))
    got = key(activity_counts(SYSTEM, u["county"], lo, hi))
    assert got["reading_class"] == (1, 5, 5, 0)
    assert rollups.pending_rows() == 6 and not RollupState.objects.exists()
    # the minute job folds them in once more than JOB_REFRESH_ROWS wait
    monkeypatch.setattr(rollups, "JOB_REFRESH_ROWS", 5)
    assert tasks.rollups_when_behind.call_local() is not None
    assert rollups.pending_rows() == 0
    assert tasks.rollups_when_behind.call_local() is None


def test_campaign_rows_only_count_for_their_campaign() -> None:
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    camp = campaign_create(actor=SYSTEM, name="专题", scope=u["county"], start_date=TZ_DAYS[0])
    other = campaign_create(actor=SYSTEM, name="另一专题", scope=u["county"], start_date=TZ_DAYS[0])
    for c in (camp, None, camp):
        start = aware(TZ_DAYS[0], 9)
        activity_create(
            actor=SYSTEM,
            type=reading,
            organiser=u["town_a"],
            title="x",
            start=start,
            campaign=c,
            headcount=10,
        )
    rollups.rollups_refresh()
    lo, hi = aware(dt.date(2019, 1, 1)), aware(dt.date(2020, 1, 1))
    assert key(activity_counts(SYSTEM, u["county"], lo, hi, campaign=camp))["reading_class"] == (2, 20, 0, 2)
    assert key(activity_counts(SYSTEM, u["county"], lo, hi, campaign=other))["reading_class"] == (0, 0, 0, 0)
    assert key(activity_counts(SYSTEM, u["county"], lo, hi))["reading_class"] == (3, 30, 0, 3)


def test_a_person_who_attended_cannot_be_deleted() -> None:
    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    p = cast(Person, PersonFactory(unit=u["town_a"]))
    act = activity_create(
        actor=SYSTEM, type=reading, organiser=u["town_a"], title="一", start=aware(TZ_DAYS[0], 9)
    )
    attendance_check_in(actor=SYSTEM, activity=act, person=p)
    with pytest.raises(ProtectedError):
        p.delete()
    assert Person.objects.filter(pk=p.pk).exists()


def test_a_moved_unit_takes_its_activities_counts_and_problems_along() -> None:
    from minqing.ledger.services.intake import ProblemFacts, problem_register
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.services.units import UnitRow, units_upsert

    u = small_tree()
    reading = ActivityType.objects.get(code="reading_class")
    act = activity_create(
        actor=SYSTEM, type=reading, organiser=u["grid_a"], title="网格学习", start=aware(TZ_DAYS[0], 9)
    )
    attendance_check_in(actor=SYSTEM, activity=act, person=cast(Person, PersonFactory(unit=u["grid_a"])))
    problem = problem_register(
        actor=SYSTEM, facts=ProblemFacts(title="路灯不亮", description="", unit=u["grid_a"])
    )
    rollups.rollups_refresh()
    lo, hi = aware(dt.date(2019, 1, 1)), aware(dt.date(2020, 1, 1))
    assert key(activity_counts(SYSTEM, u["town_a"], lo, hi))["reading_class"] == (1, 1, 1, 0)

    row = UnitRow("G-A-01", "泉山社区第一网格", UnitKind.GRID, "150902101201", "community_grid")
    assert units_upsert(actor=SYSTEM, rows=[row]).moved == 1
    grid = Unit.objects.get(code="G-A-01")
    assert grid.path.startswith(u["village_b"].path)
    act.refresh_from_db()
    problem.refresh_from_db()
    assert act.path == grid.path and problem.path == grid.path
    assert set(act.attendance.values_list("path", flat=True)) == {grid.path}
    for unit, want in ((u["town_a"], (0, 0, 0, 0)), (u["town_b"], (1, 1, 1, 0))):
        fresh = Unit.objects.get(pk=unit.pk)
        assert key(activity_counts(SYSTEM, fresh, lo, hi))["reading_class"] == want
        assert key(direct_counts(SYSTEM, fresh, lo, hi))["reading_class"] == want


def test_rollup_command_folds_and_rebuilds() -> None:
    from io import StringIO

    from django.core.management import call_command

    w = World(5)
    w.add(8)
    out = StringIO()
    call_command("rollup_activities", stdout=out)
    assert "计入活动 8 个" in out.getvalue()
    assert rollups.pending_rows() == 0
    call_command("rollup_activities", "--rebuild", stdout=out)
    assert out.getvalue().count("计入活动 8 个") == 2
    w.check()


def test_a_refresh_committed_during_a_count_is_caught_and_the_count_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refresh between reading the marks and reading the rows would count the folded rows twice
    (in the rollups and above the old marks); ``consistent_read`` sees the marks move and reads
    again, so the count still equals the tables."""
    w = World(7)
    w.add(20)
    lo, hi = aware(dt.date(2019, 1, 1)), aware(dt.date(2020, 1, 1))
    unit = w.u["province"]
    want = key(direct_counts(SYSTEM, unit, lo, hi))
    real = counting._counts
    calls: list[Any] = []

    def counts_with_a_refresh_in_between(*args: Any) -> list[counting.TypeCount]:
        calls.append(args[-2])  # the marks (the last argument: whether rows wait above them)
        if len(calls) == 1:  # marks read; a refresh commits before the rows are read
            rollups.rollups_refresh()
        return real(*args)

    monkeypatch.setattr(counting, "_counts", counts_with_a_refresh_in_between)
    assert key(activity_counts(SYSTEM, unit, lo, hi)) == want
    assert len(calls) == 2 and calls[0].activity_mark == 0 and calls[1].activity_mark > 0


def test_refreshes_that_keep_committing_end_in_a_direct_read() -> None:
    """If the marks move during every try, the last answer comes from the tables alone (no lock:
    a read-only connection cannot take one)."""
    w = World(8)
    reads: list[int] = []

    def read(st: RollupState, waiting: bool) -> str:
        reads.append(st.activity_mark)
        w.add(1)
        rollups.rollups_refresh()
        return "rollups"

    assert counting.consistent_read(read, lambda: "tables") == "tables"
    assert len(reads) == counting.READ_TRIES
    last_id = Activity.objects.order_by("-id").values_list("id", flat=True).first()
    assert rollups.state().activity_mark == last_id
