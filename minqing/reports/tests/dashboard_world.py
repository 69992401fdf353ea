"""The dashboard tests' world, built through the services, with figures worked out by hand.

Units: the orgs test tree (内蒙古 > 乌兰察布市 > 集宁区 > 新体育场街道 (town_a) / 白海子镇 (town_b) >
villages > grids) plus 卓资县 (county_z) > 卓资山镇 (town_z). Users: root (superuser), city_office
(the prefecture), county_office (集宁区), a_staff (town_a), z_office (卓资县), norole.

Problems (all 2019 unless said):
  p1  village_a  群众反映/网络  03-01, assigned 03-02, resolved 立行立改 03-05
  p2  village_a  自我检视/—     04-01, assigned 04-02, resolved 限期整改 04-20, closed 04-25
  p3  town_b     群众反映/来信  05-01, assigned with deadline 05-10, still open: overdue
  p4  town_b     群众反映/来电  06-01, merged into p3 (a duplicate: counted nowhere but 已合并)
  p5  town_z     群众反映/来访  06-01, registered (another county)
  p6  village_a  群众反映/网络  12-20, assigned 12-21, resolved 立行立改 on 2020-01-05 (after 2019 ends)
  p7  village_a  群众反映/网络  2020-02-01, registered

Activities: A1 town_a 读书班 2019-03-10, roster 张三 李四; A2 village_a 研讨 2019-03-20,
headcount 30; A3 town_b 读书班 2019-05-05, roster 张三; A4 town_z 读书班 2019-05-05, headcount 10.

So 集宁区 in 2019: problems 4 (assigned 2, resolved 1, closed 1; merged 1 apart);
resolved 2, on the spot 1 (50%), overdue 1; public 3, self-inspection 1; online 2, letter 1,
none 1. Activities 3 sessions, 33 person-times (读书班 2 sessions, 3 person-times, 2 people;
研讨 1 session, 30 person-times); March 2 sessions / 32, May 1 / 1. town_a: problems 3, resolved
2, on the spot 1, sessions 2, person-times 32; town_b: problems 1, overdue 1, sessions 1, 1.
Programme 集宁区十个全覆盖 (from 2019-01-01): 危房改造 plan 100 户; town_a reports 10 in progress
and 30 completed on 2019-06-30: 40%.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.apps import apps as django_apps
from django.utils import timezone

from minqing.activities.models import ActivityType
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.activities.types_seed import load_default_types
from minqing.ledger.enums import Action, Channel, ResolutionKind, Source
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import ProblemFacts, Reporter, feedback_submit, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role, UnitKind
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import PersonFactory, UserFactory, grant, make_units, small_tree
from minqing.programmes.models import Programme
from minqing.programmes.services.programmes import programme_create, target_create
from minqing.programmes.services.progress import progress_report
from minqing.reports.dashboard.period import Period

YEAR_2019 = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def at(month: int, day: int, year: int = 2019, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@dataclass
class DashWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    people: dict[str, Person]
    p: dict[str, Problem]
    programme: Programme


def _feedback(unit: Unit, channel: str, when: dt.datetime, title: str) -> Problem:
    fb = feedback_submit(
        actor=SYSTEM,
        channel=channel,
        title=title,
        content=title + "(内容)",
        unit=unit,
        received_at=when,
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    assert fb.problem is not None
    return fb.problem


def _go(problem: Problem, action: str, when: dt.datetime, **params: Any) -> Problem:
    return problem_transition(actor=SYSTEM, problem=problem, action=action, at=when, **params)


def make_world() -> DashWorld:
    # the default activity types come from a data migration, which an earlier transactional test
    # (the browser tests) may have flushed away
    load_default_types(django_apps, None)
    u = small_tree()
    other = make_units(
        [
            UnitRow("150921000000", "卓资县", UnitKind.COUNTY, "150900000000", division_code="150921000000"),
            UnitRow("150921100000", "卓资山镇", UnitKind.TOWNSHIP, "150921000000", "town", "150921100000"),
        ]
    )
    u["county_z"], u["town_z"] = other["150921000000"], other["150921100000"]
    users: dict[str, Any] = {"root": UserFactory(username="root", is_superuser=True)}
    for name in ("city_office", "county_office", "a_staff", "z_office", "norole"):
        users[name] = UserFactory(username=name)
    grant(users["city_office"], Role.OFFICE, u["prefecture"])
    grant(users["county_office"], Role.OFFICE, u["county"])
    grant(users["a_staff"], Role.UNIT_STAFF, u["town_a"])
    grant(users["z_office"], Role.OFFICE, u["county_z"])
    people: dict[str, Person] = {
        "zhang": cast(Person, PersonFactory(unit=u["town_a"], number="PA001", name="张三")),
        "li": cast(Person, PersonFactory(unit=u["village_a"], number="PA002", name="李四")),
    }

    p: dict[str, Problem] = {}
    p1 = _feedback(u["village_a"], Channel.ONLINE, at(3, 1), "路灯不亮")
    p1 = _go(p1, Action.ASSIGN, at(3, 2), responsible_unit=u["town_a"])
    p["p1"] = _go(p1, Action.RESOLVE, at(3, 5), resolution_kind=ResolutionKind.ON_THE_SPOT)
    p2 = problem_register(
        actor=SYSTEM,
        facts=ProblemFacts(
            title="会议过多",
            description="自查发现",
            unit=u["village_a"],
            source=Source.SELF_INSPECTION,
            registered_at=at(4, 1),
        ),
    )
    p2 = _go(p2, Action.ASSIGN, at(4, 2), responsible_unit=u["town_a"])
    p2 = _go(p2, Action.RESOLVE, at(4, 20), resolution_kind=ResolutionKind.RECTIFIED)
    p["p2"] = _go(p2, Action.CLOSE, at(4, 25))
    p3 = _feedback(u["town_b"], Channel.LETTER, at(5, 1), "道路破损")
    p["p3"] = _go(p3, Action.ASSIGN, at(5, 2), responsible_unit=u["town_b"], due_date=dt.date(2019, 5, 10))
    p4 = _feedback(u["town_b"], Channel.CALL, at(6, 1), "道路破损(重复)")
    p["p4"] = _go(p4, Action.MERGE, at(6, 2), into=p["p3"])
    p["p5"] = _feedback(u["town_z"], Channel.VISIT, at(6, 1), "供暖不足")
    p6 = _feedback(u["village_a"], Channel.ONLINE, at(12, 20), "垃圾清运")
    p6 = _go(p6, Action.ASSIGN, at(12, 21), responsible_unit=u["town_a"])
    p["p6"] = _go(p6, Action.RESOLVE, at(1, 5, 2020), resolution_kind=ResolutionKind.ON_THE_SPOT)
    p["p7"] = _feedback(u["village_a"], Channel.ONLINE, at(2, 1, 2020), "井盖缺失")

    reading = ActivityType.objects.get(code="reading_class")
    seminar = ActivityType.objects.get(code="seminar")
    a1 = activity_create(
        actor=SYSTEM,
        type=reading,
        organiser=u["town_a"],
        title="读书班一期",
        start=at(3, 10),
    )
    for person in (people["zhang"], people["li"]):
        attendance_check_in(actor=SYSTEM, activity=a1, person=person, at=at(3, 10))
    activity_create(
        actor=SYSTEM, type=seminar, organiser=u["village_a"], title="研讨", start=at(3, 20), headcount=30
    )
    a3 = activity_create(actor=SYSTEM, type=reading, organiser=u["town_b"], title="读书班", start=at(5, 5))
    attendance_check_in(actor=SYSTEM, activity=a3, person=people["zhang"], at=at(5, 5))
    activity_create(
        actor=SYSTEM, type=reading, organiser=u["town_z"], title="卓资读书班", start=at(5, 5), headcount=10
    )

    programme = programme_create(
        actor=SYSTEM, name="集宁区十个全覆盖", owner=u["county"], start_date=dt.date(2019, 1, 1)
    )
    housing = target_create(
        actor=SYSTEM,
        programme=programme,
        key="housing",
        name="危房改造",
        measure="户",
        plan_quantity=Decimal(100),
    )
    progress_report(
        actor=SYSTEM,
        target=housing,
        unit=u["town_a"],
        date=dt.date(2019, 6, 30),
        in_progress=Decimal(10),
        completed=Decimal(30),
        funds=Decimal(0),
    )
    return DashWorld(u, users, people, p, programme)
