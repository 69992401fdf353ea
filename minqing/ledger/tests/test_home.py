"""我的工作: each role sees the blocks its roles call for, with counts that match the lists they
link to, from one query; a role without any sees a friendly empty state."""

import datetime as dt
import re
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minqing.activities.services.workplans import workplan_file
from minqing.campaigns.models import Campaign
from minqing.ledger.enums import Action, Channel
from minqing.ledger.models import Problem
from minqing.ledger.selectors_work import WorkKey, work_summary
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.moderation import APPROVE, PRIVATE, problem_moderate
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import login
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Role
from minqing.orgs.models import Person
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant
from minqing.programmes.models import Programme, ProgressReport, Target, TargetPlan
from minqing.programmes.work import progress_to_report
from minqing.supervision.enums import InspectionKind
from minqing.supervision.models import GroupMember, GroupUnit, GuidanceGroup, Inspection
from minqing.supervision.work import inspections_to_record

pytestmark = pytest.mark.django_db


def _call(lw, title):
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title=title,
        content="内容",
        unit=lw.u["village_a"],
        reporter=Reporter(name="张先生", phone="13900002222"),
    )
    return fb.problem


def _act(lw, who, p, action, **params):
    return problem_transition(actor=lw.users[who], problem=p, action=action, **params)


@pytest.fixture
def work(lw):
    """One problem per block: unassigned, to accept, overdue, due this week (claimed), returned."""
    today = timezone.localdate()
    out = {"unassigned": _call(lw, "未交办的问题")}
    assign = {"responsible_unit": lw.u["town_a"]}
    out["accept"] = _act(lw, "county_office", _call(lw, "待受理的问题"), Action.ASSIGN, **assign)
    late = _act(lw, "county_office", _call(lw, "逾期的问题"), Action.ASSIGN, **assign)
    late = _act(lw, "a_staff", late, Action.ACCEPT)
    Problem.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=1))
    out["overdue"] = late
    week = _act(lw, "county_office", _call(lw, "本周到期的问题"), Action.ASSIGN, due_date=today, **assign)
    week = _act(lw, "a_staff", week, Action.ACCEPT)
    out["week"] = _act(lw, "county_leader", week, Action.CLAIM)
    ret = _act(lw, "county_office", _call(lw, "被退回的问题"), Action.ASSIGN, **assign)
    out["returned"] = _act(lw, "a_staff", ret, Action.RETURN, note="不属于本单位")
    return out


def counts(actor: Actor) -> dict[str, int]:
    return {b.key: b.count for b in work_summary(actor).blocks}


def test_counts_per_role(lw, work):
    u = lw.users
    assert counts(u["a_staff"]) == {"accept": 1, "overdue": 1, "due_week": 1}
    # the five calls wait for moderation before the public list (services/moderation.py)
    assert counts(u["county_intake"]) == {"overdue": 1, "returned": 1, "unassigned": 1, "moderate": 5}
    # the office: its subtree's overdue, returned and unassigned; nothing assigned to the county itself
    assert counts(u["county_office"]) == {
        "accept": 0,
        "overdue": 1,
        "due_week": 0,
        "returned": 1,
        "unassigned": 1,
        "moderate": 5,
    }
    assert counts(u["county_leader"]) == {"overdue": 1, "due_week": 0, "claimed": 1}
    assert work_summary(u["county_leader"]).claimed == [work["week"]]
    assert counts(u["b_staff"]) == {"accept": 0, "overdue": 0, "due_week": 0}
    assert counts(u["viewer"]) == {}


def _listed(client, user, key):
    html = client.get(reverse("ledger:queue"), {"work": key}).content.decode()
    return set(re.findall(r"\bWT\d{8,}", html)), html


