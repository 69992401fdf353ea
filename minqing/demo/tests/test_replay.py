"""The two seed campaigns replayed on the full seed tier: every figure of SEED_FIGURES.md.

The seed demo (the real trees, 10,107 grids, 560,000 households, the cadres, and both replays) is
loaded once for this module inside a transaction that is rolled back at the end; each test runs
in a savepoint of it. Figures are read through ``compute`` and through ``minqing bulletin
--format json``; the figures that count units of the real tree are the tree's (and differ from
the article, as the notes say); the Ulanqab commendations, conferred after the article's date,
count on their (assumed) decision date before it.
"""

import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from minqing.activities.models import Activity, Attendance, Interview, Visit, WorkPlan
from minqing.catalogues.models import Commendation, PowerItem
from minqing.core.paths import prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.registry import stages_for
from minqing.demo.replay import ulanhot2019, ulanqab2015
from minqing.demo.replay.common import Notes
from minqing.demo.replay.figures import (
    ARTICLE_ULANHOT,
    ARTICLE_ULANQAB,
    ULANHOT_AS_OF,
    ULANHOT_CODE,
    ULANQAB_CODE,
)
from minqing.demo.replay.notes import differences, same, seed_context
from minqing.demo.replay.ulanhot2019 import problems as ulanhot_problems
from minqing.demo.replay.ulanhot2019 import study as ulanhot_study
from minqing.demo.replay.ulanhot2019.world import NAME as ULANHOT_CAMPAIGN
from minqing.demo.replay.ulanhot2019.world import load_world as ulanhot_world
from minqing.demo.replay.ulanqab2015 import orgs as ulanqab_orgs
from minqing.demo.replay.ulanqab2015 import study as ulanqab_study
from minqing.demo.replay.ulanqab2015.world import NAME as ULANQAB_CAMPAIGN
from minqing.demo.replay.ulanqab2015.world import load_world as ulanqab_world
from minqing.demo.runner import DemoReport, run_demo
from minqing.demo.tiers import SEED
from minqing.ledger.asof import states_as_of
from minqing.ledger.enums import State
from minqing.ledger.models import Problem
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind, UnitSubkind
from minqing.orgs.models import Person, Unit
from minqing.programmes.models import Programme
from minqing.reports.metrics import MetricContext, compute
from minqing.supervision.models import GuidanceGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[DemoReport, str]]:
    """``minqing demo --scale seed`` once for the module, rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            yield run_demo(tier=SEED, seed=1, out=out, progress=False), out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _tree_ulanhot() -> dict[str, int]:
    """What the real tree gives where the article counted other units."""
    city = Unit.objects.get(code=ULANHOT_CODE)
    towns = Unit.objects.filter(
        prefix_q(city.path), kind=UnitKind.TOWNSHIP, subkind__in=(UnitSubkind.STREET, UnitSubkind.TOWN)
    )
    villages = sum(Unit.objects.filter(prefix_q(t.path), kind=UnitKind.VILLAGE).count() for t in towns)
    assert towns.count() == 14 and villages == 121
    return {"orgs.following.village": villages}


def _tree_ulanqab() -> dict[str, int]:
    city = Unit.objects.get(code=ULANQAB_CODE)
    under = Unit.objects.filter(prefix_q(city.path))
    tree = {
        "demonstration.covered.township": under.filter(kind=UnitKind.TOWNSHIP).count(),
        "demonstration.covered.village": under.filter(kind=UnitKind.VILLAGE).count(),
    }
    assert tree == {"demonstration.covered.township": 110, "demonstration.covered.village": 1517}
    return tree


def _expected(code: str) -> dict[str, Any]:
    if code == ULANHOT_CODE:
        return {**ARTICLE_ULANHOT, **_tree_ulanhot()}
    # the 103 commendations (conferred 2015-07-01) count on their decision date, 2015-06-29
    expected = {**ARTICLE_ULANQAB, **_tree_ulanqab()}
    assert expected["commendations.count"] == 103
    return expected


def _check(values: dict[str, Any], expected: dict[str, Any]) -> None:
    wrong = {k: (values[k], v) for k, v in expected.items() if not same(values[k], v)}
    assert not wrong, wrong


@pytest.mark.parametrize("code", [ULANHOT_CODE, ULANQAB_CODE])
def test_every_seed_figure_from_the_metrics(seed_demo: Any, code: str) -> None:
    expected = _expected(code)
    values = compute(seed_context(code), list(expected))
    _check({k: v.value for k, v in values.items()}, expected)


@pytest.mark.parametrize(("code", "as_of"), [("152201", "2019-12-20"), ("150900", "2015-06-30")])
def test_every_seed_figure_from_the_bulletin_json(seed_demo: Any, code: str, as_of: str) -> None:
    out = io.StringIO()
    call_command("bulletin", "--unit", code, "--as-of", as_of, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    expected = _expected(code.ljust(12, "0"))
    values = {k: Decimal(str(data[k])) if isinstance(v, Decimal) else data[k] for k, v in expected.items()}
    _check(values, expected)


def test_the_bulletins_state_the_differences_in_the_articles_words(seed_demo: Any) -> None:
    def text(code: str, as_of: str) -> str:
        out = io.StringIO()
        call_command("bulletin", "--unit", code, "--as-of", as_of, stdout=out)
        return out.getvalue()

    ulanhot = text("152201", "2019-12-20")
    assert "14个镇和街道、121个嘎查村和社区" in ulanhot
    assert "每名处级领导干部均形成了调研报告。" in ulanhot
    notes = ulanhot.strip().splitlines()[-1]
    assert notes.startswith("（说明：") and "原文 111 个" in notes and "121 个嘎查村和社区" in notes
    ulanqab = text("150900", "2015-06-30")
    assert "党委（党组）书记讲专题党课全部结束，" in ulanqab  # full-width in the bulletin
    assert "110个苏木乡镇（街道办事处）" in ulanqab and "1517个嘎查村（社区）" in ulanqab
    assert "103名优秀基层党组织带头人" in ulanqab
    notes = ulanqab.strip().splitlines()[-1]
    assert notes.startswith("（说明：") and "原文 107" in notes and "原文 1,550" in notes
    assert "回放假定为表彰前两天的 2015年06月29日" in notes


def test_a_county_level_bulletin_of_the_seed_names_its_area(seed_demo: Any) -> None:
    """The Ulanqab campaign's bulletin for one of its banners (旗) and counties (县): 全旗 / 全县,
    旗委 / 县委, never 全市; the prefecture's own still says 全市 (issue 15, item 7)."""

    def text(code: str) -> str:
        out = io.StringIO()
        call_command("bulletin", "--unit", code, "--as-of", "2015-06-30", stdout=out)
        return out.getvalue()

    banner, county, city = text("150929"), text("150922"), text("150900")
    assert "四子王旗" in banner and "全旗各级党委已开展专题研讨" in banner and "全市" not in banner
    assert "化德县" in county and "全县各级党委已开展专题研讨" in county and "全市" not in county
    assert "全市各级党委已开展专题研讨96次，" in city and "全旗" not in city


