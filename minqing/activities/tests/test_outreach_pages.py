"""Outreach pages: allowed, denied (nothing changed), out of subtree (404), anonymous (login)."""

import datetime as dt

import pytest
from django.urls import reverse

from minqing.activities.models import Interview, ResearchReport, ResearchTopic, Visit, WorkPlan, WorkPlanState
from minqing.activities.services.research import topic_create
from minqing.activities.services.workplans import workplan_file
from minqing.activities.tests import outreach_world
from minqing.activities.tests.outreach_world import OutreachWorld
from minqing.ledger.enums import Source
from minqing.ledger.models import Problem
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db
ow = outreach_world.ow  # the fixtures
fast_hasher = outreach_world.fast_hasher


def login(client, user):
    client.force_login(user)
    return client


def _topic(ow: OutreachWorld, unit: str = "town_a"):
    return topic_create(
        actor=SYSTEM, title="基层减负", leader=ow.people["a_leader"], unit=ow.u[unit], campaign=ow.campaign
    )


def _plan(ow: OutreachWorld, unit: str = "town_a"):
    return workplan_file(actor=SYSTEM, unit=ow.u[unit], campaign=ow.campaign, title=f"{unit}方案")


def test_anonymous_is_sent_to_login(client, ow):
    topic, plan = _topic(ow), _plan(ow)
    urls = [
        reverse("outreach:research"),
        reverse("outreach:topic_new"),
        reverse("outreach:topic", args=[topic.pk]),
        reverse("outreach:visits"),
        reverse("outreach:visit_new"),
        reverse("outreach:plans"),
        reverse("outreach:plan_new"),
        reverse("outreach:plan", args=[plan.pk]),
        reverse("outreach:coverage"),
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and reverse("login") in r["Location"], url
    r = client.post(reverse("outreach:plan_review", args=[plan.pk]), {"review-decision": "pass"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.FILED


def test_lists_are_scoped_to_the_subtree(client, ow):
    ta, tb = _topic(ow, "town_a"), _topic(ow, "town_b")
    pa, pb = _plan(ow, "town_a"), _plan(ow, "town_b")
    c = login(client, ow.users["a_viewer"])
    html = c.get(reverse("outreach:research")).content.decode()
    assert reverse("outreach:topic", args=[ta.pk]) in html
    assert reverse("outreach:topic", args=[tb.pk]) not in html
    html = c.get(reverse("outreach:plans")).content.decode()
    assert (
        reverse("outreach:plan", args=[pa.pk]) in html and reverse("outreach:plan", args=[pb.pk]) not in html
    )
    # another township's records and unit: 404
    assert c.get(reverse("outreach:topic", args=[tb.pk])).status_code == 404
    assert c.get(reverse("outreach:plan", args=[pb.pk])).status_code == 404
    for name in ("research", "visits", "plans", "coverage"):
        r = c.get(reverse(f"outreach:{name}"), {"unit": ow.u["town_b"].code})
        assert r.status_code == 200 and r.context["unit"] != ow.u["town_b"], name  # an inline error
        assert [m.level_tag for m in r.context["messages"]] == ["error"], name
    # a user with no role has no unit to start from
    assert login(client, ow.users["nobody"]).get(reverse("outreach:coverage")).status_code == 404


def test_topic_create_and_add_interview_and_report(client, ow):
    c = login(client, ow.users["a_staff"])
    data = {
        "title": "乡村振兴",
        "unit_code": ow.u["town_a"].code,
        "leader_number": ow.people["a_leader"].number,
        "campaign": ow.campaign.pk,
        "is_key": "on",
    }
    r = c.post(reverse("outreach:topic_new"), data)
    topic = ResearchTopic.objects.get()
    assert r.status_code == 302 and topic.is_key
    r = c.post(
        reverse("outreach:interview_add", args=[topic.pk]),
        {"interview-date": "2019-09-10", "interview-person_times": "8"},
    )
    assert r.status_code == 302 and Interview.objects.get().person_times == 8
    r = c.post(
        reverse("outreach:report_add", args=[topic.pk]),
        {"report-title": "调研报告", "report-submitted_on": "2019-09-20"},
    )
    assert r.status_code == 302 and ResearchReport.objects.get().author == ow.people["a_leader"]
    r = c.get(reverse("outreach:research"), {"campaign": ow.campaign.pk})
    assert "乡村振兴" in r.content.decode() and (r.context["interviews"], r.context["person_times"]) == (1, 8)
    assert r.context["leaders_count"] == 0  # town A's 处级 leader has a report now


def test_topic_pages_denied_change_nothing(client, ow):
    topic = _topic(ow)
    c = login(client, ow.users["a_viewer"])
    data = {"title": "x", "unit_code": ow.u["town_a"].code, "leader_number": ow.people["a_leader"].number}
    r = c.post(reverse("outreach:topic_new"), data)
    assert r.status_code == 403
    r = c.post(
        reverse("outreach:interview_add", args=[topic.pk]),
        {"interview-date": "2019-09-10", "interview-person_times": "8"},
    )
    assert r.status_code == 403
    # out of the subtree: the unit code is not found in scope, the topic is a 404
    c = login(client, ow.users["b_staff"])
    r = c.post(reverse("outreach:topic_new"), data)
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    r = c.post(reverse("outreach:report_add", args=[topic.pk]), {"report-title": "x"})
    assert r.status_code == 404
    assert ResearchTopic.objects.count() == 1 and not Interview.objects.exists()
    assert not ResearchReport.objects.exists()


def test_division_leaders_without_report_list(client, ow):
    c = login(client, ow.users["county_office"])
    r = c.get(reverse("outreach:research"), {"campaign": ow.campaign.pk})
    assert r.context["leaders_count"] == 2
    assert {p.name for p in r.context["leaders"]} == {"县领导", "镇处级"}


def test_visit_form_records_a_visit_and_a_problem(client, ow):
    c = login(client, ow.users["a_staff"])
    data = {
        "cadre_number": ow.people["a_secretary"].number,
        "date": "2019-09-12",
        "household_number": "A0",
        "notes": "入户",
        "problem_title": "道路坑洼",
        "problem_text": "村口道路坑洼",
        "campaign": ow.campaign.pk,
    }
    r = c.post(reverse("outreach:visit_new"), data)
    assert r.status_code == 302
    visit = Visit.objects.get()
    assert visit.household == ow.households["a"][0] and visit.problem is not None
    assert Problem.objects.get().source == Source.RESEARCH
    html = c.get(reverse("outreach:visits"), {"start": "2019-09-01", "end": "2019-09-30"}).content.decode()
    assert visit.problem.number in html
    # a contact point
    data = {
        "cadre_number": ow.people["a_secretary"].number,
        "date": "2019-09-12",
        "unit_code": ow.u["village_a"].code,
    }
    assert c.post(reverse("outreach:visit_new"), data).status_code == 302
    assert Visit.objects.count() == 2


def test_visit_form_denied_and_out_of_subtree(client, ow):
    data = {"cadre_number": ow.people["a_secretary"].number, "date": "2019-09-12", "household_number": "A0"}
    r = login(client, ow.users["a_viewer"]).post(reverse("outreach:visit_new"), data)
    assert r.status_code == 403
    r = login(client, ow.users["b_staff"]).post(reverse("outreach:visit_new"), data)
    assert r.status_code == 200 and r.context["form"].errors  # neither cadre nor household in scope
    both = data | {"unit_code": ow.u["village_a"].code}
    r = login(client, ow.users["a_staff"]).post(reverse("outreach:visit_new"), both)
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_workplan_pages_flow(client, ow):
    c = login(client, ow.users["a_staff"])
    data = {"unit_code": ow.u["town_a"].code, "campaign": ow.campaign.pk, "title": "实施方案"}
    assert c.post(reverse("outreach:plan_new"), data).status_code == 302
    plan = WorkPlan.objects.get()
    review = reverse("outreach:plan_review", args=[plan.pk])
    # unit staff cannot review (no form shown, POST denied)
    assert not c.get(reverse("outreach:plan", args=[plan.pk])).context["can_review"]
    assert c.post(review, {"review-decision": "pass"}).status_code == 403
    office = login(client, ow.users["county_office"])
    assert office.get(reverse("outreach:plan", args=[plan.pk])).context["can_review"]
    r = office.post(review, {"review-decision": "return", "review-comments": ""})
    assert r.status_code == 200 and r.context["review_form"].errors
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.FILED
    assert (
        office.post(review, {"review-decision": "return", "review-comments": "补充措施"}).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.RETURNED
    c = login(client, ow.users["a_staff"])
    r = c.post(reverse("outreach:plan_new") + f"?refile={plan.pk}", data | {"title": "实施方案二稿"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.title) == (WorkPlanState.FILED, "实施方案二稿")
    office = login(client, ow.users["county_office"])
    assert office.post(review, {"review-decision": "pass"}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.PASSED


def test_workplan_review_out_of_subtree(client, ow):
    plan = _plan(ow, "town_b")
    r = login(client, ow.users["a_office"]).post(
        reverse("outreach:plan_review", args=[plan.pk]), {"review-decision": "pass"}
    )
    assert r.status_code == 404
    plan.refresh_from_db()
    assert plan.state == WorkPlanState.FILED


def test_coverage_page(client, ow):
    ow.activity("reading_class", "town_a")
    c = login(client, ow.users["county_office"])
    r = c.get(reverse("outreach:coverage"), {"unit": ow.u["county"].code, "campaign": ow.campaign.pk})
    assert r.status_code == 200
    counts = {s["key"]: s["count"] for s in r.context["sections"]}
    assert counts == {"orgs": 4, "members": 7, "villages": 2, "households": 5, "secretaries": 2}
    assert r.context["period"].start == dt.date(2019, 9, 1)
    # a township's staff sees its own subtree
    r = login(client, ow.users["a_staff"]).get(reverse("outreach:coverage"))
    counts = {s["key"]: s["count"] for s in r.context["sections"]}
    assert counts["households"] == 3 and counts["villages"] == 1


def test_pages_render_for_staff(client, ow):
    topic, plan = _topic(ow), _plan(ow)
    c = login(client, ow.users["a_staff"])
    for url in (
        reverse("outreach:research"),
        reverse("outreach:topic_new"),
        reverse("outreach:topic", args=[topic.pk]),
        reverse("outreach:visits") + "?start=2019-02-30&end=x",  # bad dates fall back to this month
        reverse("outreach:visit_new"),
        reverse("outreach:plans") + "?state=returned",
        reverse("outreach:plan_new"),
        reverse("outreach:plan", args=[plan.pk]),
        reverse("outreach:coverage") + "?start=2019-09-01&end=2019-09-30&p_households=2",
    ):
        assert c.get(url).status_code == 200, url