@pytest.mark.parametrize(
    "who,key,expected",
    [
        ("a_staff", WorkKey.ACCEPT, "accept"),
        ("a_staff", WorkKey.OVERDUE, "overdue"),
        ("a_staff", WorkKey.DUE_WEEK, "week"),
        ("county_office", WorkKey.RETURNED, "returned"),
        ("county_office", WorkKey.UNASSIGNED, "unassigned"),
        ("county_office", WorkKey.OVERDUE, "overdue"),
        ("county_leader", WorkKey.CLAIMED, "week"),
    ],
)
def test_each_link_lists_exactly_its_problems(client, lw, work, who, key, expected):
    c = login(client, lw.users[who])
    home = c.get(reverse("orgs:home")).content.decode()
    assert f'{reverse("ledger:queue")}?work={key}"' in home
    numbers, html = _listed(c, lw.users[who], key)
    assert numbers == {work[expected].number}
    assert "返回我的工作" in html


def test_reports_waiting_for_moderation_until_a_moderator_decides(client, lw, work):
    """A resident's report waits for 公开审核 (never on the public list before): the moderators over
    its unit see it in 我的工作 until they approve it or keep it private; the unit reported on does
    not moderate, and has no such block."""
    approved, private = work["unassigned"], work["accept"]
    problem_moderate(actor=lw.users["county_office"], problem=approved, decision=APPROVE)
    problem_moderate(actor=lw.users["county_intake"], problem=private, decision=PRIVATE)
    waiting = {work[k].number for k in ("overdue", "week", "returned")}
    for who in ("county_office", "county_intake"):
        assert counts(lw.users[who])[WorkKey.MODERATE] == 3, who
        c = login(client, lw.users[who])
        home = c.get(reverse("orgs:home")).content.decode()
        assert f'{reverse("ledger:queue")}?work={WorkKey.MODERATE}"' in home and "待审核公开" in home
        assert _listed(c, lw.users[who], WorkKey.MODERATE)[0] == waiting, who
    # an office over the other township: nothing of town A's village; its own report counts
    assert counts(lw.users["b_office"])[WorkKey.MODERATE] == 0
    lw.submit(unit_key="village_b")
    assert counts(lw.users["b_office"])[WorkKey.MODERATE] == 1
    assert WorkKey.MODERATE not in counts(lw.users["a_staff"])
    c = login(client, lw.users["a_staff"])
    assert _listed(c, lw.users["a_staff"], WorkKey.MODERATE)[0] == set()


def test_a_link_for_another_role_shows_nothing_of_theirs(client, lw, work):
    c = login(client, lw.users["b_staff"])
    for key in WorkKey.VALUES:
        assert _listed(c, lw.users["b_staff"], key)[0] == set(), key


def test_home_pages_per_role(client, lw, work):
    html = login(client, lw.users["a_staff"]).get("/").content.decode()
    assert "待受理" in html and "本周到期" in html and "待交办" not in html
    html = login(client, lw.users["county_leader"]).get("/").content.decode()
    assert "认领的必解问题及期限" in html and work["week"].number in html
    html = login(client, lw.users["b_staff"]).get("/").content.decode()
    assert "目前没有需要您处理的事项" in html and "没有逾期的问题" in html
    html = login(client, lw.users["viewer"]).get("/").content.decode()
    assert "这里暂无待办事项" in html


def test_counts_take_one_query(lw, work):
    actor = lw.users["county_office"]
    work_summary(actor)  # the role cache (policy.has_role), as a page's menu fills it
    with CaptureQueriesContext(connection) as ctx:
        work_summary(actor)
    assert len(ctx.captured_queries) == 1


