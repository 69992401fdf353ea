"""Catalogue services: who may write what (allowed, denied, out of subtree: nothing changed),
duplicates, audit, and the bulk upserts the importers use."""

import datetime as dt

import pytest

from minqing.catalogues.models import Commendation, PowerCategory, PowerItem, ReformResult, ReformStatus
from minqing.catalogues.services.commendations import (
    commendation_create,
    commendation_row,
    commendation_update,
    commendations_upsert,
)
from minqing.catalogues.services.powers import (
    power_item_create,
    power_item_update,
    power_items_upsert,
    power_row,
)
from minqing.catalogues.services.reforms import (
    ResultRow,
    reform_create,
    reform_result_add,
    reform_row,
    reform_update,
    reforms_upsert,
)
from minqing.catalogues.tests.conftest import snapshot
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM, Actor

pytestmark = pytest.mark.django_db
D = dt.date(2015, 6, 30)


def _item(cw, unit="city_police", *, actor: Actor, name="烟花爆竹道路运输许可"):
    return power_item_create(
        actor=actor, unit=cw.u[unit], category=PowerCategory.LICENSING, name=name, legal_basis="条例"
    )


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("city_office", "city_police"),  # office of the unit above
        ("city_office", "county_market"),  # two levels down
        ("county_office", "county_market"),
        ("county_office", "county"),  # office of the unit itself
        ("police_staff", "city_police"),  # staff of the unit itself
        ("county_staff", "county"),
        ("root", "city_civil"),
    ],
)
def test_power_item_create_allowed(cw, user, unit) -> None:
    item = _item(cw, unit, actor=cw.users[user])
    assert (item.unit, item.path, item.is_active) == (cw.u[unit], cw.u[unit].path, True)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="catalogues.poweritem", object_id=str(item.pk)
    ).exists()


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("county_office", "city_police"),  # out of the subtree
        ("b_office", "county_market"),  # another township's office
        ("police_staff", "city_civil"),  # staff of another department
        ("county_staff", "county_market"),  # staff write their own unit only
        ("county_viewer", "county"),  # a viewer never writes
        ("nobody", "county"),
    ],
)
def test_power_item_create_denied_changes_nothing(cw, user, unit) -> None:
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        _item(cw, unit, actor=cw.users[user])
    assert snapshot() == before


def test_power_item_duplicate_and_update(cw) -> None:
    item = _item(cw, actor=SYSTEM)
    with pytest.raises(DomainError) as exc:
        _item(cw, actor=SYSTEM)
    assert exc.value.code == ErrorCode.CATALOGUE_POWER_EXISTS and "乌兰察布市公安局" in str(exc.value)
    with pytest.raises(DomainError):
        power_item_create(actor=SYSTEM, unit=cw.u["city_police"], category="bogus", name="x")
    with pytest.raises(DomainError):
        power_item_create(actor=SYSTEM, unit=cw.u["city_police"], category=PowerCategory.OTHER, name="  ")
    updated = power_item_update(
        actor=cw.users["police_staff"],
        item=item,
        category=PowerCategory.LICENSING,
        name=item.name,
        legal_basis="《烟花爆竹安全管理条例》第二十二条",
        published_on=D,
        is_active=False,
    )
    assert (updated.legal_basis, updated.published_on, updated.is_active) == (
        "《烟花爆竹安全管理条例》第二十二条",
        D,
        False,
    )
    before = snapshot()
    for user in ("county_office", "county_viewer"):
        with pytest.raises(PermissionDeniedError):
            power_item_update(
                actor=cw.users[user], item=item, category=PowerCategory.PENALTY, name="改名", is_active=True
            )
    assert snapshot() == before


def test_reform_create_update_and_results(cw) -> None:
    m = reform_create(
        actor=cw.users["city_office"],
        unit=cw.u["city_police"],
        title="户籍制度改革",
        is_key=True,
        status=ReformStatus.IN_PROGRESS,
        campaign=cw.campaign,
        started_on=dt.date(2014, 10, 1),
    )
    assert (m.path, m.is_key, m.status) == (cw.u["city_police"].path, True, ReformStatus.IN_PROGRESS)
    with pytest.raises(DomainError) as exc:
        reform_create(actor=SYSTEM, unit=cw.u["city_police"], title="户籍制度改革")
    assert exc.value.code == ErrorCode.CATALOGUE_REFORM_EXISTS
    r = reform_result_add(actor=cw.users["police_staff"], measure=m, date=D, text="取消农业户口")
    assert (r.path, r.created_by) == (m.path, cw.users["police_staff"])
    with pytest.raises(DomainError) as exc:
        reform_result_add(actor=SYSTEM, measure=m, date=D, text="取消农业户口")
    assert exc.value.code == ErrorCode.CATALOGUE_RESULT_EXISTS
    reform_update(actor=cw.users["police_staff"], measure=m, title=m.title, is_key=True, status="completed")
    m.refresh_from_db()
    assert m.status == ReformStatus.COMPLETED and m.campaign is None
    before = snapshot()
    for user in ("county_office", "county_viewer", "b_office"):
        with pytest.raises(PermissionDeniedError):
            reform_result_add(actor=cw.users[user], measure=m, date=D, text="越权")
        with pytest.raises(PermissionDeniedError):
            reform_update(actor=cw.users[user], measure=m, title="越权", is_key=False, status="not_started")
        with pytest.raises(PermissionDeniedError):
            reform_create(actor=cw.users[user], unit=cw.u["city_police"], title="越权")
    assert snapshot() == before


