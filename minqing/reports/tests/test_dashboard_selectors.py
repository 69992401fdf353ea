"""The dashboard's figures for the hand-counted world of ``dashboard_world`` (see its docstring)."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from minqing.ledger.enums import Action, Channel, ResolutionKind, State
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.reports.dashboard import selectors
from minqing.reports.dashboard.assets import ECHARTS, VendorFinder
from minqing.reports.dashboard.geo import GEO_FILES, counties_of
from minqing.reports.dashboard.period import Period, period_from
from minqing.reports.dashboard.problems import problem_figures
from minqing.reports.tests.dashboard_world import YEAR_2019, DashWorld, _feedback, at, make_world


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def w(db) -> DashWorld:
    return make_world()


def test_problem_figures_of_a_county_as_of_the_end_of_a_past_year(w: DashWorld) -> None:
    f = problem_figures(SYSTEM, w.u["county"], YEAR_2019)
    assert f.by_state == {
        State.ASSIGNED: 2,  # p3, and p6, which was resolved only in 2020
        State.RESOLVED: 1,
        State.CLOSED: 1,
        State.MERGED: 1,
    }
    assert f.total == 4
    assert (f.resolved, f.on_the_spot, f.overdue) == (2, 1, 1)
    assert f.on_the_spot_rate == 0.5
    assert f.on_the_spot_rate_text == "50%"
    assert f.by_source == {"public": 3, "self_inspection": 1}
    assert f.by_channel == {Channel.ONLINE: 2, Channel.LETTER: 1, "": 1}


def test_a_longer_period_sees_later_records_and_later_states(w: DashWorld) -> None:
    f = problem_figures(SYSTEM, w.u["county"], Period(dt.date(2019, 1, 1), dt.date(2020, 12, 31)))
    assert f.total == 5  # p7 registered in 2020
    assert (f.resolved, f.on_the_spot) == (3, 2)  # p6 resolved on the spot in 2020
    assert f.on_the_spot_rate_text == "66.7%"
    f = problem_figures(SYSTEM, w.u["prefecture"], YEAR_2019)
    assert f.total == 5  # p5 of 卓资县
    assert f.by_channel[Channel.VISIT] == 1


def test_a_running_period_takes_the_current_state(w: DashWorld) -> None:
    now = timezone.now()
    p = _feedback(w.u["village_a"], Channel.ONLINE, now - dt.timedelta(minutes=5), "新问题")
    p = problem_transition(actor=SYSTEM, problem=p, action=Action.ASSIGN, responsible_unit=w.u["town_a"])
    problem_transition(
        actor=SYSTEM, problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.ON_THE_SPOT
    )
    today = timezone.localdate()
    period = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    assert period.live
    f = problem_figures(SYSTEM, w.u["county"], period)
    assert (f.total, f.resolved, f.on_the_spot, f.overdue) == (1, 1, 1, 0)


def test_the_dashboard_of_a_county(w: DashWorld) -> None:
    actor = w.users["county_office"]
    d = selectors.dashboard(actor, w.u["county"], YEAR_2019)
    types = {t.type.code: (t.sessions, t.person_times, t.people, t.headcount_only) for t in d.types}
    assert types["reading_class"] == (2, 3, 2, 0)
    assert types["seminar"] == (1, 30, 0, 1)
    assert (d.activity_totals.sessions, d.activity_totals.person_times) == (3, 33)
    series = {s.label: (s.sessions, s.person_times) for s in d.series}
    assert len(d.series) == 12
    assert series["2019-03"] == (2, 32)
    assert series["2019-05"] == (1, 1)
    assert series["2019-04"] == (0, 0)
    rows = {r.unit.code: r.values() for r in d.children}
    assert rows == {
        w.u["town_a"].code: {"problems": 3, "resolved": 2, "overdue": 0, "sessions": 2, "person_times": 32},
        w.u["town_b"].code: {"problems": 1, "resolved": 0, "overdue": 1, "sessions": 1, "person_times": 1},
    }
    assert [b.name for b in d.programmes] == ["集宁区十个全覆盖"]
    row = d.programmes[0].rows[0]
    assert (row.name, row.plan, row.in_progress, row.completed, row.share_text) == (
        "危房改造",
        "100",
        "10",
        "30",
        "40%",
    )
    assert row.share == 40.0


def test_the_map_of_a_prefecture_colours_its_counties(w: DashWorld) -> None:
    d = selectors.dashboard(w.users["city_office"], w.u["prefecture"], YEAR_2019)
    assert d.map is not None
    assert d.map.files == ["reports/geo/ulanqab_counties.geojson"]
    areas = {a.code: a for a in d.map.areas}
    assert len(areas) == 11
    assert areas["150902"].values == {
        "problems": 4,
        "resolved": 2,
        "overdue": 1,
        "sessions": 3,
        "person_times": 33,
    }
    assert areas["150902"].link and not areas["150902"].current
    assert areas["150921"].values is not None and areas["150921"].values["problems"] == 1
    assert areas["150921"].values["person_times"] == 10
    assert areas["150981"].unit is None and areas["150981"].values is None  # 丰镇市: not in the tree


def test_the_map_of_a_township_shows_its_county_only(w: DashWorld) -> None:
    d = selectors.dashboard(w.users["a_staff"], w.u["town_a"], YEAR_2019)
    assert d.map is not None
    areas = {a.code: a for a in d.map.areas}
    assert areas["150902"].current and not areas["150902"].link
    assert areas["150902"].values is not None and areas["150902"].values["problems"] == 3
    assert areas["150921"].values is None and not areas["150921"].link  # out of scope: no figures


def test_campaign_filters_problems_and_activities(w: DashWorld) -> None:
    from minqing.campaigns.services import campaign_create

    campaign = campaign_create(
        actor=SYSTEM, name="测试专题", scope=w.u["county"], start_date=dt.date(2019, 1, 1)
    )
    d = selectors.dashboard(w.users["county_office"], w.u["county"], YEAR_2019, campaign)
    assert d.problems.total == 0
    assert d.activity_totals.sessions == 0
    assert d.programmes == []  # the programme belongs to no campaign


def test_scope_out_of_subtree_and_missing_units_are_404(w: DashWorld) -> None:
    a_staff = w.users["a_staff"]
    assert selectors.dashboard_unit(a_staff, "") == w.u["town_a"]
    assert selectors.dashboard_unit(a_staff, w.u["village_a"].code) == w.u["village_a"]
    for code in (w.u["county"].code, w.u["town_b"].code, w.u["town_z"].code, "NOPE"):
        with pytest.raises(Http404):
            selectors.dashboard_unit(a_staff, code)
    with pytest.raises(Http404):
        selectors.dashboard(a_staff, w.u["county"], YEAR_2019)
    with pytest.raises(Http404):
        selectors.dashboard_unit(w.users["norole"], "")
    assert selectors.dashboard_unit(w.users["root"], "") == w.u["province"]


def test_children_and_picker_stay_in_scope(w: DashWorld) -> None:
    a_staff = w.users["a_staff"]
    choices = [u.code for u, _ in selectors.unit_choices(a_staff, w.u["town_a"])]
    assert choices == [w.u["town_a"].code, w.u["village_a"].code]
    county_office = w.users["county_office"]
    choices = [u.code for u, _ in selectors.unit_choices(county_office, w.u["village_a"])]
    assert choices == [w.u["county"].code, w.u["town_a"].code, w.u["village_a"].code, "G-A-01"]
    assert selectors.visible_ancestors(county_office, w.u["village_a"]) == [w.u["county"], w.u["town_a"]]


def test_period_defaults_and_buckets() -> None:
    today = timezone.localdate()
    default = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    p = period_from({}, default)
    assert (p.start, p.end) == default
    p = period_from({"start": "2019-02-30", "end": "2019-03-05"}, default)  # an impossible date: the default
    assert p.start == dt.date(today.year, 1, 1) and p.end == dt.date(2019, 3, 5)
    assert not p.valid and p.buckets() == []
    p = Period(dt.date(2019, 1, 15), dt.date(2019, 3, 2))
    assert [b[0] for b in p.buckets()] == ["2019-01", "2019-02", "2019-03"]
    assert p.buckets()[0][1].day == 15 and p.buckets()[-1][2].date() == dt.date(2019, 3, 3)
    long = Period(dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    assert [b[0] for b in long.buckets()] == ["2015", "2016", "2017", "2018", "2019"]


def test_the_geojson_files_name_every_county() -> None:
    names = {c.code: c.name for g in GEO_FILES for c in counties_of(g)}
    assert len(names) == 17
    assert names["150902"] == "集宁区" and names["152201"] == "乌兰浩特市"


def test_the_vendor_finder_serves_only_the_listed_files(tmp_path, monkeypatch) -> None:
    from django.contrib.staticfiles import finders

    from minqing.reports.dashboard import assets

    finder = VendorFinder()
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path)
    assert finder.find(ECHARTS) == [] and list(finder.list([])) == []
    assert finders.find(ECHARTS) is None  # Django's lookup over every finder: not found
    dist = tmp_path / "echarts" / "dist"
    dist.mkdir(parents=True)
    (dist / "echarts.min.js").write_text("/* echarts */")
    (dist / "echarts.js").write_text("/* not served */")
    assert finder.find(ECHARTS) == str(dist / "echarts.min.js")
    assert finder.find("vendor/echarts/echarts.js") == []
    assert finders.find(ECHARTS) == str(dist / "echarts.min.js")
    listed = [(path, getattr(storage, "prefix", None)) for path, storage in finder.list([])]
    assert listed == [("echarts.min.js", "vendor/echarts")]


@pytest.mark.parametrize("refreshed", [False, True])
@pytest.mark.parametrize(
    "period",
    [
        YEAR_2019,
        Period(dt.date(2019, 3, 15), dt.date(2019, 5, 5)),
        Period(dt.date(2015, 6, 1), dt.date(2019, 12, 31)),
    ],
)
def test_batched_activity_figures_equal_activity_counts(
    w: DashWorld, refreshed: bool, period: Period
) -> None:
    """The per-month and per-child batches read the rollups (and the rows not yet in them) and
    must give what ``activity_counts`` gives for each month and each child."""
    from minqing.activities.counting import activity_counts
    from minqing.activities.models import ActivityType
    from minqing.activities.services.activities import activity_create
    from minqing.activities.services.rollups import rollups_refresh
    from minqing.reports.dashboard.activities import activity_series, activity_totals_by_unit, totals

    if refreshed:  # then one more activity, not in the rollups yet
        rollups_refresh()
        activity_create(
            actor=SYSTEM,
            type=ActivityType.objects.get(code="seminar"),
            organiser=w.u["village_b"],
            title="研讨二",
            start=at(4, 30, hour=23),
            headcount=7,
        )
    actor = w.users["city_office"]
    units = [w.u["town_a"], w.u["town_b"], w.u["county_z"]]
    batched = activity_totals_by_unit(actor, units, period)
    for u in units:
        one = totals(activity_counts(actor, u, period.start_at, period.end_at))
        assert (batched[u.pk].sessions, batched[u.pk].person_times) == (one.sessions, one.person_times)
        assert batched[u.pk].headcount_only == one.headcount_only
    series = activity_series(actor, w.u["prefecture"], period)
    assert [s.label for s in series] == [b[0] for b in period.buckets()]
    for s, (_label, lo, hi) in zip(series, period.buckets(), strict=True):
        one = totals(activity_counts(actor, w.u["prefecture"], lo, hi))
        assert (s.sessions, s.person_times) == (one.sessions, one.person_times), s.label
    assert (
        sum(s.person_times for s in series)
        == totals(activity_counts(actor, w.u["prefecture"], period.start_at, period.end_at)).person_times
    )


def test_no_map_where_no_county_of_the_maps_is_the_units(w: DashWorld) -> None:
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.services.units import UnitRow
    from minqing.orgs.tests.factories import make_units
    from minqing.reports.dashboard.geo import map_for

    agency = make_units([UnitRow("A-1509-01", "市委组织部", UnitKind.AGENCY, w.u["prefecture"].code)])[
        "A-1509-01"
    ]
    assert map_for(agency) is None
    assert map_for(w.u["prefecture"]) is not None and map_for(w.u["village_a"]) is not None
    assert map_for(w.u["province"]) is not None


def test_batched_figures_read_the_tables_beside_a_long_tail(w: DashWorld, monkeypatch) -> None:
    """With more rows waiting than a read counts beside the rollups, the batches count the tables
    alone (they never refresh the rollups) and still equal ``activity_counts``."""
    from minqing.activities import counting
    from minqing.activities.counting import activity_counts
    from minqing.activities.services import rollups
    from minqing.reports.dashboard.activities import activity_series, activity_totals_by_unit, totals

    waiting = rollups.pending_rows()
    assert waiting > 0
    monkeypatch.setattr(counting, "TAIL_ROWS", 0)
    monkeypatch.setattr(counting, "_rollup_sums", lambda *a: pytest.fail("rollups read beside a long tail"))
    actor = w.users["city_office"]
    units = [w.u["town_a"], w.u["town_b"], w.u["county_z"]]
    batched = activity_totals_by_unit(actor, units, YEAR_2019)
    series = activity_series(actor, w.u["prefecture"], YEAR_2019)
    assert rollups.pending_rows() == waiting  # nothing refreshed
    for u in units:
        one = totals(activity_counts(actor, u, YEAR_2019.start_at, YEAR_2019.end_at))
        assert (batched[u.pk].sessions, batched[u.pk].person_times) == (one.sessions, one.person_times)
    assert any(batched[u.pk].sessions for u in units)
    for s, (_label, lo, hi) in zip(series, YEAR_2019.buckets(), strict=True):
        one = totals(activity_counts(actor, w.u["prefecture"], lo, hi))
        assert (s.sessions, s.person_times) == (one.sessions, one.person_times), s.label
