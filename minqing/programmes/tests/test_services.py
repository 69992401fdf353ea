"""The services: what they check, what they reject (nothing changed), and who may call them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.programmes.models import Programme, ProgressReport, TargetPlan
from minqing.programmes.services.programmes import plan_set, programme_create, target_create, target_update
from minqing.programmes.services.progress import progress_report
from minqing.programmes.tests.world import D, World, day, snapshot

pytestmark = pytest.mark.django_db


def code_of(exc_info) -> ErrorCode:
    return exc_info.value.code


# --- programmes and targets -----------------------------------------------------------------


def test_programme_create_by_the_owners_office_or_above(w: World):
    p = programme_create(
        actor=w.users["county_office"], name="村村通", owner=w.u["county"], start_date=day(1, 1)
    )
    assert p.path == w.u["county"].path
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(p.pk)).exists()
    assert programme_create(
        actor=w.users["city_office"], name="户户通", owner=w.u["county"], start_date=day(1, 1)
    )


@pytest.mark.parametrize("who", ["a_staff", "viewer", "a_office", "z_office", "norole"])
def test_programme_create_denied(w: World, who):
    """Unit staff and viewers (denied), an office below the unit, another county's office (out of subtree)."""
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        programme_create(actor=w.users[who], name="村村通", owner=w.u["county"], start_date=day(1, 1))
    assert snapshot() == before


def test_programme_create_checks(w: World):
    with pytest.raises(DomainError) as e:
        programme_create(actor=SYSTEM, name="集宁区十个全覆盖", owner=w.u["county"], start_date=day(1, 1))
    assert code_of(e) == ErrorCode.PROGRAMME_NAME_TAKEN
    with pytest.raises(DomainError) as e:
        programme_create(
            actor=SYSTEM, name="新", owner=w.u["county"], start_date=day(2, 1), end_date=day(1, 1)
        )
    assert code_of(e) == ErrorCode.BAD_DATE_RANGE
    with pytest.raises(DomainError):
        programme_create(actor=SYSTEM, name="  ", owner=w.u["county"], start_date=day(1, 1))


def test_target_create_and_update(w: World):
    office = w.users["county_office"]
    t = target_create(
        actor=office, programme=w.programme, key="clinic", name="卫生室", measure="个", plan_quantity=D(30)
    )
    assert t.position == 4 and t.modes == []
    for key, name, code in (
        ("clinic", "另一个", ErrorCode.PROGRAMME_TARGET_KEY_TAKEN),
        ("clinic2", "卫生室", ErrorCode.PROGRAMME_TARGET_NAME_TAKEN),
        ("Clinic", "卫生所", ErrorCode.PROGRAMME_BAD_TARGET_KEY),
        ("1clinic", "卫生所", ErrorCode.PROGRAMME_BAD_TARGET_KEY),
    ):
        with pytest.raises(DomainError) as e:
            target_create(
                actor=office, programme=w.programme, key=key, name=name, measure="个", plan_quantity=D(1)
            )
        assert code_of(e) == code
    with pytest.raises(DomainError) as e:
        target_create(
            actor=office, programme=w.programme, key="x", name="x", measure="个", plan_quantity=D("1.234")
        )
    assert code_of(e) == ErrorCode.PROGRAMME_BAD_NUMBER
    t = target_update(
        actor=office, target=t, name="标准化卫生室", plan_quantity=D(40), modes=["新建", "改建"]
    )
    t.refresh_from_db()
    assert (t.key, t.name, t.plan_quantity, t.modes) == ("clinic", "标准化卫生室", 40, ["新建", "改建"])


@pytest.mark.parametrize("who", ["a_office", "a_staff", "viewer", "z_office"])
def test_target_writes_denied(w: World, who):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        target_create(
            actor=w.users[who],
            programme=w.programme,
            key="clinic",
            name="卫生室",
            measure="个",
            plan_quantity=D(3),
        )
    with pytest.raises(PermissionDeniedError):
        target_update(actor=w.users[who], target=w.t["housing"], plan_quantity=D(1))
    with pytest.raises(PermissionDeniedError):
        plan_set(actor=w.users[who], target=w.t["housing"], unit=w.u["town_a"], quantity=D(1))
    assert snapshot() == before


