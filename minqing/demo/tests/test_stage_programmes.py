"""The programmes demo stage: the seed's figures from the demo's records, deterministic, re-runnable."""

import csv
import datetime as dt
from typing import cast

import pytest
from django.contrib.auth.models import User

from minqing.demo.context import DemoContext
from minqing.demo.registry import discover, stages_for
from minqing.demo.stages.programmes import BY_TOWNSHIP, NAME, load_programmes, split
from minqing.demo.tiers import SEED
from minqing.orgs.actors import SYSTEM
from minqing.orgs.divisions import ULANQAB
from minqing.orgs.enums import LEVEL_KIND, UnitKind
from minqing.orgs.services.units import UnitRow, units_upsert
from minqing.orgs.tests.factories import UserFactory
from minqing.programmes import selectors
from minqing.programmes.models import Programme, ProgressReport
from minqing.programmes.rollup import funds_yi_text, quantity_text

pytestmark = pytest.mark.django_db


def _ulanqab_counties_and_one_countys_townships() -> None:
    rows = [UnitRow("150000000000", "内蒙古自治区", UnitKind.PROVINCE, division_code="150000000000")]
    with ULANQAB.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            level = int(r["level"])
            if level <= 3 or (level == 4 and r["parent_code"] == BY_TOWNSHIP):
                rows.append(
                    UnitRow(
                        r["code"], r["name"], LEVEL_KIND[level], r["parent_code"], division_code=r["code"]
                    )
                )
    units_upsert(actor=SYSTEM, rows=rows)


def _snapshot() -> list[tuple]:
    return list(
        ProgressReport.objects.order_by("target__key", "unit__code", "mode", "date").values_list(
            "target__key", "unit__code", "mode", "date", "in_progress", "completed", "funds"
        )
    )


def test_split_sums_exactly():
    assert split(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split(41350, [0.3, 0.9, 1.7, 0.01])) == 41350
    assert split(0, [1, 2]) == [0, 0]


def test_the_stage_reproduces_the_seed_figures_and_is_deterministic():
    _ulanqab_counties_and_one_countys_townships()
    discover()
    assert "programmes" in [s.name for s in stages_for("seed")]
    assert "programmes" in [s.name for s in stages_for("city")]
    counts = load_programmes(DemoContext(tier=SEED, seed=1, progress=False))
    assert counts["programmes"] == 1 and counts["progress_reports"] > 200
    programme = Programme.objects.get(name=NAME)
    root = cast(User, UserFactory(username="root", is_superuser=True))
    result = selectors.programme_progress(root, programme, programme.owner, dt.date(2015, 6, 30))
    assert {t.target.key: (quantity_text(t.total.counted), t.total.share_text) for t in result.targets} == {
        "housing": ("41,350", "79.6%"),
        "village_cleanup": ("86,121", "73.5%"),
        "road_paving": ("2,082", "84%"),
        "clinic": ("344", "94.5%"),
        "culture_room": ("477", "95.2%"),
        "shop": ("343", "88.2%"),
    }
    assert funds_yi_text(result.funds) == "17.75"
    assert len(result.targets[0].children) == 11
    assert len(result.targets[0].series) == 3
    # 察哈尔右翼前旗 reports by township: its page drills down a level
    county = next(u for u in result.children if u.code == BY_TOWNSHIP)
    below = selectors.programme_progress(root, programme, county, dt.date(2015, 6, 30), series=False)
    assert len(below.targets[0].children) > 1 and below.targets[0].own is None
    # a re-run adds nothing; the same seed gives the same records
    first = _snapshot()
    assert load_programmes(DemoContext(tier=SEED, seed=1, progress=False))["progress_reports"] == 0
    Programme.objects.all().delete()
    load_programmes(DemoContext(tier=SEED, seed=1, progress=False))
    assert _snapshot() == first
