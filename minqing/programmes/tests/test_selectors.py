"""The reads: the rollup through the database (as of a date, no double counting, drill-down,
progress over time) and the scoping of programmes, units and records."""

import pytest
from django.http import Http404

from minqing.orgs.actors import SYSTEM
from minqing.programmes import selectors
from minqing.programmes.tests.world import World, day

pytestmark = pytest.mark.django_db


def figures(w: World, unit: str, as_of, who: str = "county_office", key: str = "road_paving"):
    progress = selectors.programme_progress(w.users[who], w.programme, w.u[unit], as_of)
    return next(t for t in progress.targets if t.target.key == key)


def test_latest_report_as_of_the_date_counts(w: World):
    w.report("town_a", "road_paving", day(5, 31), 4, 1, 10, actor=SYSTEM)
    w.report("town_a", "road_paving", day(6, 30), 2, 6, 25, actor=SYSTEM)
    assert figures(w, "county", day(5, 1)).total.started == 0
    tp = figures(w, "county", day(6, 15))
    assert (tp.total.in_progress, tp.total.completed, tp.total.funds) == (4, 1, 10)
    tp = figures(w, "county", day(6, 30))
    assert (tp.total.in_progress, tp.total.completed, tp.total.funds) == (2, 6, 25)
    assert [(p.date, p.in_progress, p.completed) for p in tp.series] == [
        (day(5, 31), 4, 1),
        (day(6, 30), 2, 6),
    ]


def test_no_double_counting_across_levels(w: World):
    w.plan("town_a", "road_paving", 60)
    w.plan("village_a", "road_paving", 20)  # a breakdown of town_a's 60
    w.plan("town_b", "road_paving", 30)
    w.report(
        "county", "road_paving", day(5, 31), 10, 40, 100, actor=SYSTEM
    )  # the county's summary before the towns
    w.report("town_a", "road_paving", day(6, 30), 5, 5, 50, actor=SYSTEM)  # overtaken by its village below
    w.report("village_a", "road_paving", day(6, 30), 1, 9, 20, actor=SYSTEM)
    w.report("town_b", "road_paving", day(6, 30), 3, 3, 30, actor=SYSTEM)
    before = figures(w, "county", day(6, 1))
    assert (before.total.started, before.total.funds, before.own is not None) == (50, 100, True)
    tp = figures(w, "county", day(6, 30))
    assert (tp.total.plan, tp.total.in_progress, tp.total.completed, tp.total.funds) == (100, 4, 12, 50)
    assert tp.total.share_text == "16%" and tp.total.completed_share_text == "12%"
    assert tp.own is None
    rows = {u.code: f for u, f in tp.children}
    assert (rows["150902001000"].plan, rows["150902001000"].started) == (60, 10)  # town_a: its village only
    assert (rows["150902101000"].plan, rows["150902101000"].started) == (30, 6)
    assert sum(f.started for f in rows.values()) == tp.total.started
    # one level down, town_a's own report no longer counts either
    down = figures(w, "town_a", day(6, 30))
    assert (down.total.plan, down.total.started, [u.code for u, _f in down.children]) == (
        60,
        10,
        ["150902001001"],
    )


def test_modes_roll_up_separately_and_add_to_the_total(w: World):
    w.plan("town_a", "housing", 300, mode="新建")
    w.report("town_a", "housing", day(6, 30), 10, 20, mode="新建", actor=SYSTEM)
    w.report("town_b", "housing", day(6, 30), 5, 5, mode="维修加固", actor=SYSTEM)
    w.report(
        "county", "housing", day(6, 30), 1, 1, mode="转移置换", actor=SYSTEM
    )  # nothing below reports this mode
    tp = figures(w, "county", day(6, 30), key="housing")
    modes = {m: f for m, f in tp.modes}
    assert (modes["新建"].started, modes["新建"].plan, modes["新建"].share_text) == (30, 300, "10%")
    assert (modes["维修加固"].started, modes["维修加固"].plan) == (10, None)
    assert modes["转移置换"].started == 2
    assert tp.total.started == 42 and tp.total.plan == 1000
    assert tp.own is not None and tp.own.started == 2  # the county's own (转移置换) report counts


def test_completed_only_target(w: World):
    w.report("town_a", "shop", day(6, 30), 7, 9, actor=SYSTEM)
    tp = figures(w, "county", day(6, 30), key="shop")
    assert (tp.total.counted, tp.total.share_text, tp.total.started_share_text) == (9, "45%", "80%")


def test_programmes_are_visible_inside_and_above_their_owner_only(w: World):
    def names(who):
        return sorted(p.name for p in selectors.visible_programmes(w.users[who]))

    for who in ("root", "city_office", "county_office", "a_staff", "b_staff", "viewer"):
        assert names(who) == ["集宁区十个全覆盖"], who
    assert names("z_office") == [] and names("norole") == []
    with pytest.raises(Http404):
        selectors.programme_get(w.users["z_office"], w.programme.pk)
    with pytest.raises(Http404):
        selectors.programme_get(w.users["county_office"], "x")


def test_figures_are_scoped_to_the_actors_subtree(w: World):
    w.report("town_a", "road_paving", day(6, 30), 1, 1, actor=SYSTEM)
    w.report("town_b", "road_paving", day(6, 30), 2, 2, actor=SYSTEM)
    staff = w.users["a_staff"]
    assert selectors.default_unit(staff, w.programme) == w.u["town_a"]
    assert selectors.default_unit(w.users["viewer"], w.programme) == w.u["county"]
    tp = figures(w, "town_a", day(6, 30), who="a_staff")
    assert tp.total.started == 2
    for unit in ("town_b", "county"):  # out of the actor's subtree: 404
        with pytest.raises(Http404):
            selectors.programme_progress(staff, w.programme, w.u[unit], day(6, 30))
        assert selectors.unit_in_programme(staff, w.programme, w.u[unit].code) is None
    # a unit in scope but outside the programme: not found either
    assert selectors.unit_in_programme(w.users["city_office"], w.programme, w.u["county_z"].code) is None
    with pytest.raises(Http404):
        selectors.unit_or_404(w.users["norole"], w.programme, "")
    reports = selectors.report_list(staff, w.programme, w.u["town_a"])
    assert [r.unit.code for r in reports] == [w.u["town_a"].code]
