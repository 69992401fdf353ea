"""Reads: group counts and rounds, rounds per unit, units never inspected; all scoped."""

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.supervision import selectors as sel
from minqing.supervision.enums import InspectionKind
from minqing.supervision.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def _d(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@pytest.fixture
def sweeps(w):
    """Group 1: round 1 at town_a, village_a, town_b; round 2 at town_a (two kinds that day).
    Group 2 (the other campaign): round 1 at village_a."""
    g1 = w.group()
    w.inspect(g1, "town_a", _d(0), findings=("甲问题",), actor=SYSTEM)
    w.inspect(g1, "village_a", _d(1), actor=SYSTEM)
    w.inspect(g1, "town_b", _d(2), findings=("乙问题一", "乙问题二"), actor=SYSTEM)
    w.inspect(g1, "town_a", _d(10), kind=InspectionKind.SIT_IN_MEETING, actor=SYSTEM)
    w.inspect(g1, "town_a", _d(10), kind=InspectionKind.SIT_IN_STUDY, actor=SYSTEM)
    g2 = w.group(name="专项组", campaign=w.other_campaign, units=("town_a",))
    w.inspect(g2, "village_a", _d(5), kind=InspectionKind.UNANNOUNCED_VISIT, actor=SYSTEM)
    return g1, g2


def test_group_list_counts_inspections_and_rounds(w, sweeps):
    g1, g2 = sweeps
    rows: dict[str, Any] = {g.name: g for g in sel.group_list(w.users["county_office"])}
    assert (rows[g1.name].n_inspections, rows[g1.name].n_rounds) == (5, 2)
    assert rows[g1.name].last_date == _d(10) and rows[g1.name].leader_name == "李组长"
    assert (rows[g2.name].n_inspections, rows[g2.name].n_rounds) == (1, 1)
    assert [g.name for g in sel.group_list(w.users["root"], campaign=w.other_campaign)] == ["专项组"]
    assert [g.name for g in sel.group_list(w.users["root"], q="第一")] == [g1.name]


def test_a_township_sees_the_groups_touching_it_and_only_its_inspections(w, sweeps):
    g1, g2 = sweeps
    b: dict[str, Any] = {g.name: g for g in sel.group_list(w.users["b_office"])}
    assert list(b) == [g1.name]  # g2 is assigned to town_a only
    assert (b[g1.name].n_inspections, b[g1.name].n_rounds) == (1, 1)  # town_b's one visit
    blocks = sel.group_rounds(w.users["b_office"], g1)
    assert [(r.number, len(r.inspections), r.findings) for r in blocks] == [(1, 1, 2)]
    with pytest.raises(Http404):
        sel.group_get(w.users["b_office"], g2.pk)
    with pytest.raises(Http404):
        sel.group_get(w.users["nobody"], g1.pk)
    units, others = sel.group_units(w.users["b_office"], g1)
    assert units == [w.u["town_b"]] and others == 1


def test_group_rounds_for_the_office(w, sweeps):
    g1, _g2 = sweeps
    blocks = sel.group_rounds(w.users["county_office"], g1)
    assert [r.number for r in blocks] == [1, 2]
    one, two = blocks
    assert [i.unit.code for i in one.inspections] == [
        w.u["town_a"].code,
        w.u["village_a"].code,
        w.u["town_b"].code,
    ]
    assert (one.units, one.first, one.last, one.findings) == (3, _d(0), _d(2), 3)
    assert (two.units, len(two.inspections), two.findings) == (1, 2, 0)


def test_round_summary_of_a_campaign(w, sweeps):
    w.group(name="未出发的组")
    assert sel.campaign_round_summary(w.users["county_office"], w.u["county"], w.campaign) == (2, 0)
    assert sel.campaign_round_summary(w.users["root"], w.u["county"], w.other_campaign) == (1, 1)


def test_rounds_per_unit(w, sweeps):
    rows = sel.unit_rounds(w.users["county_office"], w.u["county"])
    by = {r.unit.code: r for r in rows}
    a = by[w.u["town_a"].code]
    assert (a.inspections, a.rounds, a.last_date) == (3, 2, _d(10))
    assert a.kinds == ["列席会议", "随堂听课", "随机抽查"] and a.kind_labels == "列席会议、随堂听课、随机抽查"
    va = by[w.u["village_a"].code]
    assert (va.inspections, va.rounds) == (2, 2)  # round 1 of each group
    assert [r.unit for r in rows] == sorted((r.unit for r in rows), key=lambda u: u.path)
    only = sel.unit_rounds(
        w.users["county_office"], w.u["county"], campaign=w.campaign, level=UnitKind.VILLAGE
    )
    assert [(r.unit.code, r.inspections, r.rounds) for r in only] == [(w.u["village_a"].code, 1, 1)]
    # scoped: town_b's office sees town_b only; another subtree is a 404
    assert [r.unit for r in sel.unit_rounds(w.users["b_office"], w.u["town_b"])] == [w.u["town_b"]]
    with pytest.raises(Http404):
        sel.unit_rounds(w.users["b_office"], w.u["town_a"])


def test_units_never_inspected(w, sweeps):
    office = w.users["county_office"]
    towns = sel.never_inspected(office, w.u["county"], campaign=w.campaign, level=UnitKind.TOWNSHIP)
    assert list(towns) == []
    villages = sel.never_inspected(office, w.u["county"], campaign=w.campaign, level=UnitKind.VILLAGE)
    assert list(villages) == [w.u["village_b"]]
    grids = sel.never_inspected(office, w.u["county"], campaign=w.campaign, level=UnitKind.GRID)
    assert list(grids) == [w.u["grid_a"], w.u["grid_b"]]
    # the other campaign went to village_a only
    other = sel.never_inspected(office, w.u["county"], campaign=w.other_campaign, level=UnitKind.TOWNSHIP)
    assert list(other) == [w.u["town_a"], w.u["town_b"]]
    below = sel.never_inspected(
        office, w.u["county"], campaign=w.other_campaign, level=UnitKind.TOWNSHIP, below=True
    )
    assert list(below) == [w.u["town_b"]]  # town_a counts: its village was visited
    assert sel.unit_kind_counts(office, w.u["county"], UnitKind.TOWNSHIP) == 2
    # scoped
    assert list(
        sel.never_inspected(w.users["b_office"], w.u["town_b"], campaign=w.campaign, level=UnitKind.VILLAGE)
    ) == [w.u["village_b"]]
    with pytest.raises(Http404):
        sel.never_inspected(w.users["b_office"], w.u["county"], campaign=w.campaign, level=UnitKind.VILLAGE)


def test_inspection_list_and_get_are_scoped(w, sweeps):
    g1, _g2 = sweeps
    office = w.users["county_office"]
    assert sel.inspection_list(office, w.u["county"]).count() == 6
    f = sel.InspectionFilters(campaign=w.campaign, kind=InspectionKind.SPOT_CHECK)
    assert sel.inspection_list(office, w.u["county"], f).count() == 3
    f = sel.InspectionFilters(group=g1, start=_d(1), end=_d(2))
    assert [i.unit for i in sel.inspection_list(office, w.u["county"], f)] == [
        w.u["town_b"],
        w.u["village_a"],
    ]
    b_list: Any = sel.inspection_list(w.users["b_office"], w.u["town_b"])
    assert [i.n_findings for i in b_list] == [2]
    a_inspection = sel.inspection_list(office, w.u["town_a"]).first()
    assert a_inspection is not None
    with pytest.raises(Http404):
        sel.inspection_get(w.users["b_office"], a_inspection.pk)
    assert sel.inspection_get(w.users["a_inspector"], a_inspection.pk) == a_inspection