def test_the_differences_are_the_tree(seed_demo: Any) -> None:
    ulanhot = {d.metric: d for d in differences(ULANHOT_CODE)}
    assert set(ulanhot) == {"orgs.following.village"}
    assert (ulanhot["orgs.following.village"].article, ulanhot["orgs.following.village"].value) == (111, 121)
    ulanqab = {d.metric: d for d in differences(ULANQAB_CODE)}
    assert set(ulanqab) == {"demonstration.covered.township", "demonstration.covered.village"}
    assert all(d.reason != "未说明" for d in [*ulanhot.values(), *ulanqab.values()])


def test_the_notes_say_what_differs(seed_demo: Any) -> None:
    report, out = seed_demo
    assert report.missing == []
    assert "原文 111 个" in out and "121 个嘎查村和社区" in out
    assert "原文 107" in out and "原文 1,550" in out and "1,517" in out
    assert "2015年07月01日" in out and "回放假定为表彰前两天的 2015年06月29日" in out


def test_commendations_count_from_their_decision_date(seed_demo: Any) -> None:
    ctx = seed_context(ULANQAB_CODE)
    city = Commendation.objects.filter(prefix_q(ctx.unit.path), title="优秀基层党组织带头人")
    assert city.count() == 103
    assert set(city.values_list("date", "decided_on")) == {(dt.date(2015, 7, 1), dt.date(2015, 6, 29))}

    def count(as_of: dt.date) -> Any:
        at = MetricContext(unit=ctx.unit, as_of=as_of, campaign=ctx.campaign, actor=SYSTEM)
        return compute(at, ["commendations.count"])["commendations.count"].value

    assert count(dt.date(2015, 6, 28)) == 0
    assert count(dt.date(2015, 6, 29)) == 103
    assert count(dt.date(2015, 6, 30)) == 103
    out = io.StringIO()
    call_command("bulletin", "--unit", "150900", "--as-of", "2015-06-28", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["commendations.count"] == 0


def test_records_after_the_articles_dates_are_left_out(seed_demo: Any) -> None:
    hot = seed_context(ULANHOT_CODE)
    later = compute(
        MetricContext(unit=hot.unit, as_of=dt.date(2020, 1, 31), campaign=hot.campaign, actor=SYSTEM)
    )
    assert later["study.reading_class.sessions"].value > 329
    assert later["research.topics.key"].value > 189
    assert later["research.interviews.person_times"].value > 59_282
    assert later["problems.public.count"].value > 84
    assert later["problems.public.rectifying"].value < 26  # resolved in January
    assert later["problems.prominent.resolved"].value > 71
    assert later["supervision.rounds.min_per_group"].value == 6
    qab = seed_context(ULANQAB_CODE)
    july = compute(
        MetricContext(unit=qab.unit, as_of=dt.date(2015, 7, 31), campaign=qab.campaign, actor=SYSTEM)
    )
    assert july["plans.filed"].value > 684
    assert july["visits.contact_points.person_times"].value > 72_858
    assert july["demonstration.cadres"].value > 9_667
    assert july["lectures.other_members.people"].value > 380
    assert july["study.branch_study.person_times"].value > 10_425
    october = compute(
        MetricContext(unit=qab.unit, as_of=dt.date(2015, 10, 31), campaign=qab.campaign, actor=SYSTEM)
    )
    assert october["catalogue.power.items"].value > 3_719
    assert october["reforms.measures"].value > 236
    assert october["reforms.key_with_staged_result"].value > 18


def test_the_leaders_claims(seed_demo: Any) -> None:
    city = Unit.objects.get(code=ULANHOT_CODE)
    claimed = Problem.objects.filter(prefix_q(city.path), must_solve=True)
    by_title = {p.title: p for p in claimed}
    claimants = dict(claimed.values_list("title", "claimed_by__duties"))
    assert claimants == {"社区工作者职业体系建设": "市委书记", "站前社区服务用房选址重建": "市委副书记、市长"}
    at_article = states_as_of(claimed, ULANHOT_AS_OF)
    assert {s.state for s in at_article.values()} == {State.RECTIFYING}
    at_end = states_as_of(claimed, dt.date(2020, 1, 31))
    assert at_end[by_title["社区工作者职业体系建设"].pk].state == State.RESOLVED  # in January 2020


def test_the_campaigns_and_the_stages_that_reuse_them(seed_demo: Any) -> None:
    hot, qab = seed_context(ULANHOT_CODE).campaign, seed_context(ULANQAB_CODE).campaign
    assert hot is not None and qab is not None
    assert (hot.name, hot.scope.code, hot.kind) == (ULANHOT_CAMPAIGN, ULANHOT_CODE, "themed")
    assert (hot.start_date, hot.end_date) == (dt.date(2019, 9, 1), dt.date(2020, 1, 31))
    assert (qab.name, qab.scope.code, qab.kind) == (ULANQAB_CAMPAIGN, ULANQAB_CODE, "special")
    assert qab.start_date == dt.date(2015, 5, 11)
    assert Programme.objects.get().campaign == qab  # the programmes stage's “十个全覆盖”
    assert GuidanceGroup.objects.filter(campaign=qab).count() == 4  # the supervision stage's groups
    assert GuidanceGroup.objects.filter(campaign=hot).count() == 8
    names = [s.name for s in stages_for("seed")]
    for later in ("activity_rollups", "programmes", "supervision", "catalogues"):
        assert names.index("seed_ulanhot2019") < names.index(later)
    assert names.index("users") < names.index("seed_ulanqab2015") < names.index("seed_ulanhot2019")


def _counts() -> dict[str, int]:
    models = (Activity, Attendance, Interview, Visit, WorkPlan, Problem, Person, PowerItem, GuidanceGroup)
    return {m.__name__: m.objects.count() for m in models}


def test_a_second_run_adds_nothing(seed_demo: Any) -> None:
    before = _counts()
    ctx = DemoContext(tier=SEED, seed=1, out=io.StringIO(), progress=False)
    assert ulanqab2015.load_ulanqab2015(ctx) == {"activities": 0}
    assert ulanhot2019.load_ulanhot2019(ctx) == {"activities": 0}
    assert _counts() == before


def test_the_same_seed_plans_the_same_records(seed_demo: Any) -> None:
    """The plans depend on the seed and on what earlier stages loaded, never on the clock."""

    def ctx(seed: int) -> DemoContext:
        return DemoContext(tier=SEED, seed=seed, out=io.StringIO(), progress=False)

    hot = ulanhot_world(Unit.objects.get(code=ULANHOT_CODE))
    campaign = seed_context(ULANHOT_CODE).campaign
    assert campaign is not None
    assert ulanhot_study.plan(ctx(1), hot) == ulanhot_study.plan(ctx(1), hot)
    assert ulanhot_study.plan(ctx(1), hot) != ulanhot_study.plan(ctx(2), hot)
    assert ulanhot_problems.rows(ctx(1), hot, campaign) == ulanhot_problems.rows(ctx(1), hot, campaign)
    qab = ulanqab_world(Unit.objects.get(code=ULANQAB_CODE))
    notes = Notes("")
    assert ulanqab_study.plan(ctx(1), qab, notes) == ulanqab_study.plan(ctx(1), qab, notes)
    assert ulanqab_study.plan(ctx(1), qab, notes) != ulanqab_study.plan(ctx(2), qab, notes)
    city = Unit.objects.get(code=ULANQAB_CODE)
    assert ulanqab_orgs.unit_rows(ctx(1), city) == ulanqab_orgs.unit_rows(ctx(1), city)
    assert notes.lines == []