def test_a_mode_in_use_cannot_be_removed(w: World):
    w.report("town_a", "housing", day(6, 30), 1, 1, mode="新建", actor=SYSTEM)
    before = snapshot()
    with pytest.raises(DomainError) as e:
        target_update(actor=SYSTEM, target=w.t["housing"], modes=["维修加固", "转移置换"])
    assert code_of(e) == ErrorCode.PROGRAMME_MODE_IN_USE
    w.report("town_a", "road_paving", day(6, 30), 1, 1, actor=SYSTEM)
    with pytest.raises(DomainError) as e:
        target_update(actor=SYSTEM, target=w.t["road_paving"], modes=["新建"])
    assert code_of(e) == ErrorCode.PROGRAMME_MODES_AFTER_REPORTS
    assert snapshot()[:4] == before[:4]


# --- plans ------------------------------------------------------------------------------------


def test_plans_by_unit_and_mode(w: World):
    office = w.users["county_office"]
    housing = w.t["housing"]
    plan_set(actor=office, target=housing, unit=w.u["town_a"], quantity=D(600))
    plan_set(actor=office, target=housing, unit=w.u["town_b"], quantity=D(400))
    plan_set(actor=office, target=housing, unit=w.u["town_a"], quantity=D(300), mode="新建")
    plan_set(actor=office, target=housing, unit=w.u["village_a"], quantity=D(500))
    assert TargetPlan.objects.filter(target=housing).count() == 4
    # the owner's plan for all modes is the target's plan
    assert plan_set(actor=office, target=housing, unit=w.u["county"], quantity=D(1200)) is None
    housing.refresh_from_db()
    assert housing.plan_quantity == 1200
    # a blank quantity clears a plan
    plan_set(actor=office, target=housing, unit=w.u["village_a"], quantity=None)
    assert not TargetPlan.objects.filter(unit=w.u["village_a"]).exists()


@pytest.mark.parametrize(
    ("unit", "quantity", "mode", "code"),
    [
        ("town_b", 1001, "", ErrorCode.PROGRAMME_PLAN_OVER),  # above the county's 1,000
        ("village_a", 601, "", ErrorCode.PROGRAMME_PLAN_OVER),  # above town_a's 600
        ("town_a", 601, "新建", ErrorCode.PROGRAMME_MODE_PLANS_OVER),  # by mode above town_a's 600
        ("town_a", 10, "翻建", ErrorCode.PROGRAMME_UNKNOWN_MODE),
        ("county_z", 10, "", ErrorCode.PROGRAMME_UNIT_OUTSIDE),
        ("town_b", -1, "", ErrorCode.PROGRAMME_BAD_NUMBER),
        ("town_b", "0.001", "", ErrorCode.PROGRAMME_BAD_NUMBER),
    ],
)
def test_plan_checks_reject_and_change_nothing(w: World, unit, quantity, mode, code):
    w.plan("town_a", "housing", 600)
    before = snapshot()
    with pytest.raises(DomainError) as e:
        plan_set(actor=SYSTEM, target=w.t["housing"], unit=w.u[unit], quantity=D(quantity), mode=mode)
    assert code_of(e) == code
    assert snapshot() == before


def test_lowering_a_plan_below_the_plans_under_it_is_rejected(w: World):
    w.plan("town_a", "road_paving", 60)
    w.plan("town_b", "road_paving", 40)
    with pytest.raises(DomainError) as e:
        target_update(actor=SYSTEM, target=w.t["road_paving"], plan_quantity=D(99))
    assert code_of(e) == ErrorCode.PROGRAMME_PLAN_OVER
    assert "集宁区" in e.value.message and "100" in e.value.message
    w.t["road_paving"].refresh_from_db()
    assert w.t["road_paving"].plan_quantity == 100


# --- progress reports -------------------------------------------------------------------------


def test_progress_report_by_staff_of_the_unit_or_above(w: World):
    r = progress_report(
        actor=w.users["a_staff"],
        target=w.t["road_paving"],
        unit=w.u["village_a"],
        date=day(6, 30),
        in_progress=D("2.5"),
        completed=D(3),
        funds=D("12.3456"),
    )
    assert r.outcome == "created" and r.over_plan == ""
    assert (r.report.path, r.report.reported_by) == (w.u["village_a"].path, w.users["a_staff"])
    assert AuditEvent.objects.filter(
        object_type="programmes.progressreport", object_id=str(r.report.pk)
    ).exists()
    # the office of the county reports for a township too
    r2 = progress_report(
        actor=w.users["county_office"], target=w.t["shop"], unit=w.u["town_b"], date=day(6, 30),
        in_progress=D(0), completed=D(2), funds=D(0),
    )  # fmt: skip
    assert r2.outcome == "created"


