"""units_upsert: paths, treebeard invariants, idempotence, moves with copied paths."""

from typing import cast

import pytest

from minqing.core.errors import DomainError, ErrorCode
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Household, Unit
from minqing.orgs.services.units import UnitRow, resolve_unit, step, step_value, units_upsert
from minqing.orgs.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def rows() -> list[UnitRow]:
    # children listed before their parents on purpose
    return [
        UnitRow(code="150902001000", name="街道甲", kind=UnitKind.TOWNSHIP, parent_code="150902000000"),
        UnitRow(code="150902000000", name="集宁区", kind=UnitKind.COUNTY, parent_code="150900000000"),
        UnitRow(
            code="150900000000", name="乌兰察布市", kind=UnitKind.PREFECTURE, division_code="150900000000"
        ),
        UnitRow(code="150921000000", name="卓资县", kind=UnitKind.COUNTY, parent_code="150900000000"),
        UnitRow(code="G-1", name="网格一", kind=UnitKind.GRID, parent_code="150902001000"),
    ]


def test_steps_round_trip() -> None:
    for n in (1, 35, 36, 1295, 46655):
        assert step_value("00" + step(n)) == n
    with pytest.raises(OverflowError):
        step(46656)


def test_upsert_builds_a_valid_tree_and_is_idempotent() -> None:
    first = units_upsert(actor=SYSTEM, rows=rows())
    assert first.created == 5
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    city = Unit.objects.get(code="150900000000")
    assert city.depth == 1
    assert sorted(c.code for c in Unit.objects.get_children(city)) == ["150902000000", "150921000000"]
    assert [a.code for a in Unit.objects.get_ancestors(Unit.objects.get(code="G-1"))] == [
        "150900000000",
        "150902000000",
        "150902001000",
    ]
    again = units_upsert(actor=SYSTEM, rows=rows())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_new_children_append_after_existing_ones() -> None:
    units_upsert(actor=SYSTEM, rows=rows())
    units_upsert(
        actor=SYSTEM,
        rows=[UnitRow(code="G-2", name="网格二", kind=UnitKind.GRID, parent_code="150902001000")],
    )
    township = Unit.objects.get(code="150902001000")
    assert [c.code for c in Unit.objects.get_children(township)] == ["G-1", "G-2"]
    assert township.numchild == 2
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_rename_counts_as_update() -> None:
    units_upsert(actor=SYSTEM, rows=rows())
    changed = [
        *rows()[:-1],
        UnitRow(code="G-1", name="新名字", kind=UnitKind.GRID, parent_code="150902001000"),
    ]
    result = units_upsert(actor=SYSTEM, rows=changed)
    assert (result.created, result.updated) == (0, 1)
    assert Unit.objects.get(code="G-1").name == "新名字"


def test_move_rewrites_copied_paths() -> None:
    units_upsert(actor=SYSTEM, rows=rows())
    grid = Unit.objects.get(code="G-1")
    household = cast(Household, HouseholdFactory(grid=grid))
    moved = [*rows()[:-1], UnitRow(code="G-1", name="网格一", kind=UnitKind.GRID, parent_code="150921000000")]
    result = units_upsert(actor=SYSTEM, rows=moved)
    assert result.moved == 1
    grid.refresh_from_db()
    assert Unit.objects.get_parent(grid).code == "150921000000"
    assert Household.objects.get(pk=household.pk).path == grid.path
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_unknown_parent_and_cycle_raise_and_write_nothing() -> None:
    with pytest.raises(DomainError) as err:
        units_upsert(
            actor=SYSTEM, rows=[UnitRow(code="X", name="x", kind=UnitKind.OTHER, parent_code="NOPE")]
        )
    assert err.value.code is ErrorCode.IMPORT_UNKNOWN_PARENT
    with pytest.raises(DomainError) as err:
        units_upsert(
            actor=SYSTEM,
            rows=[
                UnitRow(code="A", name="a", kind=UnitKind.OTHER, parent_code="B"),
                UnitRow(code="B", name="b", kind=UnitKind.OTHER, parent_code="A"),
            ],
        )
    assert err.value.code is ErrorCode.IMPORT_PARENT_CYCLE
    assert Unit.objects.count() == 0


def test_resolve_unit_accepts_full_short_and_own_codes() -> None:
    units_upsert(actor=SYSTEM, rows=rows())
    assert resolve_unit("150900").code == "150900000000"
    assert resolve_unit("150900000000").code == "150900000000"
    assert resolve_unit("G-1").code == "G-1"
    with pytest.raises(DomainError):
        resolve_unit("999999")


def test_a_failure_while_moving_leaves_nothing_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: the units created before a move that fails are not left behind."""
    units_upsert(actor=SYSTEM, rows=rows())

    def broken_move(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the move failed")

    monkeypatch.setattr("minqing.orgs.services.units.unit_move", broken_move)
    changed = [
        *rows()[:-1],
        UnitRow(code="G-1", name="网格一", kind=UnitKind.GRID, parent_code="150921000000"),
        UnitRow(code="G-2", name="网格二", kind=UnitKind.GRID, parent_code="150921000000"),
    ]
    with pytest.raises(RuntimeError):
        units_upsert(actor=SYSTEM, rows=changed)
    assert not Unit.objects.filter(code="G-2").exists()