def test_commendation_person_or_name(cw) -> None:
    zhang = cw.people["zhang"]
    c = commendation_create(
        actor=cw.users["county_office"],
        unit=cw.u["village_a"],
        person=zhang,
        title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
        awarded_by="市委组织部",
    )
    assert (c.name, c.path, c.person) == ("张三", cw.u["village_a"].path, zhang)
    other = commendation_create(
        actor=SYSTEM, unit=cw.u["village_a"], name="赵六", title="优秀共产党员", date=dt.date(2016, 7, 1)
    )
    assert other.person is None
    with pytest.raises(DomainError) as exc:
        commendation_create(
            actor=SYSTEM,
            unit=cw.u["village_a"],
            person=zhang,
            name="张3",
            title="x",
            date=dt.date(2016, 1, 1),
        )
    assert exc.value.code == ErrorCode.CATALOGUE_PERSON_NAME_MISMATCH
    with pytest.raises(DomainError) as exc:
        commendation_create(actor=SYSTEM, unit=cw.u["village_a"], title="x", date=dt.date(2016, 1, 1))
    assert exc.value.code == ErrorCode.TRANSITION_MISSING
    with pytest.raises(DomainError) as exc:
        commendation_create(
            actor=SYSTEM,
            unit=cw.u["village_a"],
            person=zhang,
            title="优秀基层党组织带头人",
            date=dt.date(2015, 7, 1),
        )
    assert exc.value.code == ErrorCode.CATALOGUE_COMMENDATION_EXISTS
    before = snapshot()
    with pytest.raises(PermissionDeniedError):  # town B's office: the unit is out of its subtree
        commendation_create(
            actor=cw.users["b_office"], unit=cw.u["village_a"], name="x", title="x", date=dt.date(2016, 1, 1)
        )
    with pytest.raises(PermissionDeniedError):  # a person out of the actor's scope
        commendation_create(
            actor=cw.users["b_office"],
            unit=cw.u["village_b"],
            person=zhang,
            title="x",
            date=dt.date(2016, 1, 1),
        )
    with pytest.raises(PermissionDeniedError):
        commendation_update(actor=cw.users["county_viewer"], commendation=c, name="张三", title="改", date=D)
    assert snapshot() == before
    commendation_update(
        actor=cw.users["county_office"], commendation=c, person=zhang, title="优秀共产党员", date=D
    )
    c.refresh_from_db()
    assert (c.title, c.date, c.awarded_by) == ("优秀共产党员", D, "")


def test_commendation_decision_date(cw) -> None:
    unit, office = cw.u["village_a"], cw.users["county_office"]
    c = commendation_create(
        actor=office,
        unit=unit,
        name="赵六",
        title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
        decided_on=dt.date(2015, 6, 29),
    )
    c.refresh_from_db()
    assert (c.date, c.decided_on) == (dt.date(2015, 7, 1), dt.date(2015, 6, 29))
    same_day = commendation_create(
        actor=office, unit=unit, name="钱七", title="优秀", date=D, decided_on=D
    )  # the decision may be made on the day itself
    assert same_day.decided_on == D
    assert commendation_create(actor=office, unit=unit, name="孙八", title="优秀", date=D).decided_on is None
    before = snapshot()
    with pytest.raises(DomainError) as exc:  # a decision after the commendation: refused
        commendation_create(
            actor=office, unit=unit, name="周九", title="优秀", date=D, decided_on=D + dt.timedelta(days=1)
        )
    assert exc.value.code == ErrorCode.CATALOGUE_DECIDED_AFTER_DATE
    assert "表彰决定日期" in exc.value.message and D.isoformat() in exc.value.message
    with pytest.raises(DomainError) as exc:  # an update moving the date before the decision
        commendation_update(
            actor=office,
            commendation=c,
            name="赵六",
            title="优秀基层党组织带头人",
            date=dt.date(2015, 6, 28),
            decided_on=dt.date(2015, 6, 29),
        )
    assert exc.value.code == ErrorCode.CATALOGUE_DECIDED_AFTER_DATE
    bad = commendation_row(
        unit=unit, name="吴十", title="优秀", date=D, values={"decided_on": D + dt.timedelta(days=3)}
    )
    with pytest.raises(DomainError) as exc:
        commendations_upsert(actor=office, rows=[bad])
    assert exc.value.code == ErrorCode.CATALOGUE_DECIDED_AFTER_DATE
    assert snapshot() == before
    c.refresh_from_db()
    assert c.decided_on == dt.date(2015, 6, 29)
    commendation_update(
        actor=office, commendation=c, name="赵六", title="优秀基层党组织带头人", date=dt.date(2015, 7, 1)
    )
    c.refresh_from_db()
    assert c.decided_on is None  # the form left it blank: cleared


