"""Ulanqab 2015: work plans, themed party lectures and the study sessions.

The article (as of 2015-06-30): the plans of the 11 counties and the 84 city departments were
reviewed (审核把关); every party secretary gave a themed party lecture, and 380 other members of
the leading groups; 96 special seminars, 173 central-group study meetings, 2,110 person-times at
weekend lectures, 10,425 at branch study meetings; 684 work plans; 555 mobilisation meetings.

- Work plans: the counties, departments and townships and 479 villages file theirs in May and
  June; the counties' and departments' plans are reviewed (a few returned first, filed again and
  passed), most townships' too; a few villages file in July.
- Lectures: the city party secretary opens the campaign on 2015-05-11 and the mayor follows on
  05-15; every person whose duties name them a secretary (书记) of a unit with a party
  organisation lectures once; so do the county party secretaries and other leaders, 380 people
  in all besides those secretaries (the metric's rule: a secretary of a unit without a party
  organisation, such as a county party secretary, counts among the others).
- Sessions sized to the article; more in July.
"""

import datetime as dt
import random
from collections.abc import Callable

from minqing.activities.models import WorkPlan
from minqing.activities.services.workplans import workplan_file, workplan_review
from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.core.workdays import WorkCalendar
from minqing.demo.context import DemoContext
from minqing.demo.plan import apportion, short_name
from minqing.demo.replay.common import Act, Notes, Planner, Who, at, days, organisers, sized
from minqing.demo.replay.figures import ARTICLE_ULANQAB as FIG
from minqing.demo.replay.ulanqab2015.world import AS_OF, PREFIX, START, STREAM, World
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Rank
from minqing.orgs.models import Unit

SECRETARY = "书记"
LATE_PLANS = 15
OPENING = (
    (dt.date(2015, 5, 11), "模范践行“三严三实” 推动乌兰察布实现新常态下的新跨越"),
    (dt.date(2015, 5, 15), "市政府党组“三严三实”专题教育工作部署暨专题党课报告会"),
)
AFTER = (
    ("special_seminar", "专题研讨", 5),
    ("central_group", "中心组学习会", 8),
    ("mobilisation", "动员安排会", 20),
    ("branch_study", "支部学习会", 50),
    ("weekend_lecture", "双休日讲座", 2),
)
SEMINARS = ("严以修身", "严以用权", "严以律己", "谋事要实", "创业要实", "做人要实")


def _name(u: Unit) -> str:
    return short_name(u.name)


def _review(
    plan: WorkPlan, day: dt.date, rng: random.Random, passed: bool = True, comments: str = ""
) -> None:
    workplan_review(actor=SYSTEM, plan=plan, passed=passed, comments=comments, at=at(day, rng.randint(9, 17)))


def load_plans(ctx: DemoContext, world: World, campaign: Campaign) -> dict[str, int]:
    rng = ctx.rng(STREAM, "plans")
    n_villages = int(FIG["plans.filed"]) - len(world.counties) - len(world.departments) - len(world.townships)
    villages = sorted(rng.sample(world.villages, max(0, n_villages)), key=lambda v: v.code)
    taken = {v.pk for v in villages}
    late = rng.sample([v for v in world.villages if v.pk not in taken], LATE_PLANS)
    returned = set(
        rng.sample([u.pk for u in world.counties], 2) + rng.sample([u.pk for u in world.departments], 5)
    )
    reviews = 0
    cal = WorkCalendar()
    first_review = days(dt.date(2015, 6, 19), dt.date(2015, 6, 26), workdays=True, cal=cal)
    second_review = days(dt.date(2015, 6, 22), dt.date(2015, 6, 26), workdays=True, cal=cal)
    groups = (
        (world.counties, (dt.date(2015, 5, 18), dt.date(2015, 5, 29)), True),
        (world.departments, (dt.date(2015, 5, 15), dt.date(2015, 6, 5)), True),
        (world.townships, (dt.date(2015, 5, 20), dt.date(2015, 6, 12)), False),
        (villages, (dt.date(2015, 5, 25), dt.date(2015, 6, 26)), False),
    )
    for units, window, reviewed in groups:
        for u in units:
            filed = rng.choice(days(*window, workdays=True, cal=cal))
            title = (
                f"{u.name}“三严三实”专题教育工作方案"
                if reviewed
                else f"{_name(u)}践行“三严三实”示范点工作方案"
            )
            plan = workplan_file(
                actor=SYSTEM, unit=u, campaign=campaign, title=title, at=at(filed, rng.randint(9, 17))
            )
            if reviewed and u.pk in returned:
                _review(
                    plan,
                    dt.date(2015, 6, 10),
                    rng,
                    passed=False,
                    comments="查摆问题不具体,请补充整改措施和时限",
                )
                plan = workplan_file(
                    actor=SYSTEM,
                    unit=u,
                    campaign=campaign,
                    title=title,
                    plan=plan,
                    at=at(dt.date(2015, 6, 16), 10),
                )
                _review(
                    plan,
                    rng.choice(second_review),
                    rng,
                )
                reviews += 2
            elif reviewed:
                _review(
                    plan,
                    rng.choice(first_review),
                    rng,
                )
                reviews += 1
            elif units is world.townships and rng.random() < 0.8:
                _review(plan, filed + dt.timedelta(days=rng.randint(3, 12)), rng)
                reviews += 1
    for v in late:  # filed in July: after the article's date
        day = rng.choice(days(dt.date(2015, 7, 2), dt.date(2015, 7, 24), workdays=True, cal=cal))
        workplan_file(
            actor=SYSTEM,
            unit=v,
            campaign=campaign,
            title=f"{_name(v)}践行“三严三实”示范点工作方案",
            at=at(day, 10),
        )
    return {
        "plans": len(world.counties)
        + len(world.departments)
        + len(world.townships)
        + len(villages)
        + len(late),
        "plan_reviews": reviews,
    }


