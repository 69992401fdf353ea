"""Services for people, households and assignments: single writes, bulk writes, permissions."""

import datetime

import pytest

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind, Rank
from minqing.orgs.models import Assignment, Household, Person, PersonIdentity
from minqing.orgs.services.assignments import AssignmentRow, assignment_create, assignments_bulk_create
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.services.households import HouseholdRow, household_create, households_bulk_create
from minqing.orgs.services.people import PersonRow, people_bulk_create, person_create

D = datetime.date(2024, 3, 1)


def test_person_create_with_identity_and_audit(world):
    p = person_create(
        actor=world.users["a_staff"],
        number="X-001",
        name="孙七",
        unit=world.u["village_a"],
        rank=Rank.SECTION,
        is_party_member=True,
        duties="村党支部书记",
        phone="13912345678",
        id_number="15090219800101123X",
    )
    assert p.path == world.u["village_a"].path
    assert p.identity.phone == "13912345678"
    events = AuditEvent.objects.filter(object_type="orgs.person", object_id=str(p.pk))
    assert events.filter(actor_name="a_staff").exists()


def test_person_without_identity_has_no_identity_row(world):
    p = person_create(actor=SYSTEM, number="X-002", name="周八", unit=world.u["town_a"])
    assert not PersonIdentity.objects.filter(person=p).exists()


@pytest.mark.parametrize("who", ["b_staff", "a_viewer", "nobody"])
def test_person_create_denied_outside_scope_or_role(world, who):
    before = Person.objects.count()
    with pytest.raises(PermissionDeniedError):
        person_create(actor=world.users[who], number="X-003", name="吴九", unit=world.u["village_a"])
    assert Person.objects.count() == before


def test_person_create_allowed_for_office_above_and_superuser(world):
    person_create(actor=world.users["county_office"], number="X-004", name="郑十", unit=world.u["village_b"])
    person_create(actor=world.users["root"], number="X-005", name="王一", unit=world.u["village_b"])
    assert Person.objects.filter(number__in=["X-004", "X-005"]).count() == 2


def test_person_number_taken(world):
    person_create(actor=SYSTEM, number="X-006", name="甲", unit=world.u["town_a"])
    with pytest.raises(DomainError) as e:
        person_create(actor=SYSTEM, number="X-006", name="乙", unit=world.u["town_a"])
    assert e.value.code is ErrorCode.PERSON_NUMBER_TAKEN


def test_household_create_under_grid_only(world):
    staff = world.users["a_staff"]
    hh = household_create(actor=staff, grid=world.u["grid_a"], number="0001", head_name="刘一")
    assert hh.path == world.u["grid_a"].path
    with pytest.raises(DomainError) as e:
        household_create(actor=SYSTEM, grid=world.u["village_a"], number="0002")
    assert e.value.code is ErrorCode.NOT_A_GRID
    with pytest.raises(DomainError) as e:
        household_create(actor=SYSTEM, grid=world.u["grid_a"], number="0001")
    assert e.value.code is ErrorCode.HOUSEHOLD_NUMBER_TAKEN


def test_household_create_denied_in_other_township(world):
    before = Household.objects.count()
    with pytest.raises(PermissionDeniedError):
        household_create(actor=world.users["b_staff"], grid=world.u["grid_a"], number="0003")
    assert Household.objects.count() == before


def test_assignment_create_copies_target_path(world):
    person = world.people["town_a"]
    a = assignment_create(
        actor=world.users["a_staff"],
        person=person,
        kind=AssignmentKind.DEMONSTRATION,
        unit=world.u["grid_a"],
        start_date=D,
    )
    assert a.path == world.u["grid_a"].path
    hh = world.households["a"][1]
    b = assignment_create(
        actor=SYSTEM, person=person, kind=AssignmentKind.HOUSEHOLD_PAIRING, household=hh, start_date=D
    )
    assert b.path == hh.path


def test_assignment_create_checks_target_and_dates(world):
    person = world.people["town_a"]
    with pytest.raises(DomainError) as e:
        assignment_create(actor=SYSTEM, person=person, kind=AssignmentKind.CONTACT_POINT, start_date=D)
    assert e.value.code is ErrorCode.ASSIGNMENT_ONE_TARGET
    with pytest.raises(DomainError) as e:
        assignment_create(
            actor=SYSTEM,
            person=person,
            kind=AssignmentKind.CONTACT_POINT,
            unit=world.u["village_a"],
            start_date=D,
            end_date=D - datetime.timedelta(days=1),
        )
    assert e.value.code is ErrorCode.BAD_DATE_RANGE
    before = Assignment.objects.count()
    with pytest.raises(PermissionDeniedError):
        assignment_create(
            actor=world.users["a_staff"],
            person=person,
            kind=AssignmentKind.CONTACT_POINT,
            household=world.households["b"][0],
            start_date=D,
        )
    assert Assignment.objects.count() == before


def test_bulk_writers_are_idempotent(world):
    grid = ref_of(world.u["grid_b"])
    village = ref_of(world.u["village_b"])
    people = [PersonRow(f"B-{i}", f"干部{i}", village, phone="13800000000") for i in range(3)]
    households = [HouseholdRow(grid, f"B{i:04d}", f"户主{i}", "红旗村1号", 2) for i in range(5)]
    assert people_bulk_create(actor=SYSTEM, rows=people).created == 3
    assert households_bulk_create(actor=SYSTEM, rows=iter(households), batch_size=2).created == 5
    again_p = people_bulk_create(actor=SYSTEM, rows=people)
    again_h = households_bulk_create(actor=SYSTEM, rows=households)
    assert (again_p.created, again_p.skipped, again_h.created, again_h.skipped) == (0, 3, 0, 5)
    assert PersonIdentity.objects.filter(person__number__startswith="B-").count() == 3
    pid = Person.objects.get(number="B-0").pk
    hh = Household.objects.get(grid_id=grid.id, number="B0000")
    rows = [
        AssignmentRow(pid, AssignmentKind.DEMONSTRATION, D, unit=grid),
        AssignmentRow(pid, AssignmentKind.HOUSEHOLD_PAIRING, D, household_id=hh.pk, household_path=hh.path),
    ]
    assert assignments_bulk_create(actor=SYSTEM, rows=rows).created == 2
    assert assignments_bulk_create(actor=SYSTEM, rows=rows).created == 0
    assert Assignment.objects.get(person_id=pid, kind=AssignmentKind.DEMONSTRATION).path == grid.path


def test_bulk_writers_check_scope(world):
    grid = ref_of(world.u["grid_b"])
    with pytest.raises(PermissionDeniedError):
        households_bulk_create(actor=world.users["a_staff"], rows=[HouseholdRow(grid, "Z0001")])
    with pytest.raises(PermissionDeniedError):
        people_bulk_create(actor=world.users["a_staff"], rows=[PersonRow("Z-1", "某", grid)])
    assert not Household.objects.filter(number="Z0001").exists()
    assert not Person.objects.filter(number="Z-1").exists()
    ok = households_bulk_create(actor=world.users["b_staff"], rows=[HouseholdRow(grid, "Z0002")], source="t")
    assert ok.created == 1


def test_bulk_household_rejects_non_grid(world):
    with pytest.raises(DomainError):
        households_bulk_create(actor=SYSTEM, rows=[HouseholdRow(ref_of(world.u["village_b"]), "Y0001")])
