"""Households, people and assignments saved one at a time (the admin writes through here)."""

import pytest

from minqing.core.errors import PermissionDeniedError
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Household
from minqing.orgs.services.records import record_save


def test_a_household_moved_to_another_grid_carries_that_grid_path(world):
    household = world.households["a"][0]
    household.grid = world.u["grid_b"]
    record_save(actor=SYSTEM, obj=household)
    assert Household.objects.get(pk=household.pk).path == world.u["grid_b"].path


def test_a_person_and_an_assignment_take_their_unit_path(world):
    person = world.people["town_a"]
    person.unit = world.u["village_a"]
    record_save(actor=world.users["root"], obj=person)
    person.refresh_from_db()
    assert person.path == world.u["village_a"].path
    assignment = person.assignments.first()
    assignment.unit = world.u["grid_a"]
    record_save(actor=SYSTEM, obj=assignment)
    assignment.refresh_from_db()
    assert assignment.path == world.u["grid_a"].path


@pytest.mark.parametrize("who", ["a_viewer", "nobody", "b_staff"])
def test_a_save_outside_the_writers_scope_is_refused_and_writes_nothing(world, who):
    household = world.households["a"][0]
    household.head_name = "改过的户主"
    with pytest.raises(PermissionDeniedError):
        record_save(actor=world.users[who], obj=household)
    assert Household.objects.get(pk=household.pk).head_name != "改过的户主"


def test_moving_a_household_out_of_ones_subtree_is_refused(world):
    # a_staff writes in town A but may not take a household of town B into it
    household = world.households["b"][0]
    household.grid = world.u["grid_a"]
    with pytest.raises(PermissionDeniedError):
        record_save(actor=world.users["a_staff"], obj=household)
    assert Household.objects.get(pk=household.pk).path == world.u["grid_b"].path
