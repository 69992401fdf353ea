"""The one small world of the permission matrix (no tests here): the orgs test tree (province >
city > county > townships A and B > villages > grids), one user per persona, and one object for
every URL keyword, all in township A's subtree (or over it: the campaign and the guidance group
belong to the county), written through the services the apps' own tests use.

Personas: ``anon`` (not signed in), ``norole`` (signed in, no role), ``other`` (unit staff of
township B, the sibling subtree), and one user per role held on township A: ``office``,
``unit_staff``, ``leader``, ``inspector``, ``intake``, ``viewer``.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, ResearchTopic, Visit, WorkPlan
from minqing.activities.services.activities import activity_create
from minqing.activities.services.research import topic_create
from minqing.activities.services.visits import visit_record
from minqing.activities.services.workplans import workplan_file
from minqing.api.keys import application_create, application_key_issue, personal_token_issue
from minqing.api.scopes import Scope
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.catalogues.models import Commendation, PowerCategory, PowerItem, ReformMeasure
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create
from minqing.ledger.enums import Channel
from minqing.ledger.models import Feedback, Notification, Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.moderation import problem_moderate
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Household, Person, Unit
from minqing.orgs.tests.factories import HouseholdFactory, PersonFactory, UserFactory, grant, small_tree
from minqing.photos.tests.world import stored_photo
from minqing.programmes.models import Programme, Target
from minqing.programmes.services.programmes import programme_create, target_create
from minqing.reports.bulletins.services import bulletin_publish
from minqing.reports.models import Bulletin, BulletinTemplate
from minqing.supervision.enums import MemberRole
from minqing.supervision.models import GuidanceGroup, Inspection
from minqing.supervision.services.groups import MemberSpec, group_create
from minqing.supervision.services.inspections import inspection_record
from minqing.webhooks.models import Delivery, DeliveryStatus, Event, EventType
from minqing.webhooks.services import subscription_create


def _api_clients(u: dict[str, Unit], users: dict[str, Any]) -> dict[str, Any]:
    """Township A's application with a key, a webhook subscription and a failed delivery, and a
    personal token of township A's office (the /api-clients/ pages)."""
    app = application_create(
        actor=SYS, name="矩阵应用", unit=u["town_a"], roles=[Role.INTAKE], scopes=[Scope.READ, Scope.WEBHOOKS]
    )
    key = application_key_issue(actor=SYS, application=app, name="k").key
    sub = subscription_create(
        actor=SYS, application=app, url="http://127.0.0.1:9/", event_types=[EventType.PROBLEM_REGISTERED]
    ).subscription
    event = Event.objects.create(
        type=EventType.PROBLEM_REGISTERED,
        types=[EventType.PROBLEM_REGISTERED],
        path=u["town_a"].path,
        occurred_at=timezone.now(),
    )
    delivery = Delivery.objects.create(
        subscription=sub, event=event, status=DeliveryStatus.FAILED, attempts=16
    )
    token = personal_token_issue(actor=SYS, user=users["office"], name="t").key
    return {"application": app, "app_key": key, "subscription": sub, "delivery": delivery, "token": token}


ROLES = {
    "office": Role.OFFICE,
    "unit_staff": Role.UNIT_STAFF,
    "leader": Role.LEADER,
    "inspector": Role.INSPECTOR,
    "intake": Role.INTAKE,
    "viewer": Role.VIEWER,
}
PERSONAS = ("anon", "norole", "other", *ROLES)
# who writes the world: the system
SYS = SYSTEM
AS_OF = dt.date(2019, 12, 20)


def at(month: int, day: int, year: int = 2019) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 9))


@dataclass
class MatrixWorld:
    u: dict[str, Unit]
    users: dict[str, Any]
    person: Person
    household: Household
    campaign: Campaign
    problem: Problem
    feedback: Feedback
    notification: Notification
    activity: Activity
    topic: ResearchTopic
    visit: Visit
    plan: WorkPlan
    group: GuidanceGroup
    inspection: Inspection
    programme: Programme
    target: Target
    power: PowerItem
    reform: ReformMeasure
    commendation: Commendation
    bulletin: Bulletin
    extra: dict[str, Any] = field(default_factory=dict)


