"""The per-grid household counters (``GridHouseholds``) the database's triggers keep: every write
path (a service, a bulk insert that skips what exists, a queryset update or delete, raw SQL)
leaves them equal to counting the households."""

from django.db import connection
from django.db.models import Count

from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import GridHouseholds, Household
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.services.households import HouseholdRow, household_create, households_bulk_create


def counted() -> dict[int, int]:
    rows = Household.objects.values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n")
    return {g: n for g, n in rows if n}


def counters() -> dict[int, int]:
    return {g: n for g, n in GridHouseholds.objects.values_list("grid_id", "households") if n}


def test_every_write_path_keeps_the_counters(world):
    grid_a, grid_b = world.u["grid_a"], world.u["grid_b"]
    assert counters() == counted() != {}  # the fixture's factory rows are counted too

    household_create(actor=SYSTEM, grid=grid_a, number="A-1")
    rows = [HouseholdRow(grid=ref_of(grid_b), number=f"T-{i}") for i in range(5)]
    assert households_bulk_create(actor=SYSTEM, rows=rows, batch_size=2).created == 5
    assert households_bulk_create(actor=SYSTEM, rows=rows).created == 0  # skipped rows count nothing
    before = counters()
    assert before == counted()
    assert before[grid_b.pk] == counted()[grid_b.pk] >= 5

    # three households of grid b move to grid a in one statement; another column changes nothing
    moved = list(
        Household.objects.filter(grid=grid_b, number__in=["T-0", "T-1", "T-2"]).values_list("pk", flat=True)
    )
    Household.objects.filter(pk__in=moved).update(grid=grid_a)
    Household.objects.filter(grid=grid_a).update(head_name="改名")
    assert counters()[grid_a.pk] == before[grid_a.pk] + 3
    assert counters()[grid_b.pk] == before[grid_b.pk] - 3

    Household.objects.filter(pk__in=moved[:2]).delete()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Household._meta.db_table} WHERE id = %s", [moved[2]])
    assert counters() == counted()
    assert counters()[grid_a.pk] == before[grid_a.pk]


def test_a_bulk_batch_writes_each_grid_counter_once_and_skips_its_own_repeats(world):
    """PostgreSQL copies a batch into a staging table and inserts it in one statement, so the
    statement-level trigger updates a grid's counter once per batch, not once per household
    (per-row statements left the small counters table thousands of pages of dead rows)."""
    grid = ref_of(world.u["grid_b"])
    rows = [HouseholdRow(grid=grid, number=f"B-{i}", head_name="户主", members=3) for i in range(40)]
    rows.append(HouseholdRow(grid=grid, number="B-0"))  # the same number twice in one batch
    before = _counter_writes()
    result = households_bulk_create(actor=SYSTEM, rows=rows, batch_size=100)
    assert (result.created, result.skipped) == (40, 1)
    assert counters() == counted()
    assert Household.objects.get(grid_id=grid.id, number="B-7").members == 3
    if connection.vendor == "postgresql":
        assert _counter_writes() - before == 1  # one batch, one grid: one upsert
    again = households_bulk_create(actor=SYSTEM, rows=rows, batch_size=7)
    assert (again.created, again.skipped) == (0, 41)
    assert counters() == counted()


def _counter_writes() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_xact_user_tables WHERE relname = %s",
            [GridHouseholds._meta.db_table],
        )
        return int(cur.fetchone()[0])
