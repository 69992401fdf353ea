"""``minqing import problems --user``: a user imports only what the workflow would let them do
(issue 16, finding 8): the responsible unit, the claim and the state, not only the unit."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minqing.campaigns.models import Campaign
from minqing.core.importing import ImportFailed
from minqing.ledger.importers.problems import import_problems
from minqing.ledger.models import Problem
from minqing.ledger.tests.test_import_problems import GOOD_ROWS, row, write_csv
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

VILLAGE_A, TOWN_A, VILLAGE_B, TOWN_B = "150902001001", "150902001000", "150902101201", "150902101000"
RESOLVED = {"状态": "已办结", "办结时间": "2019-09-05", "办结方式": "立行立改"}


@pytest.fixture
def people(lw):
    county = lw.u["county"]
    Campaign.objects.create(name="主题教育", scope=county, path=county.path, start_date=dt.date(2019, 9, 1))
    PersonFactory(number="P-LEAD-1", unit=county, name="张书记")
    PersonFactory(number="P-B-1", unit=lw.u["town_b"], name="王镇长")
    return lw


def refused(tmp_path, user, **cells) -> tuple[int | None, str, str]:
    """The one issue of a one-row file imported as ``user``: (row, column, reason)."""
    with pytest.raises(ImportFailed) as err:
        import_problems(write_csv(tmp_path / "p.csv", [row(**cells)]), actor=user)
    assert Problem.objects.count() == 0
    (only,) = err.value.issues
    return only.row, only.column, str(only.reason)


def test_unit_staff_cannot_import_an_assignment(tmp_path, people) -> None:
    """Town A's staff may register about village A, but only dispatchers assign."""
    got = refused(tmp_path, people.users["a_staff"], 所属单位代码=VILLAGE_A, 责任单位代码=TOWN_A)
    assert got == (2, "责任单位代码", "无权操作该单位或其下级单位的数据")


def test_responsible_unit_outside_the_users_scope(tmp_path, people) -> None:
    got = refused(
        tmp_path, people.users["b_office"], 所属单位代码=VILLAGE_B, 责任单位代码=TOWN_A, 状态="已交办"
    )
    assert got[:2] == (2, "责任单位代码")


def test_intake_cannot_import_a_state_only_the_responsible_unit_reaches(tmp_path, people) -> None:
    """The county's intake may assign, but 整改 and 办结 are the responsible unit's steps."""
    user = people.users["county_intake"]
    got = refused(tmp_path, user, 所属单位代码=VILLAGE_A, 责任单位代码=TOWN_A, **RESOLVED)
    assert got == (2, "状态", "您的角色不能对该问题执行“开始整改”")
    got = refused(tmp_path, user, 所属单位代码=VILLAGE_A, 责任单位代码=TOWN_A, 状态="已受理")
    assert got == (2, "状态", "您的角色不能对该问题执行“受理”")


def test_a_claim_is_recorded_by_the_office_only(tmp_path, people) -> None:
    cells = {"所属单位代码": VILLAGE_A, "责任单位代码": TOWN_A, "状态": "已交办", "认领人员编号": "P-LEAD-1"}
    got = refused(tmp_path, people.users["county_intake"], **cells)
    assert got == (2, "认领人员编号", "您的角色不能对该问题执行“领导认领”")
    res = import_problems(write_csv(tmp_path / "ok.csv", [row(**cells)]), actor=people.users["county_office"])
    assert res.created == 1 and Problem.objects.filter(claimed_by__number="P-LEAD-1").count() == 1


def test_the_claiming_leader_must_be_in_the_users_scope(tmp_path, people) -> None:
    cells = {"所属单位代码": VILLAGE_B, "责任单位代码": TOWN_B, "状态": "已交办", "认领人员编号": "P-LEAD-1"}
    got = refused(tmp_path, people.users["b_office"], **cells)
    assert got == (2, "认领人员编号", "无权操作该单位或其下级单位的数据")
    cells["认领人员编号"] = "P-B-1"
    assert (
        import_problems(
            write_csv(tmp_path / "ok.csv", [row(**cells)]), actor=people.users["b_office"]
        ).created
        == 1
    )


def test_the_unit_staff_import_what_they_may_do(tmp_path, people) -> None:
    """Registering about their own units, with no assignment, stays allowed."""
    res = import_problems(
        write_csv(tmp_path / "p.csv", [row(所属单位代码=VILLAGE_A)]), actor=people.users["a_staff"]
    )
    assert res.created == 1


def test_the_office_and_system_import_every_good_row(tmp_path, people) -> None:
    path = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    assert import_problems(path, actor=people.users["county_office"]).created == len(GOOD_ROWS)
    Problem.objects.all().delete()
    assert import_problems(path, actor=SYSTEM).created == len(GOOD_ROWS)


def test_the_command_with_user_refuses_the_row(tmp_path, people, capsys) -> None:
    path = write_csv(tmp_path / "p.csv", [row(所属单位代码=VILLAGE_A, 责任单位代码=TOWN_A, **RESOLVED)])
    with pytest.raises(CommandError):
        call_command("import_data", "problems", str(path), "--no-progress", "--user", "county_intake")
    assert "第 2 行,列“状态”" in capsys.readouterr().err
    assert Problem.objects.count() == 0
    call_command("import_data", "problems", str(path), "--no-progress")  # SYSTEM: as before
    assert Problem.objects.get().state == "resolved"