def make_matrix_world() -> MatrixWorld:
    u = small_tree()
    users: dict[str, Any] = {name: UserFactory(username=f"m_{name}") for name in PERSONAS if name != "anon"}
    users["anon"] = None
    grant(users["other"], Role.UNIT_STAFF, u["town_b"])
    for name, role in ROLES.items():
        grant(users[name], role, u["town_a"])
    person = cast(Person, PersonFactory(unit=u["town_a"], number="PM001", name="张三"))
    household = cast(Household, HouseholdFactory(grid=u["grid_a"], number="HM001"))
    start, end, themed = dt.date(2019, 9, 1), dt.date(2020, 1, 31), CampaignKind.THEMED
    campaign = campaign_create(
        actor=SYS, name="主题", scope=u["county"], start_date=start, end_date=end, kind=themed
    )
    feedback = feedback_submit(
        actor=SYS,
        channel=Channel.ONLINE,
        title="路灯不亮",
        content="村口路灯坏了三个月",
        unit=u["village_a"],
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    assert feedback.problem is not None
    # on the published list, as the public pages and anonymous Open311 calls read it
    problem = problem_moderate(actor=SYS, problem=feedback.problem, decision="approve")
    notification = Notification.objects.create(user=users["office"], problem=problem, text="新问题")
    activity = activity_create(
        actor=SYS,
        type=ActivityType.objects.get(code="reading_class"),
        organiser=u["town_a"],
        title="读书班",
        start=at(10, 10),
        campaign=campaign,
    )
    topic = topic_create(actor=SYS, title="乡村振兴调研", leader=person, unit=u["town_a"], campaign=campaign)
    visit = visit_record(actor=SYS, cadre=person, date=dt.date(2019, 10, 12), household=household)
    plan = workplan_file(actor=SYS, unit=u["town_a"], campaign=campaign, title="工作方案")
    group = group_create(
        actor=SYS,
        name="县委第一指导组",
        campaign=campaign,
        unit=u["county"],
        units=[u["town_a"], u["town_b"]],
        members=[MemberSpec(name="李组长", role=MemberRole.LEADER)],
    )
    inspection = inspection_record(
        actor=SYS, group=group, unit=u["town_a"], date=dt.date(2019, 10, 8), kind="spot_check", findings=[]
    )
    programme = programme_create(
        actor=SYS, name="十个全覆盖", owner=u["town_a"], start_date=dt.date(2019, 1, 1)
    )
    target = target_create(
        actor=SYS, programme=programme, key="road", name="街巷硬化", measure="公里", plan_quantity=Decimal(10)
    )
    power = power_item_create(
        actor=SYS, unit=u["town_a"], category=PowerCategory.values[0], name="行政许可一"
    )
    reform = reform_create(actor=SYS, unit=u["town_a"], title="简化办事流程")
    commendation = commendation_create(
        actor=SYS, unit=u["town_a"], title="优秀共产党员", date=dt.date(2019, 7, 1), person=person
    )
    BulletinTemplate.objects.update_or_create(
        kind=CampaignKind.THEMED, defaults={"title": "{unit}{campaign}简报", "body": "截至{as_of},{unit}。"}
    )
    bulletin = bulletin_publish(actor=SYS, unit=u["town_a"], as_of=AS_OF, campaign=campaign)
    return MatrixWorld(
        extra={**_api_clients(u, users), "photo": stored_photo(feedback)},
        u=u,
        users=users,
        person=person,
        household=household,
        campaign=campaign,
        problem=problem,
        feedback=feedback,
        notification=notification,
        activity=activity,
        topic=topic,
        visit=visit,
        plan=plan,
        group=group,
        inspection=inspection,
        programme=programme,
        target=target,
        power=power,
        reform=reform,
        commendation=commendation,
        bulletin=bulletin,
    )