def test_commendation_upsert_sets_keeps_and_clears_the_decision_date(cw) -> None:
    unit, date = cw.u["village_a"], dt.date(2015, 7, 1)

    def row(**values: object):
        return commendation_row(unit=unit, name="赵六", title="优秀", date=date, values=values)

    decided = dt.date(2015, 6, 29)
    assert commendations_upsert(actor=SYSTEM, rows=[row(decided_on=decided)]).created == 1
    assert commendations_upsert(actor=SYSTEM, rows=[row(decided_on=decided)]).unchanged == 1
    # a row without the decision date (a file without the column) keeps it
    res = commendations_upsert(actor=SYSTEM, rows=[row(awarded_by="市委")])
    assert res.updated == 1 and Commendation.objects.get().decided_on == decided
    assert commendations_upsert(actor=SYSTEM, rows=[row()]).unchanged == 1
    assert Commendation.objects.get().decided_on == decided
    # a blank decision date clears it
    assert commendations_upsert(actor=SYSTEM, rows=[row(decided_on=None)]).updated == 1
    assert Commendation.objects.get().decided_on is None


def test_power_upsert_creates_updates_and_leaves_unchanged(cw) -> None:
    rows = [
        power_row(unit=cw.u["city_police"], category="licensing", name="甲", values={"legal_basis": "一"}),
        power_row(unit=cw.u["city_police"], category="penalty", name="乙"),
    ]
    res = power_items_upsert(actor=cw.users["city_office"], rows=rows, source="t")
    assert (res.created, res.updated, res.unchanged) == (2, 0, 0)
    res = power_items_upsert(actor=cw.users["city_office"], rows=rows, source="t")
    assert (res.created, res.updated, res.unchanged) == (0, 0, 2)
    rows[0] = power_row(
        unit=cw.u["city_police"], category="licensing", name="甲", values={"is_active": False}
    )
    res = power_items_upsert(actor=SYSTEM, rows=rows, source="t")
    assert (res.created, res.updated, res.unchanged) == (0, 1, 1)
    item = PowerItem.objects.get(name="甲")
    assert (item.is_active, item.legal_basis) == (False, "一")  # an absent column is kept
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 3
    before = snapshot()
    bad = [*rows, power_row(unit=cw.u["city_civil"], category="licensing", name="丙")]
    with pytest.raises(PermissionDeniedError):
        power_items_upsert(actor=cw.users["police_staff"], rows=bad, source="t")
    assert snapshot() == before


def test_reform_and_commendation_upserts(cw) -> None:
    unit = cw.u["city_police"]
    rows = [reform_row(unit=unit, title="户籍制度改革", values={"is_key": True, "status": "in_progress"})]
    results = [ResultRow(unit, "户籍制度改革", D, "一"), ResultRow(unit, "户籍制度改革", D, "二")]
    res = reforms_upsert(actor=SYSTEM, rows=rows, results=results)
    assert (res.created, res.results_added) == (1, 2)
    res = reforms_upsert(actor=SYSTEM, rows=rows, results=results)
    assert (res.created, res.unchanged, res.results_added) == (0, 1, 0)
    assert ReformResult.objects.count() == 2
    crow = commendation_row(
        unit=cw.u["village_a"], name="张三", title="优秀", date=D, values={"person": cw.people["zhang"]}
    )
    assert commendations_upsert(actor=cw.users["county_office"], rows=[crow]).created == 1
    assert commendations_upsert(actor=cw.users["county_office"], rows=[crow]).unchanged == 1
    assert Commendation.objects.get().person == cw.people["zhang"]
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        commendations_upsert(actor=cw.users["b_office"], rows=[crow])
    assert snapshot() == before
