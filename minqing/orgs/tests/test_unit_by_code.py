"""``unit_by_code``: the one lookup of a typed unit code, in the actor's scope."""

from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.selectors import unit_by_code, unit_for_code


def test_full_short_and_own_codes(world):
    county = world.u["county"]
    assert unit_for_code("150902000000") == county
    assert unit_for_code(" 150902 ") == county
    assert unit_for_code("150902001") == world.u["town_a"]
    assert unit_for_code("G-A-01") == world.u["grid_a"]
    assert unit_for_code("") is None
    assert unit_for_code("999999") is None


def test_scoped_to_the_actor_and_roles(world):
    staff = world.users["a_staff"]
    assert unit_by_code(staff, "150902001") == world.u["town_a"]
    assert unit_by_code(staff, "150902101") is None  # the sibling township: as if missing
    assert unit_by_code(staff, "150902") is None  # above the actor's subtree
    assert unit_by_code(staff, "150902001", [Role.OFFICE]) is None  # not with that role
    assert unit_by_code(world.users["county_office"], "150902101", [Role.OFFICE]) == world.u["town_b"]
    assert unit_by_code(SYSTEM, "15") == world.u["province"]
    assert unit_by_code(None, "15") is None
