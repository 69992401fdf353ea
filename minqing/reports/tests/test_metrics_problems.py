"""problems.*: counted from the ledger with state and resolution kind as of the date.

Problems of the campaign 主题教育 (registered / events, 2019):

=====  ================  =========  ==========================================================
no.    source/channel    unit       history
=====  ================  =========  ==========================================================
p1     public/letter     village_a  09-10 registered, 09-11 assigned, 09-12 resolved 立行立改
p2     public/visit      town_a     10-01 registered, assigned, accepted, 10-03 整改中
p3     public/online     village_b  11-01 registered, assigned, 12-21 resolved 立行立改 (after)
p4     public/call       county     11-05 registered ... 11-20 resolved 限期整改, 11-25 closed
p5     public/online     village_a  11-10 registered, 11-11 resolved 立行立改, 11-15 callback
                                    unsatisfied: reopened, 整改中 again
p6     self_inspection   town_b     09-20 registered, 09-25 resolved 立行立改, 09-26 closed
p7     self_inspection   town_a     12-21 registered (after the as-of date)
p8     public/online     village_a  10-05 registered, 10-06 merged into p2
p9     petition_backlog  county     09-05 registered, 10-10 resolved 解释说明
p10    petition_backlog  town_a     09-06 registered, assigned
p11    supervision *     town_b     10-01 registered, 11-01 resolved 限期整改 (* prominent)
p12    public/letter *   village_b  10-02 registered, 10-03 resolved 立行立改 (* prominent)
p13    public/online     sibling    10-01 registered, resolved 立行立改 (another county)
p14    public/online     village_a  10-01 registered, of 其他专题 (another campaign)
p15    public/online     village_a  08-25 registered (before the campaign began)
=====  ================  =========  ==========================================================

County, as of 12-20: public = p1 p2 p3 p4 p5 p12 = 6 (p8 merged, p13 elsewhere, p14 other
campaign, p15 before the period); of those 立行立改 p1 p12 = 2 (p3 later, p5 reopened);
整改中 p2 p5 = 2. With self-inspection: + p6 = 7, 立行立改 + p6 = 3. Backlog resolved: p9 = 1.
Prominent resolved: p11 p12 = 2.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source
from minqing.ledger.models import Problem
from minqing.ledger.rollup import rollup_refresh
from minqing.ledger.services.intake import ProblemFacts, feedback_submit, problem_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.reports.metrics import MetricContext, compute
from minqing.reports.tests.test_metrics_world import AS_OF, MetricWorld, at, day, make_world

pytestmark = pytest.mark.django_db

IDS = [
    "problems.public_self.count",
    "problems.public_self.on_the_spot",
    "problems.petition_backlog.resolved",
    "problems.prominent.resolved",
    "problems.public.count",
    "problems.public.on_the_spot",
    "problems.public.rectifying",
]


def register(mw: MetricWorld, unit: str, source: str, when: dt.datetime, **kw: Any) -> Problem:
    facts = ProblemFacts(
        title=f"{source}@{unit}",
        description="内容",
        unit=mw.u[unit],
        source=source,
        campaign=kw.pop("campaign", mw.campaign),
        registered_at=when,
        **kw,
    )
    return problem_register(actor=SYSTEM, facts=facts)


def step(p: Problem, action: str, when: dt.datetime, **params: Any) -> Problem:
    return problem_transition(actor=SYSTEM, problem=p, action=action, at=when, **params)


def resolve(mw: MetricWorld, p: Problem, kind: str, when: dt.datetime, assigned: dt.datetime) -> Problem:
    p = step(p, Action.ASSIGN, assigned, responsible_unit=mw.u["town_a"])
    return step(p, Action.RESOLVE, when, resolution_kind=kind)


@pytest.fixture
def pw(db: Any) -> MetricWorld:
    mw = make_world()
    ots, rect, expl = ResolutionKind.ON_THE_SPOT, ResolutionKind.RECTIFIED, ResolutionKind.EXPLAINED
    fb = feedback_submit(
        actor=SYSTEM, channel=Channel.LETTER, title="路灯", content="路灯不亮", unit=mw.u["village_a"],
        received_at=at(9, 10), campaign=mw.campaign,
    )  # fmt: skip
    assert fb.problem is not None
    resolve(mw, fb.problem, ots, at(9, 12), at(9, 11))  # p1
    p2 = register(mw, "town_a", Source.PUBLIC, at(10, 1), channel=Channel.VISIT)
    p2 = step(p2, Action.ASSIGN, at(10, 1, 10), responsible_unit=mw.u["town_a"])
    p2 = step(p2, Action.ACCEPT, at(10, 2))
    step(p2, Action.START, at(10, 3))
    p3 = register(mw, "village_b", Source.PUBLIC, at(11, 1), channel=Channel.ONLINE)
    resolve(mw, p3, ots, at(12, 21), at(11, 2))
    p4 = register(mw, "county", Source.PUBLIC, at(11, 5), channel=Channel.CALL)
    p4 = step(p4, Action.ASSIGN, at(11, 6), responsible_unit=mw.u["town_b"])
    p4 = step(p4, Action.ACCEPT, at(11, 7))
    p4 = step(p4, Action.START, at(11, 8))
    p4 = step(p4, Action.RESOLVE, at(11, 20), resolution_kind=rect)
    step(p4, Action.CLOSE, at(11, 25))
    p5 = register(mw, "village_a", Source.PUBLIC, at(11, 10), channel=Channel.ONLINE)
    p5 = resolve(mw, p5, ots, at(11, 11), at(11, 10, 10))
    step(p5, Action.CALLBACK, at(11, 15), satisfaction=Satisfaction.UNSATISFIED)
    p6 = register(mw, "town_b", Source.SELF_INSPECTION, at(9, 20))
    p6 = resolve(mw, p6, ots, at(9, 25), at(9, 21))
    step(p6, Action.CLOSE, at(9, 26))
    register(mw, "town_a", Source.SELF_INSPECTION, at(12, 21))  # p7
    p8 = register(mw, "village_a", Source.PUBLIC, at(10, 5), channel=Channel.ONLINE)
    step(p8, Action.MERGE, at(10, 6), into=Problem.objects.get(pk=p2.pk))
    p9 = register(mw, "county", Source.PETITION_BACKLOG, at(9, 5))
    p9 = step(p9, Action.ASSIGN, at(9, 6), responsible_unit=mw.u["county"])
    p9 = step(p9, Action.ACCEPT, at(9, 7))
    step(p9, Action.RESOLVE, at(10, 10), resolution_kind=expl)
    p10 = register(mw, "town_a", Source.PETITION_BACKLOG, at(9, 6))
    step(p10, Action.ASSIGN, at(9, 7), responsible_unit=mw.u["town_a"])
    p11 = register(mw, "town_b", Source.SUPERVISION, at(10, 1), prominent=True)
    resolve(mw, p11, rect, at(11, 1), at(10, 2))
    p12 = register(mw, "village_b", Source.PUBLIC, at(10, 2), channel=Channel.LETTER, prominent=True)
    resolve(mw, p12, ots, at(10, 3), at(10, 2, 10))
    p13 = register(mw, "sibling_town", Source.PUBLIC, at(10, 1), channel=Channel.ONLINE)
    resolve(mw, p13, ots, at(10, 2), at(10, 1, 10))
    register(mw, "village_a", Source.PUBLIC, at(10, 1), channel=Channel.ONLINE, campaign=mw.other)  # p14
    register(mw, "village_a", Source.PUBLIC, at(8, 25), channel=Channel.ONLINE)  # p15
    return mw


def test_county_as_of_the_bulletin_date(pw: MetricWorld) -> None:
    assert pw.values("county", IDS) == {
        "problems.public_self.count": 7,
        "problems.public_self.on_the_spot": 3,
        "problems.petition_backlog.resolved": 1,
        "problems.prominent.resolved": 2,
        "problems.public.count": 6,
        "problems.public.on_the_spot": 2,
        "problems.public.rectifying": 2,
    }


def test_a_day_later_the_later_events_count(pw: MetricWorld) -> None:
    v = pw.values("county", IDS, as_of=day(12, 21))
    assert v["problems.public.on_the_spot"] == 3  # p3 resolved on 12-21
    assert v["problems.public_self.count"] == 8  # p7 registered on 12-21
    assert v["problems.public_self.on_the_spot"] == 4


def test_earlier_as_of_dates_read_the_event_log(pw: MetricWorld) -> None:
    # end of 10-05: p8 is registered and not yet merged; p9 not yet resolved; p2 整改中 since 10-03
    v = pw.values("county", IDS, as_of=day(10, 5))
    assert v["problems.public.count"] == 4  # p1 p2 p8 p12
    assert v["problems.public.on_the_spot"] == 2  # p1 p12
    assert v["problems.public.rectifying"] == 1  # p2
    assert v["problems.public_self.count"] == 5  # + p6
    assert v["problems.petition_backlog.resolved"] == 0
    # end of 11-12: p5 resolved on the spot on 11-11, reopened only on 11-15
    v = pw.values("county", IDS, as_of=day(11, 12))
    assert v["problems.public.on_the_spot"] == 3  # p1 p12 p5
    assert v["problems.public.rectifying"] == 2  # p2, p4 (整改中 from 11-08 to 11-20)


def test_subtree_scoping(pw: MetricWorld) -> None:
    town = pw.values("town_a", IDS)
    assert town["problems.public.count"] == 3  # p1 (village_a), p2, p5 (village_a)
    assert town["problems.public.rectifying"] == 2
    assert town["problems.petition_backlog.resolved"] == 0  # p10 is not resolved
    assert pw.values("sibling", IDS)["problems.public.count"] == 1  # p13 only
    city = pw.values("prefecture", IDS)
    assert city["problems.public.count"] == 7  # + p13
    assert city["problems.public.on_the_spot"] == 3


def test_without_a_campaign_the_year_counts(pw: MetricWorld) -> None:
    v = pw.values("county", IDS, campaign=None)
    assert v["problems.public.count"] == 8  # + p14 (other campaign) + p15 (before 09-01)


@pytest.mark.parametrize("built", [False, True])
def test_a_fixed_number_of_queries_for_every_problem_figure(pw: MetricWorld, built: bool) -> None:
    """Not one per figure: the problem rollup's check (is it built; then the changes waiting and
    the months changed since), one grouped count of the rollup's months and one of the problems
    for the days outside them (or, not built, one of the problems for the period), whatever the
    number of figures."""
    expected = pw.values("county", IDS)  # counted from the problems alone (not built yet)
    if built:
        rollup_refresh()
    ctx = MetricContext(unit=pw.u["county"], as_of=AS_OF, campaign=pw.campaign, actor=SYSTEM)
    with CaptureQueriesContext(connection) as queries:
        values = compute(ctx, IDS)
    assert len(queries.captured_queries) == (5 if built else 2), [
        q["sql"][:60] for q in queries.captured_queries
    ]
    assert {k: v.value for k, v in values.items()} == expected