def test_a_second_report_of_the_same_date_replaces_the_first(w: World):
    first = w.report("town_a", "road_paving", day(6, 30), 1, 2, 3, actor=SYSTEM)
    again = progress_report(
        actor=SYSTEM, target=w.t["road_paving"], unit=w.u["town_a"], date=day(6, 30),
        in_progress=D(1), completed=D(2), funds=D(3),
    )  # fmt: skip
    assert again.outcome == "unchanged"
    fixed = progress_report(
        actor=SYSTEM, target=w.t["road_paving"], unit=w.u["town_a"], date=day(6, 30),
        in_progress=D(0), completed=D(4), funds=D(3),
    )  # fmt: skip
    assert fixed.outcome == "updated" and fixed.report.pk == first.pk
    assert ProgressReport.objects.count() == 1


def test_over_plan_is_accepted_with_a_warning(w: World):
    w.plan("town_a", "shop", 5)
    r = progress_report(
        actor=SYSTEM, target=w.t["shop"], unit=w.u["town_a"], date=day(6, 30),
        in_progress=D(9), completed=D(5), funds=D(0),
    )  # fmt: skip
    assert r.over_plan == ""  # shops count completed only: 5 of 5
    r = progress_report(
        actor=SYSTEM, target=w.t["shop"], unit=w.u["town_a"], date=day(7, 1),
        in_progress=D(0), completed=D(6), funds=D(0),
    )  # fmt: skip
    assert "超过计划 5" in r.over_plan and "新体育场街道" in r.over_plan
    assert ProgressReport.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "unit", "error"),
    [
        ("viewer", "town_a", PermissionDeniedError),  # a viewer may not report
        ("b_staff", "town_a", PermissionDeniedError),  # another township: out of subtree
        ("a_staff", "county", PermissionDeniedError),  # above the staff's unit
        ("norole", "town_a", PermissionDeniedError),
        ("z_office", "town_z", DomainError),  # in the actor's scope, but outside the programme
    ],
)
def test_progress_report_denied_changes_nothing(w: World, who, unit, error):
    before = snapshot()
    with pytest.raises(error) as e:
        progress_report(
            actor=w.users[who], target=w.t["road_paving"], unit=w.u[unit], date=day(6, 30),
            in_progress=D(1), completed=D(1), funds=D(1),
        )  # fmt: skip
    if error is DomainError:
        assert code_of(e) == ErrorCode.PROGRAMME_UNIT_OUTSIDE
    assert snapshot() == before


@pytest.mark.parametrize(
    ("target", "mode", "date", "figures", "code"),
    [
        ("road_paving", "", "future", (1, 1, 1), ErrorCode.PROGRAMME_FUTURE_DATE),
        ("road_paving", "", dt.date(2014, 12, 31), (1, 1, 1), ErrorCode.PROGRAMME_BEFORE_START),
        ("road_paving", "", day(6, 30), (-1, 1, 1), ErrorCode.PROGRAMME_BAD_NUMBER),
        ("road_paving", "", day(6, 30), (1, "1.001", 1), ErrorCode.PROGRAMME_BAD_NUMBER),
        ("road_paving", "", day(6, 30), (1, 1, "0.00001"), ErrorCode.PROGRAMME_BAD_NUMBER),
        ("road_paving", "新建", day(6, 30), (1, 1, 1), ErrorCode.PROGRAMME_NO_MODES),
        ("housing", "", day(6, 30), (1, 1, 1), ErrorCode.PROGRAMME_MODE_REQUIRED),
        ("housing", "翻建", day(6, 30), (1, 1, 1), ErrorCode.PROGRAMME_UNKNOWN_MODE),
    ],
)
def test_progress_report_checks(w: World, target, mode, date, figures, code):
    if date == "future":
        date = timezone.localdate() + dt.timedelta(days=1)
    before = snapshot()
    with pytest.raises(DomainError) as e:
        progress_report(
            actor=SYSTEM, target=w.t[target], unit=w.u["town_a"], date=date, mode=mode,
            in_progress=D(figures[0]), completed=D(figures[1]), funds=D(figures[2]),
        )  # fmt: skip
    assert code_of(e) == code
    assert snapshot() == before


def test_programmes_survive_only_with_their_owner(w: World):
    assert Programme.objects.get().owner == w.u["county"]
    assert Decimal(w.t["housing"].plan_quantity) == 1000
