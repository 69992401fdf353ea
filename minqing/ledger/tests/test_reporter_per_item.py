"""Who may see a reporter is decided per feedback item (issue 16, finding 1).

An office must never see who complained about its own unit, however the complaint was merged
into a problem about a unit below it: by the merge action, or by intake's merge number.
"""

from typing import Any

import pytest
from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.ledger.access import can_see_reporter, reporter_feedback_ids
from minqing.ledger.enums import Action, Channel, Source
from minqing.ledger.models import Feedback, Problem
from minqing.ledger.services.intake import ProblemFacts, Reporter, feedback_submit, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import login
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

# the resident who complained about township B (the office of township B must never learn it)
ACCUSER, ACCUSER_PHONE = "钱多多", "13511112222"
# a resident who complained about village B (below township B)
VILLAGER, VILLAGER_PHONE = "孙小小", "13633334444"


def _complaint(lw: Any, unit_key: str, name: str, phone: str, merge_into: Problem | None = None) -> Feedback:
    return feedback_submit(
        actor=SYSTEM if merge_into is None else lw.users["county_intake"],
        channel=Channel.ONLINE if merge_into is None else Channel.CALL,
        title="办事推诿",
        content="多次办理无果",
        unit=lw.u[unit_key],
        reporter=Reporter(name=name, phone=phone),
        merge_into=merge_into,
    )


def _village_problem_without_feedback(lw: Any) -> Problem:
    unit, source = lw.u["village_b"], Source.SELF_INSPECTION
    facts = ProblemFacts(title="道路破损", description="村道坑洼", unit=unit, source=source)
    return problem_register(actor=SYSTEM, facts=facts)


def _merged_by_action(lw: Any, target: Problem) -> Feedback:
    """The complaint about township B, merged by the office of township B into ``target``."""
    fb = _complaint(lw, "town_b", ACCUSER, ACCUSER_PHONE)
    assert fb.problem is not None
    problem_transition(actor=lw.users["b_office"], problem=fb.problem, action=Action.MERGE, into=target)
    fb.refresh_from_db()
    assert fb.problem_id == target.pk and fb.unit == lw.u["town_b"]
    return fb


def _reveal(client: Any, problem: Problem) -> Any:
    return client.post(reverse("ledger:reveal", args=[problem.number]))


def _detail(client: Any, problem: Problem) -> str:
    r = client.get(reverse("ledger:detail", args=[problem.number]))
    assert r.status_code == 200
    return r.content.decode()


