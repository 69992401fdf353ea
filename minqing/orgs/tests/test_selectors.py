import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from minqing.core.models import AuditEvent
from minqing.orgs import coverage, selectors
from minqing.orgs.actors import Actor
from minqing.orgs.masking import mask_id_number, mask_phone
from minqing.orgs.tests.factories import AssignmentFactory, HouseholdFactory


def test_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("150902199001011234") == "150902********1234"
    assert mask_phone("") == ""
    assert mask_phone("1234") == "****"


def test_unit_get_scoped(world):
    a = world.users["a_staff"]
    assert selectors.unit_get(a, world.u["village_a"].pk) == world.u["village_a"]
    with pytest.raises(Http404):
        selectors.unit_get(a, world.u["village_b"].pk)
    with pytest.raises(Http404):
        selectors.unit_children(a, world.u["county"])
    with pytest.raises(Http404):
        selectors.unit_counts(a, world.u["town_b"])
    with pytest.raises(Http404):
        selectors.unit_households(a, world.u["grid_b"])


def test_unit_search(world):
    a, office = world.users["a_staff"], world.users["county_office"]
    assert {u.code for u in selectors.unit_search(a, "150902")} == {"150902001000", "150902001001"}
    assert {u.code for u in selectors.unit_search(office, "150902")} >= {"150902001000", "150902101000"}
    assert [u.code for u in selectors.unit_search(a, "G-")] == ["G-A-01"]
    assert [u.code for u in selectors.unit_search(a, "泉山")] == ["150902001001", "G-A-01"]
    assert selectors.unit_search(a, "  ") == []
    assert selectors.unit_search(world.users["nobody"], "1") == []


def test_unit_counts(world, django_assert_max_num_queries):
    office = world.users["county_office"]
    with django_assert_max_num_queries(7):
        counts = selectors.unit_counts(office, world.u["county"])
    assert [(c.kind, c.count) for c in counts.children] == [("township", 2)]
    assert counts.descendants_total == 6
    by = {(d.kind, d.subkind_label): d.count for d in counts.descendants}
    assert by[("village", "社区")] == 1 and by[("village", "村/嘎查")] == 1
    assert (counts.households, counts.people, counts.assignments) == (4, 4, 3)
    counts = selectors.unit_counts(world.users["a_staff"], world.u["town_a"])
    assert (counts.households, counts.people, counts.assignments) == (2, 2, 2)


def test_ended_assignment_not_counted(world):
    AssignmentFactory(
        person=world.people["town_b"],
        unit=world.u["village_b"],
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    counts = selectors.unit_counts(world.users["b_staff"], world.u["town_b"])
    assert counts.assignments == 1
    results = {r.key: r for r in coverage.run_checks(world.users["b_staff"], world.u["town_b"])}
    assert results[coverage.VILLAGES_WITHOUT_CADRE].count == 1


def test_pagination_50_per_page(world):
    for _ in range(55):
        HouseholdFactory(grid=world.u["grid_a"])
    page = selectors.unit_households(world.users["a_staff"], world.u["town_a"], 1)
    assert len(page.object_list) == 50 and page.paginator.count == 57
    page = selectors.unit_households(world.users["a_staff"], world.u["town_a"], "2")
    assert len(page.object_list) == 7


def test_coverage_checks(world):
    results = {r.key: r for r in coverage.run_checks(world.users["county_office"], world.u["county"])}
    v = results[coverage.VILLAGES_WITHOUT_CADRE]
    assert v.available and v.count == 1 and list(v.sample) == [world.u["village_b"]]
    g = results[coverage.GRIDS_WITHOUT_CONTACT]
    assert g.count == 1 and list(g.sample) == [world.u["grid_a"]]
    h = results[coverage.HOUSEHOLDS_NEVER_VISITED]
    # registered by the activities app now that visits exist: no visits yet, all four households
    assert h.available and h.count == 4 and len(h.sample) == 4
    # within township A only A's uncovered grid is seen
    results = {r.key: r for r in coverage.run_checks(world.users["a_staff"], world.u["town_a"])}
    assert results[coverage.VILLAGES_WITHOUT_CADRE].count == 0
    assert results[coverage.GRIDS_WITHOUT_CONTACT].count == 1
    assert coverage.run_checks(world.users["a_staff"], world.u["town_b"]) == []


@pytest.fixture
def restore_registry():
    saved = dict(coverage._REGISTRY)
    yield
    coverage._REGISTRY.clear()
    coverage._REGISTRY.update(saved)


def test_coverage_hook_replaces_placeholder(world, restore_registry):
    @coverage.register(coverage.HOUSEHOLDS_NEVER_VISITED, "从未走访的户", order=30)
    def never_visited(actor: Actor, unit):
        return 7, []

    coverage.register_placeholder(coverage.HOUSEHOLDS_NEVER_VISITED, "x", "y")  # does not undo it
    results = {r.key: r for r in coverage.run_checks(world.users["county_office"], world.u["county"])}
    assert results[coverage.HOUSEHOLDS_NEVER_VISITED].available
    assert results[coverage.HOUSEHOLDS_NEVER_VISITED].count == 7


def test_person_identity(world, rf):
    person = world.people["village_a"]
    masked = selectors.person_identity(world.users["a_viewer"], person)
    assert (masked.phone, masked.id_number, masked.revealed) == ("138****5678", "150902********1234", False)
    with pytest.raises(PermissionDenied):
        selectors.person_identity(world.users["a_viewer"], person, reveal=True)
    with pytest.raises(Http404):
        selectors.person_identity(world.users["b_staff"], person, reveal=True)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()
    request = rf.post("/", REMOTE_ADDR="10.0.0.8")
    full = selectors.person_identity(world.users["county_office"], person, request, reveal=True)
    assert full.phone == "13812345678" and full.revealed
    ev = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL)
    assert ev.ip == "10.0.0.8" and ev.actor_name == "county_office"


def test_tree_rows(world):
    a = world.users["a_staff"]
    rows = selectors.unit_tree_rows(a)
    assert [(r.unit.name, r.level) for r in rows] == [("新体育场街道", 0)]
    rows = selectors.unit_tree_rows(a, world.u["grid_a"])
    assert [(r.unit.code, r.level) for r in rows] == [("150902001000", 0), ("150902001001", 1), ("G-A-01", 2)]
    rows = selectors.unit_tree_rows(world.users["root"], world.u["town_a"])
    assert [r.unit.code for r in rows][:4] == ["150000000000", "150900000000", "150902000000", "150902001000"]
    assert "150902101000" in [r.unit.code for r in rows]
    assert "150902101201" not in [r.unit.code for r in rows]