def lectures(p: Planner, w: World, notes: Notes) -> None:
    """A themed party lecture by every secretary and by 380 other leaders (metric's rule)."""
    rng = p.rng("lectures")
    units = {u.pk: u for u in Unit.objects.filter(prefix_q(w.city.path)).exclude(kind="grid")}

    def secretary(x: Who) -> bool:
        return SECRETARY in x.duties and units[x.unit_id].has_party_org

    window = days(dt.date(2015, 5, 18), dt.date(2015, 6, 26), workdays=True)
    city = p.people.get(w.city.path, [])
    opening = [x for x in city[:2] if not secretary(x)]
    county_heads = [p.people[c.path][0] for c in w.counties if p.people.get(c.path)]
    mandatory = opening + [x for x in county_heads if not secretary(x)]
    wanted = int(FIG["lectures.other_members.people"])
    leading = (Rank.BUREAU, Rank.DIVISION, Rank.SECTION)
    skip = {x.id for x in mandatory}
    candidates = [x for x in w.people if not secretary(x) and x.id not in skip and x.rank in leading]
    others = mandatory + rng.sample(candidates, max(0, min(len(candidates), wanted - len(mandatory))))
    if len(others) != wanted:
        notes.add(f"讲党课的班子其他成员:可选人员不足,为 {len(others)} 人(原文 {wanted} 人)")
    for x, (day, title) in zip(opening, OPENING, strict=False):
        p.add(
            rng,
            "party_lecture",
            w.city,
            day,
            title,
            headcount=rng.randint(300, 600),
            lecturers=(x.id,),
            hour=(9, 0),
        )
    for x in [x for x in w.people if secretary(x)] + others[len(opening) :]:
        u = units[x.unit_id]
        title = f"{_name(u)}{x.duties.split('、')[0]}讲“三严三实”专题党课"
        p.add(
            rng,
            "party_lecture",
            u,
            rng.choice(window),
            title,
            headcount=rng.randint(10, 80),
            lecturers=(x.id,),
        )
    lecturing = {x.id for x in others}
    spare = [x for x in candidates if x.id not in lecturing]
    july = days(dt.date(2015, 7, 1), dt.date(2015, 7, 24), workdays=True)
    for x in rng.sample(spare, min(20, len(spare))):  # lectures in July: after the article's date
        u = units[x.unit_id]
        p.add(
            rng,
            "party_lecture",
            u,
            rng.choice(july),
            f"{_name(u)}专题党课",
            headcount=rng.randint(10, 60),
            lecturers=(x.id,),
        )


def sessions(p: Planner, w: World) -> None:
    rng = p.rng("organisers")
    window = days(START, AS_OF, workdays=True)
    weekends = [d for d in days(START, AS_OF) if d.weekday() >= 5]
    leaders = [w.city, *w.counties]

    def seminar(r: random.Random, o: Unit) -> tuple[str, str]:
        return f"{_name(o)}“{r.choice(SEMINARS)}”专题研讨", ""

    def plain(name: str) -> Callable[[random.Random, Unit], tuple[str, str]]:
        return lambda r, o: (f"{_name(o)}{name}", "")

    special = organisers(
        rng, int(FIG["study.special_seminar.sessions"]), [([w.city], 3), (w.counties, 3)], w.departments
    )
    for o in special:
        p.add(rng, "special_seminar", o, rng.choice(window), seminar(rng, o)[0], headcount=rng.randint(8, 30))
    central = organisers(
        rng,
        int(FIG["study.central_group.sessions"]),
        [([w.city], 5), (w.counties, 4), (w.departments, 1)],
        w.departments,
    )
    for o in central:
        p.add(
            rng,
            "central_group",
            o,
            rng.choice(window),
            f"{_name(o)}党委(党组)中心组学习会",
            headcount=rng.randint(8, 25),
        )
    mobilisation = organisers(rng, int(FIG["study.mobilisation.sessions"]), [(w.townships, 1)], w.villages)
    for o in mobilisation:
        p.add(
            rng,
            "mobilisation",
            o,
            rng.choice(window),
            f"{_name(o)}四级示范抓引领工作动员安排会",
            headcount=rng.randint(10, 45),
        )
    weekend_orgs = [w.city] * 4 + rng.sample(w.counties, 6)
    sizes = apportion(
        int(FIG["study.weekend_lecture.person_times"]), [rng.uniform(0.7, 1.3) for _ in weekend_orgs], 50
    )
    for o, size in zip(weekend_orgs, sizes, strict=True):
        p.add(
            rng, "weekend_lecture", o, rng.choice(weekends), f"{_name(o)}“三严三实”双休日讲座", headcount=size
        )
    branch = w.agencies * 2 + list(w.townships) + rng.sample(w.villages, 400)
    sized(
        p,
        p.rng("branch_study"),
        "branch_study",
        branch,
        int(FIG["study.branch_study.person_times"]),
        window,
        minimum=3,
        roster_share=0.7,
        title=plain("支部学习会"),
    )
    july = days(dt.date(2015, 7, 1), dt.date(2015, 7, 31), workdays=True)
    for code, name, n in AFTER:  # in July: after the article's date
        for o in rng.sample(leaders + w.departments + w.townships, n):
            p.add(rng, code, o, rng.choice(july), f"{_name(o)}{name}", headcount=rng.randint(8, 40))


def plan(ctx: DemoContext, world: World, notes: Notes) -> list[Act]:
    p = Planner(ctx, STREAM, PREFIX, world.people)
    lectures(p, world, notes)
    sessions(p, world)
    return p.acts
