"""The per-county, per-day counters of visits to contact points (``VisitDayCount``) the database's
triggers keep: every write path (the service, a bulk insert, a queryset update or delete, raw SQL,
a moved unit's path rewrite) leaves them equal to counting the visits, and the bulletin's figure
read from them equals the figure counted from the visits."""

import datetime as dt
from collections import Counter
from typing import cast

import pytest
from django.db import connection

from minqing.activities.models import Visit, VisitDayCount
from minqing.activities.services.visits import visit_record
from minqing.core.paths import COUNTY_PATH
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Household, Person, Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import HouseholdFactory, PersonFactory, make_units, small_tree
from minqing.reports.metrics import visits as visit_metric
from minqing.reports.metrics.registry import MetricContext

D1, D2, D3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 31)


def counted() -> Counter[tuple[str, dt.date]]:
    """What the counters should hold: the contact-point visits by cut path and day."""
    rows = Visit.objects.filter(unit__isnull=False).values_list("path", "date")
    return Counter((path[:COUNTY_PATH], day) for path, day in rows)


def counters() -> Counter[tuple[str, dt.date]]:
    rows = VisitDayCount.objects.values_list("path", "date", "visits")
    return Counter({(path, day): n for path, day, n in rows if n})


@pytest.fixture
def tree(db) -> dict[str, Unit]:
    u = small_tree()
    more = make_units(
        [
            UnitRow("150921000000", "卓资县", UnitKind.COUNTY, "150900000000", division_code="150921000000"),
            UnitRow("150921100000", "卓资山镇", UnitKind.TOWNSHIP, "150921000000", "town", "150921100000"),
        ]
    )
    return {**u, "county_z": more["150921000000"], "town_z": more["150921100000"]}


def test_every_write_path_keeps_the_counters(tree) -> None:
    cadre = cast(Person, PersonFactory(unit=tree["town_a"]))
    household = cast(Household, HouseholdFactory(grid=tree["grid_a"]))
    visited = [("village_a", D1), ("village_a", D1), ("town_b", D2), ("prefecture", D1), ("town_z", D3)]
    for unit, day in visited:
        visit_record(actor=SYSTEM, cadre=cadre, unit=tree[unit], date=day)
    visit_record(actor=SYSTEM, cadre=cadre, household=household, date=D1)  # not a contact point
    assert counters() == counted()
    assert counters()[(tree["county"].path, D1)] == 2
    assert counters()[(tree["prefecture"].path, D1)] == 1  # above the counties: its own path

    Visit.objects.bulk_create(
        [Visit(cadre=cadre, unit=tree["village_b"], path=tree["village_b"].path, date=D2) for _ in range(3)]
    )
    assert counters() == counted()

    # a visit re-dated, one moved to another county, one turned into a household visit, and an
    # update of another column that changes nothing
    first = Visit.objects.filter(unit=tree["village_b"]).order_by("id")
    ids = list(first.values_list("id", flat=True))
    Visit.objects.filter(pk=ids[0]).update(date=D3)
    Visit.objects.filter(pk=ids[1]).update(unit=tree["town_z"], path=tree["town_z"].path)
    Visit.objects.filter(pk=ids[2]).update(unit=None, household=household, path=household.path)
    Visit.objects.update(notes="改过")
    assert counters() == counted()

    Visit.objects.filter(pk=ids[0]).delete()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Visit._meta.db_table} WHERE id = %s", [ids[1]])
    assert counters() == counted()


def test_a_moved_unit_takes_its_visits_along(tree) -> None:
    """The loader moves 卓资山镇 from 卓资县 to 集宁区: its visits' paths are rewritten."""
    cadre = cast(Person, PersonFactory(unit=tree["town_a"]))
    for _ in range(2):
        visit_record(actor=SYSTEM, cadre=cadre, unit=tree["town_z"], date=D1)
    town = tree["town_z"]
    moved = make_units([UnitRow(town.code, town.name, UnitKind.TOWNSHIP, "150902000000", "town", town.code)])
    assert moved[town.code].path.startswith(tree["county"].path)
    assert counters() == counted()
    assert counters()[(tree["county"].path, D1)] == 2
    assert counters()[(tree["county_z"].path, D1)] == 0


def test_the_figure_from_the_counters_equals_the_visits(tree, monkeypatch) -> None:
    cadre = cast(Person, PersonFactory(unit=tree["town_a"]))
    household = cast(Household, HouseholdFactory(grid=tree["grid_b"]))
    days = [D1, D2, D3, dt.date(2026, 4, 1)]
    names = ["village_a", "grid_a", "town_b", "village_b", "prefecture", "town_z", "county"]
    for i, name in enumerate(names):
        for day in days[: i % 4 + 1]:
            visit_record(actor=SYSTEM, cadre=cadre, unit=tree[name], date=day)
    visit_record(actor=SYSTEM, cadre=cadre, household=household, date=D2)

    def figure(unit: Unit, as_of: dt.date) -> int:
        ctx = MetricContext(unit=unit, as_of=as_of, actor=SYSTEM)
        return int(visit_metric.contact_points_person_times(ctx))

    cases = [(unit, as_of) for unit in tree.values() for as_of in (D1, D2, D3, dt.date(2026, 12, 31))]
    from_counters = [figure(unit, as_of) for unit, as_of in cases]
    monkeypatch.setattr(visit_metric, "COUNTY_PATH", 0)  # every unit counts its visits
    assert [figure(unit, as_of) for unit, as_of in cases] == from_counters
    assert figure(tree["province"], dt.date(2026, 12, 31)) == 16
    assert figure(tree["county"], D2) == 9  # D1 and D2 of its five units with visits
