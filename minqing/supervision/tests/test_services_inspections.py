"""inspection_record: rounds, findings into the ledger, all-or-nothing, permissions."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.ledger.enums import Action, Source, State
from minqing.ledger.models import Category, Problem, ProblemEvent
from minqing.orgs.actors import SYSTEM
from minqing.supervision.enums import InspectionKind
from minqing.supervision.models import Finding, Inspection
from minqing.supervision.services import inspections as svc
from minqing.supervision.services.inspections import FindingSpec, RecordsChecked, inspection_record
from minqing.supervision.tests.conftest import DAY
from minqing.supervision.tests.helpers import snapshot

pytestmark = pytest.mark.django_db


def _days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_rounds_are_numbered_per_group(w):
    g, other = w.group(), w.group(name="第二指导组")
    first = w.inspect(g, "town_a", _days(0), actor=SYSTEM)
    assert first.round == 1
    assert w.inspect(g, "town_b", _days(1), actor=SYSTEM).round == 1  # the same sweep goes on
    assert w.inspect(g, "village_a", _days(2), actor=SYSTEM).round == 1  # a unit under an assigned one
    # the same unit the same day: the same visit, the same round
    assert w.inspect(g, "town_a", _days(0), kind=InspectionKind.SIT_IN_MEETING, actor=SYSTEM).round == 1
    # back at town_a on another day: the second sweep begins
    assert w.inspect(g, "town_a", _days(10), actor=SYSTEM).round == 2
    assert w.inspect(g, "town_b", _days(11), actor=SYSTEM).round == 2
    # another group counts its own rounds
    assert w.inspect(other, "town_a", _days(12), actor=SYSTEM).round == 1
    # an explicit round: any existing one, or the next one
    assert w.inspect(g, "village_b", _days(3), round=1, actor=SYSTEM).round == 1
    assert w.inspect(g, "village_b", _days(20), round=3, actor=SYSTEM).round == 3
    assert svc.latest_round(g) == 3 and svc.latest_round(other) == 1


@pytest.mark.parametrize("bad", [0, -1, 3])
def test_explicit_rounds_do_not_skip(w, bad):
    g = w.group()
    w.inspect(g, "town_a", actor=SYSTEM)
    before = snapshot()
    with pytest.raises(DomainError) as err:
        w.inspect(g, "town_b", round=bad, actor=SYSTEM)
    assert err.value.code == ErrorCode.SUPERVISION_BAD_ROUND
    assert err.value.params == {"max": 2}
    assert snapshot() == before


def test_findings_become_problems_with_source_supervision(w):
    g = w.group()
    cat = Category.objects.create(name="作风建设", full_name="作风建设")
    i = inspection_record(
        actor=w.users["county_office"],
        group=g,
        unit=w.u["village_a"],
        date=DAY,
        kind=InspectionKind.RECORDS_CHECK,
        records=RecordsChecked(minutes=True, media=True),
        notes="  调阅了三会一课记录  ",
        findings=[
            FindingSpec(text="支部学习会记录不全,缺少 9 月两次\n详见附件", category=cat),
            FindingSpec(text="音视频资料未按要求归档", title="资料未归档"),
        ],
    )
    assert (i.round, i.path, i.notes) == (1, w.u["village_a"].path, "调阅了三会一课记录")
    assert (i.checked_minutes, i.checked_scripts, i.checked_media) == (True, False, True)
    assert i.records_checked() == ["会议记录", "音视频资料"]
    assert i.recorded_by == w.users["county_office"]
    f1, f2 = Finding.objects.filter(inspection=i)
    for f in (f1, f2):
        p = f.problem
        assert p.source == Source.SUPERVISION and p.get_source_display() == "督导发现"
        assert p.unit == w.u["village_a"] and p.path == w.u["village_a"].path
        assert p.campaign == w.campaign and p.channel == "" and p.state == State.REGISTERED
        # found on a past day: registered at the end of that day
        assert timezone.localtime(p.registered_at) == timezone.make_aware(dt.datetime(2019, 10, 8, 17))
        event = ProblemEvent.objects.get(problem=p)
        assert event.action == Action.REGISTER and event.data["inspection"] == i.pk
    assert f1.problem.title == "支部学习会记录不全,缺少 9 月两次"
    assert f1.problem.description == "支部学习会记录不全,缺少 9 月两次\n详见附件"
    assert f1.problem.category == cat and f1.category == cat
    assert f2.problem.title == "资料未归档"
    assert Problem.objects.count() == 2


def test_a_finding_today_is_registered_now(w):
    g = w.group()
    i = w.inspect(g, "town_a", timezone.localdate(), findings=("会议室台账混乱",), actor=SYSTEM)
    p = i.findings.get().problem
    assert abs((timezone.now() - p.registered_at).total_seconds()) < 60


def test_a_long_first_line_is_cut_for_the_title(w):
    text = "问" * 80
    i = w.inspect(w.group(), findings=(text,), actor=SYSTEM)
    p = i.findings.get().problem
    assert p.title == "问" * 59 + "…" and p.description == text


def test_all_or_nothing_when_a_finding_fails(w, monkeypatch):
    g = w.group()
    w.inspect(g, "town_a", actor=SYSTEM)
    before = snapshot()
    real = svc.problem_register_unchecked
    calls = []

    def failing(**kw):
        calls.append(kw)
        if len(calls) == 2:
            raise RuntimeError("ledger unavailable")
        return real(**kw)

    monkeypatch.setattr(svc, "problem_register_unchecked", failing)
    with pytest.raises(RuntimeError):
        w.inspect(g, "town_b", findings=("第一个问题", "第二个问题", "第三个问题"), actor=SYSTEM)
    assert len(calls) == 2
    assert snapshot() == before  # no inspection, no finding, no problem, no event, no audit row


def test_an_empty_finding_rejects_the_whole_inspection(w):
    g = w.group()
    before = snapshot()
    with pytest.raises(DomainError) as err:
        w.inspect(g, "town_a", findings=("有内容", "   "), actor=SYSTEM)
    assert err.value.code == ErrorCode.SUPERVISION_FINDING_EMPTY and err.value.params == {"n": 2}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "records", "code"),
    [
        (InspectionKind.RECORDS_CHECK, RecordsChecked(), ErrorCode.SUPERVISION_RECORDS_REQUIRED),
        (InspectionKind.SPOT_CHECK, RecordsChecked(scripts=True), ErrorCode.SUPERVISION_RECORDS_NOT_CHECK),
        ("inspection", RecordsChecked(), ErrorCode.SUPERVISION_BAD_KIND),
    ],
)
def test_kind_and_records_are_validated(w, kind, records, code):
    g = w.group()
    before = snapshot()
    with pytest.raises(DomainError) as err:
        w.inspect(g, kind=kind, records=records, actor=SYSTEM)
    assert err.value.code == code
    assert snapshot() == before


def test_future_dates_and_units_outside_the_group_are_refused(w):
    g = w.group(units=("town_a",))
    before = snapshot()
    with pytest.raises(DomainError) as err:
        w.inspect(g, "town_a", timezone.localdate() + dt.timedelta(days=1), actor=SYSTEM)
    assert err.value.code == ErrorCode.SUPERVISION_FUTURE_DATE
    for unit in ("town_b", "village_b", "county"):
        with pytest.raises(DomainError) as err:
            w.inspect(g, unit, actor=SYSTEM)
        assert err.value.code == ErrorCode.SUPERVISION_OUTSIDE_GROUP, unit
    assert snapshot() == before
    # a group without assigned units covers its sending unit's subtree
    open_group = w.group(name="机动组", units=())
    assert w.inspect(open_group, "village_b", actor=SYSTEM).round == 1


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("county_office", "town_b"),
        ("county_inspector", "village_b"),
        ("a_office", "town_a"),
        ("a_inspector", "village_a"),
        ("root", "town_b"),
    ],
)
def test_office_and_inspectors_above_or_at_the_unit_may_record(w, user, unit):
    g = w.group()
    i = w.inspect(g, unit, findings=("问题",), actor=w.users[user])
    assert i.pk and i.findings.get().problem.source == Source.SUPERVISION


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("a_staff", "town_a"),  # unit staff: not a recorder
        ("viewer", "town_a"),
        ("nobody", "town_a"),
        ("a_inspector", "town_b"),  # out of the subtree
        ("a_office", "town_b"),
        ("b_office", "village_a"),
        ("a_inspector", "county"),  # above the actor's unit
    ],
)
def test_others_may_not_record_and_nothing_changes(w, user, unit):
    g = w.group(units=("county",)) if unit == "county" else w.group()
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        w.inspect(g, unit, findings=("问题",), actor=w.users[user])
    assert snapshot() == before
    assert not Inspection.objects.exists()