def test_the_office_sees_plans_to_review_and_the_link_lists_them(client, lw):
    county, start = lw.u["county"], dt.date(2025, 1, 1)
    campaign = Campaign.objects.create(name="主题教育", scope=county, path=county.path, start_date=start)
    workplan_file(actor=lw.users["a_staff"], unit=lw.u["town_a"], campaign=campaign, title="甲镇实施方案")
    outside = Campaign.objects.create(
        name="外省专题", scope=lw.u["province"], path=lw.u["province"].path, start_date=start
    )
    grant(lw.users["root"], Role.OFFICE, lw.u["province"])
    workplan_file(actor=lw.users["root"], unit=lw.u["prefecture"], campaign=outside, title="市级方案")
    c = login(client, lw.users["county_office"])
    home = c.get("/").content.decode()
    link = f"{reverse('outreach:plans')}?unit={county.code}&amp;state=filed"
    assert link in home and "待审核的工作方案" in home
    listed = c.get(reverse("outreach:plans"), {"unit": county.code, "state": "filed"}).content.decode()
    assert "甲镇实施方案" in listed and "市级方案" not in listed
    # township staff review nothing: no block
    assert "待审核的工作方案" not in login(client, lw.users["a_staff"]).get("/").content.decode()


def test_an_inspector_sees_the_units_their_group_has_not_inspected(client, lw):
    county = lw.u["county"]
    campaign = Campaign.objects.create(
        name="主题教育", scope=county, path=county.path, start_date=dt.date(2025, 1, 1)
    )
    inspector = cast(User, UserFactory(username="inspector"))
    grant(inspector, Role.INSPECTOR, county)
    person = cast(Person, PersonFactory(unit=county, name="赵组长", user=inspector))
    now = timezone.now()
    group = GuidanceGroup.objects.create(name="第一指导组", campaign=campaign, unit=county, created_at=now)
    other = GuidanceGroup.objects.create(name="第二指导组", campaign=campaign, unit=county, created_at=now)
    GroupMember.objects.create(group=group, person=person, name=str(person.name))
    for g, key in ((group, "town_a"), (group, "town_b"), (other, "village_a")):
        GroupUnit.objects.create(group=g, unit=lw.u[key])
    Inspection.objects.create(
        group=group,
        unit=lw.u["town_b"],
        date=dt.date(2025, 3, 1),
        kind=InspectionKind.choices[0][0],
        round=1,
        recorded_at=now,
    )
    found = inspections_to_record(inspector)
    assert found is not None and [r.unit for r in found.rows] == [lw.u["town_a"]]
    html = login(client, inspector).get("/").content.decode()
    town_a = lw.u["town_a"]
    assert f"{reverse('supervision:inspection_new')}?group={group.pk}&amp;unit={town_a.code}" in html
    assert inspections_to_record(lw.users["a_staff"]) is None


def test_township_staff_see_programme_progress_to_report_this_month(client, lw):
    county, town_a = lw.u["county"], lw.u["town_a"]
    today = timezone.localdate()
    prog = Programme.objects.create(
        name="十个全覆盖", owner=county, path=county.path, start_date=dt.date(2020, 1, 1)
    )
    roads = Target.objects.create(
        programme=prog, key="roads", name="街巷硬化", measure="公里", plan_quantity=10
    )
    water = Target.objects.create(
        programme=prog, key="water", name="安全饮水", measure="户", plan_quantity=10
    )
    for t in (roads, water):
        TargetPlan.objects.create(target=t, unit=town_a, path=town_a.path, quantity=5)
    ProgressReport.objects.create(
        target=water, unit=town_a, path=town_a.path, date=today, in_progress=1, completed=1, funds=1
    )
    rows = progress_to_report(lw.users["a_staff"])
    assert rows is not None and [(r.programme_name, r.unit_code, r.targets) for r in rows] == [
        ("十个全覆盖", town_a.code, 1)
    ]
    html = login(client, lw.users["a_staff"]).get("/").content.decode()
    assert f"{reverse('programmes:report', args=[prog.pk])}?unit={town_a.code}" in html
    assert client.get(reverse("programmes:report", args=[prog.pk]), {"unit": town_a.code}).status_code == 200
    # town B has no share of a running programme: no block at all
    assert progress_to_report(lw.users["b_staff"]) is None


def test_home_in_english(client, lw, work):
    c = login(client, lw.users["a_staff"])
    c.cookies["django_language"] = "en"
    html = c.get("/").content.decode()
    assert "My work" in html and "To accept" in html and "Due this week" in html
