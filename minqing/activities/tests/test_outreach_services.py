"""Research, visit and work-plan services: allowed, denied, out of subtree (nothing changed)."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.activities.models import Interview, ResearchReport, ResearchTopic, Visit, WorkPlan, WorkPlanState
from minqing.activities.services.research import interview_record, report_submit, topic_create
from minqing.activities.services.visits import visit_record
from minqing.activities.services.workplans import workplan_file, workplan_review
from minqing.activities.tests import outreach_world
from minqing.activities.tests.outreach_world import OutreachWorld
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.ledger.enums import Source, State
from minqing.ledger.models import Problem, ProblemEvent
from minqing.orgs.actors import SYSTEM, Actor

pytestmark = pytest.mark.django_db
ow = outreach_world.ow  # the fixtures
fast_hasher = outreach_world.fast_hasher
DAY = dt.date(2019, 9, 20)


def _topic(ow: OutreachWorld, actor: Actor, unit="town_a"):
    return topic_create(
        actor=actor, title="基层减负", leader=ow.people["a_leader"], unit=ow.u[unit], campaign=ow.campaign
    )


# --- research ------------------------------------------------------------------------------


def test_research_topic_interviews_and_report(ow):
    staff = ow.users["a_staff"]
    topic = _topic(ow, staff)
    assert topic.path == ow.u["town_a"].path and topic.campaign == ow.campaign
    interview_record(actor=staff, topic=topic, date=DAY, person_times=12)
    interview_record(actor=staff, topic=topic, date=DAY, person_times=3, notes="座谈")
    assert sum(i.person_times for i in Interview.objects.filter(topic=topic)) == 15
    report = report_submit(actor=staff, topic=topic, title="关于基层减负的调研报告")
    assert report.author == ow.people["a_leader"]  # the leader unless said otherwise
    assert AuditEvent.objects.filter(object_type="activities.researchreport").count() == 1


@pytest.mark.parametrize("user", ["b_staff", "a_viewer", "nobody", "village_a_staff"])
def test_research_denied(ow, user):
    actor = ow.users[user]
    topic = _topic(ow, SYSTEM)
    with pytest.raises(PermissionDeniedError):
        _topic(ow, actor)
    with pytest.raises(PermissionDeniedError):
        interview_record(actor=actor, topic=topic, date=DAY, person_times=5)
    with pytest.raises(PermissionDeniedError):
        report_submit(actor=actor, topic=topic, title="报告")
    assert ResearchTopic.objects.count() == 1
    assert not Interview.objects.exists() and not ResearchReport.objects.exists()


def test_research_refuses_bad_values_and_invisible_people(ow):
    staff = ow.users["a_staff"]
    topic = _topic(ow, staff)
    with pytest.raises(DomainError) as err:
        interview_record(actor=staff, topic=topic, date=DAY, person_times=0)
    assert err.value.code is ErrorCode.TRANSITION_BAD_VALUE
    with pytest.raises(PermissionDeniedError):  # a leader out of the actor's scope
        topic_create(actor=staff, title="x", leader=ow.people["b_secretary"], unit=ow.u["town_a"])
    with pytest.raises(PermissionDeniedError):
        report_submit(actor=staff, topic=topic, title="x", author=ow.people["b_secretary"])
    with pytest.raises(DomainError):
        report_submit(actor=staff, topic=topic, title="  ")
    assert ResearchTopic.objects.count() == 1 and not Interview.objects.exists()
    assert not ResearchReport.objects.exists()


# --- visits --------------------------------------------------------------------------------


def test_visit_to_household_and_contact_point(ow):
    staff = ow.users["a_staff"]
    h = ow.households["a"][0]
    v = visit_record(actor=staff, cadre=ow.people["a_secretary"], date=DAY, household=h, notes="了解情况")
    assert (v.path, v.unit_id, v.problem_id) == (h.path, None, None)
    v2 = visit_record(actor=staff, cadre=ow.people["a_secretary"], date=DAY, unit=ow.u["village_a"])
    assert v2.path == ow.u["village_a"].path and v2.household_id is None


def test_visit_problem_enters_the_ledger(ow):
    staff = ow.users["a_staff"]
    h = ow.households["a"][1]
    v = visit_record(
        actor=staff,
        cadre=ow.people["a_secretary"],
        date=DAY,
        household=h,
        problem_title="自来水压力不足",
        problem_text="三楼以上没水",
        campaign=ow.campaign,
    )
    assert v.problem_id is not None
    p = Problem.objects.get(pk=v.problem_id)
    assert (p.source, p.channel, p.state) == (Source.RESEARCH, "", State.REGISTERED)
    assert p.unit == ow.u["grid_a"] and p.path == h.path and p.campaign == ow.campaign
    assert p.description == "三楼以上没水"
    event = ProblemEvent.objects.get(problem=p)
    assert event.data["visit"] == v.pk


@pytest.mark.parametrize("user", ["b_staff", "a_viewer", "nobody"])
def test_visit_denied_changes_nothing(ow, user):
    with pytest.raises(PermissionDeniedError):
        visit_record(
            actor=ow.users[user],
            cadre=ow.people["a_secretary"],
            date=DAY,
            household=ow.households["a"][0],
            problem_title="问题",
        )
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_visit_needs_one_target_and_a_past_date(ow):
    staff, cadre = ow.users["a_staff"], ow.people["a_secretary"]
    with pytest.raises(DomainError) as err:
        visit_record(actor=staff, cadre=cadre, date=DAY)
    assert err.value.code is ErrorCode.VISIT_ONE_TARGET
    with pytest.raises(DomainError) as err:
        visit_record(
            actor=staff, cadre=cadre, date=DAY, household=ow.households["a"][0], unit=ow.u["village_a"]
        )
    assert err.value.code is ErrorCode.VISIT_ONE_TARGET
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as err:
        visit_record(actor=staff, cadre=cadre, date=tomorrow, household=ow.households["a"][0])
    assert err.value.code is ErrorCode.VISIT_FUTURE_DATE
    with pytest.raises(DomainError):  # a description without a title
        visit_record(actor=staff, cadre=cadre, date=DAY, unit=ow.u["village_a"], problem_text="没有标题")
    assert not Visit.objects.exists() and not Problem.objects.exists()


# --- work plans ----------------------------------------------------------------------------


def test_workplan_review_flow(ow):
    staff, office = ow.users["a_staff"], ow.users["county_office"]
    plan = workplan_file(actor=staff, unit=ow.u["town_a"], campaign=ow.campaign, title="实施方案")
    assert plan.state == WorkPlanState.FILED and plan.path == ow.u["town_a"].path
    with pytest.raises(DomainError) as err:  # one open plan per unit and campaign
        workplan_file(actor=staff, unit=ow.u["town_a"], campaign=ow.campaign, title="第二份")
    assert err.value.code is ErrorCode.WORKPLAN_OPEN_EXISTS
    with pytest.raises(DomainError) as err:  # returned needs comments
        workplan_review(actor=office, plan=plan, passed=False, comments="  ")
    assert err.value.code is ErrorCode.WORKPLAN_COMMENTS_REQUIRED
    plan = workplan_review(actor=office, plan=plan, passed=False, comments="缺少时间表")
    assert (plan.state, plan.comments, plan.reviewed_by) == (WorkPlanState.RETURNED, "缺少时间表", office)
    with pytest.raises(DomainError) as err:  # only a filed plan is reviewed
        workplan_review(actor=office, plan=plan, passed=True)
    assert err.value.code is ErrorCode.WORKPLAN_STATE
    plan = workplan_file(
        actor=staff, unit=ow.u["town_a"], campaign=ow.campaign, title="实施方案(修改稿)", plan=plan
    )
    assert plan.state == WorkPlanState.FILED and plan.title == "实施方案(修改稿)"
    plan = workplan_review(actor=office, plan=plan, passed=True)
    assert plan.state == WorkPlanState.PASSED
    with pytest.raises(DomainError) as err:  # a passed plan is not filed again
        workplan_file(actor=staff, unit=ow.u["town_a"], campaign=ow.campaign, title="x", plan=plan)
    assert err.value.code is ErrorCode.WORKPLAN_STATE
    assert WorkPlan.objects.count() == 1


def test_workplan_permissions(ow):
    plan = workplan_file(
        actor=ow.users["a_staff"], unit=ow.u["town_a"], campaign=ow.campaign, title="实施方案"
    )
    for user in ("b_staff", "a_viewer", "nobody"):
        with pytest.raises(PermissionDeniedError):
            workplan_file(actor=ow.users[user], unit=ow.u["town_a"], campaign=ow.other_campaign, title="x")
    # unit staff, the unit's own office, another township and a viewer cannot review
    for user in ("a_staff", "a_office", "b_staff", "a_viewer", "nobody"):
        with pytest.raises(PermissionDeniedError):
            workplan_review(actor=ow.users[user], plan=plan, passed=True)
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.FILED and plan.reviewed_at is None
    assert WorkPlan.objects.count() == 1
    # the township's office reviews its village's plan
    vplan = workplan_file(
        actor=ow.users["village_a_staff"], unit=ow.u["village_a"], campaign=ow.campaign, title="村方案"
    )
    assert workplan_review(actor=ow.users["a_office"], plan=vplan, passed=True).state == WorkPlanState.PASSED