def _assert_accuser_hidden(client: Any, problem: Problem, fb: Feedback) -> None:
    for html in (_detail(client, problem), _reveal(client, problem).content.decode()):
        assert ACCUSER not in html and ACCUSER_PHONE not in html and fb.tracking_code not in html
    export = client.get(reverse("ledger:export"), {"format": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert problem.number in body and ACCUSER not in body and ACCUSER_PHONE not in body


def test_office_cannot_reveal_a_complaint_about_its_unit_merged_below_it(client, lw) -> None:
    target = _village_problem_without_feedback(lw)
    fb = _merged_by_action(lw, target)
    office = lw.users["b_office"]
    assert not can_see_reporter(office, target)
    assert not can_see_reporter(office, target, fb)
    c = login(client, office)
    assert "查看反映人信息" not in _detail(c, target)
    r = _reveal(c, target)
    assert r.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()
    _assert_accuser_hidden(c, target, fb)


def test_intake_merge_number_does_not_reveal_to_the_accused_office(client, lw) -> None:
    target = _village_problem_without_feedback(lw)
    c = login(client, lw.users["county_intake"])
    r = c.post(
        reverse("ledger:intake") + f"?channel={Channel.CALL}",
        {
            "title": "办事推诿",
            "content": "多次办理无果",
            "urgency": "normal",
            "unit_code": lw.u["town_b"].code,
            "name": ACCUSER,
            "caller": ACCUSER_PHONE,
            "merge_number": target.number,
        },
    )
    assert r.status_code == 302
    fb = Feedback.objects.get(problem=target)
    assert fb.unit == lw.u["town_b"]
    c = login(client, lw.users["b_office"])
    assert _reveal(c, target).status_code == 404
    _assert_accuser_hidden(c, target, fb)


def test_the_office_above_sees_the_merged_reporter_and_is_audited(client, lw) -> None:
    target = _village_problem_without_feedback(lw)
    fb = _merged_by_action(lw, target)
    c = login(client, lw.users["county_office"])
    page = _detail(c, target)
    assert "查看反映人信息" in page and fb.tracking_code in page and ACCUSER not in page
    r = _reveal(c, target)
    html = r.content.decode()
    assert r.status_code == 200 and ACCUSER in html and ACCUSER_PHONE in html
    row = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL)
    assert row.actor == lw.users["county_office"] and row.object_type == "ledger.feedbackidentity"
    assert row.object_id == str(fb.pk) and target.number in row.detail


def test_a_problem_with_items_about_two_units_shows_each_only_to_those_allowed(client, lw) -> None:
    own = _complaint(lw, "village_b", VILLAGER, VILLAGER_PHONE)
    target = own.problem
    assert target is not None
    merged = _complaint(lw, "town_b", ACCUSER, ACCUSER_PHONE, merge_into=target)
    office = lw.users["b_office"]
    items = list(target.feedback.all())
    assert reporter_feedback_ids(office, target, items) == {own.pk}
    assert reporter_feedback_ids(lw.users["county_office"], target, items) == {own.pk, merged.pk}

    # the office of township B sees the villager's reporter only; one audit row, for that item
    c = login(client, office)
    page = _detail(c, target)
    assert own.tracking_code in page and merged.tracking_code not in page
    r = _reveal(c, target)
    html = r.content.decode()
    assert r.status_code == 200 and VILLAGER in html and VILLAGER_PHONE in html
    assert ACCUSER not in html and ACCUSER_PHONE not in html
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL)
    assert [(r.actor, r.object_id) for r in rows] == [(office, str(own.pk))]
    _assert_accuser_hidden(c, target, merged)

    # the county office sees both, each read audited
    c = login(client, lw.users["county_office"])
    html = _reveal(c, target).content.decode()
    assert VILLAGER in html and ACCUSER in html
    assert rows.filter(actor=lw.users["county_office"]).count() == 2


def test_moving_the_problem_does_not_widen_who_sees_a_reporter(lw) -> None:
    target = _village_problem_without_feedback(lw)
    fb = _merged_by_action(lw, target)
    writers = {"town_b": "b_staff", "town_a": "a_staff"}
    for resp in ("town_b", "town_a"):
        target = problem_transition(
            actor=lw.users["county_office"], problem=target, action=Action.ASSIGN, responsible_unit=lw.u[resp]
        )
        for user in ("b_office", "b_staff", "a_staff", "viewer"):
            assert not can_see_reporter(lw.users[user], target, fb), (resp, user)
        assert can_see_reporter(lw.users["county_office"], target, fb)
        writer = lw.users[writers[resp]]
        target = problem_transition(actor=writer, problem=target, action=Action.RETURN, note="非本单位")
    # the item keeps the unit it was submitted about, whatever the problem's unit now is
    Problem.objects.filter(pk=target.pk).update(unit=lw.u["village_b"], path=lw.u["village_b"].path)
    target.refresh_from_db()
    assert not can_see_reporter(lw.users["b_office"], target, fb)


def test_the_data_migration_fills_the_unit_from_the_problem(lw) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("minqing.ledger.migrations.0006_feedback_unit_fill")
    fb = _complaint(lw, "village_b", VILLAGER, VILLAGER_PHONE)
    kept = _complaint(lw, "town_b", ACCUSER, ACCUSER_PHONE, merge_into=fb.problem)
    Feedback.objects.filter(pk=fb.pk).update(unit=None)
    migration.fill_feedback_unit(apps, None)
    fb.refresh_from_db()
    kept.refresh_from_db()
    assert fb.unit == lw.u["village_b"] and kept.unit == lw.u["town_b"]
