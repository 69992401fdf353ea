"""The supervision demo stage on the real Ulanqab tree: groups, rounds, findings in the ledger;
deterministic and idempotent."""

import dataclasses

import pytest

from minqing.core.paths import prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.registry import discover, stages_for
from minqing.demo.stages.supervision import GROUPS, load_supervision
from minqing.demo.tiers import SEED, TreeSource
from minqing.ledger.enums import Source
from minqing.ledger.models import Problem
from minqing.orgs.divisions import ULANQAB
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.supervision import selectors as sel
from minqing.supervision.models import Finding, GuidanceGroup, Inspection

pytestmark = pytest.mark.django_db

# Ulanqab's real tree, its departments and their people; no grids or households
TIER = dataclasses.replace(
    SEED,
    trees=(TreeSource(ULANQAB),),
    grids=0,
    households=0,
    org_sets=(SEED.org_sets[2],),
)
NEEDED = ("tree", "orgs", "cadres")


def _load(seed: int = 1) -> DemoContext:
    discover()
    ctx = DemoContext(tier=TIER, seed=seed, progress=False)
    for stage in stages_for("seed"):
        if stage.name in NEEDED:
            stage.func(ctx)
    return ctx


def _snapshot() -> list[tuple]:
    return sorted(
        Inspection.objects.values_list(
            "group__name", "round", "unit__code", "date", "kind", "checked_scripts"
        )
    ) + sorted(Finding.objects.values_list("problem__number", "text", "problem__unit__code"))


def test_the_stage_is_registered_for_seed_and_city():
    discover()
    for tier in ("seed", "city"):
        assert "supervision" in [s.name for s in stages_for(tier)]
    assert "supervision" not in [s.name for s in stages_for("mini")]


def test_ulanqab_groups_rounds_and_findings():
    ctx = _load()
    counts = load_supervision(ctx)
    city = Unit.objects.get(code="150900000000")
    counties = Unit.objects.filter(prefix_q(city.path), kind=UnitKind.COUNTY)
    assert counts["groups"] == len(GROUPS) and counts["inspections"] > 40 and counts["problems"] > 5
    groups = GuidanceGroup.objects.filter(campaign__name="“三严三实”专题教育").order_by("name")
    assert groups.count() == 4
    # every county is assigned to exactly one group
    assigned = sorted(c for g in groups for c in g.units.values_list("code", flat=True))
    assert assigned == sorted(counties.values_list("code", flat=True)) and len(assigned) == 11
    assert all(g.members.filter(role="leader").count() == 1 for g in groups)
    # two rounds each; every county, and one township and village in it, visited in both
    root = _superuser()
    for g in groups:
        assert sorted(set(g.inspections.values_list("round", flat=True))) == [1, 2]
    assert sel.campaign_round_summary(root, city, groups[0].campaign) == (4, 2)
    assert not sel.never_inspected(root, city, campaign=groups[0].campaign, level=UnitKind.COUNTY).exists()
    # the findings are problems of the ledger
    problems = Problem.objects.filter(source=Source.SUPERVISION)
    assert problems.count() == counts["problems"] == Finding.objects.count()
    for f in Finding.objects.select_related("problem", "inspection", "inspection__group"):
        assert f.problem.unit_id == f.inspection.unit_id and f.problem.campaign == f.inspection.group.campaign
        assert f.problem.number.startswith("YD")
    # re-running adds nothing
    first = _snapshot()
    assert load_supervision(ctx) == {"groups": 0, "inspections": 0, "problems": 0}
    assert _snapshot() == first
    # the same seed gives the same records
    Finding.objects.all().delete()
    Problem.objects.filter(source=Source.SUPERVISION).delete()
    Inspection.objects.all().delete()
    GuidanceGroup.objects.all().delete()
    load_supervision(ctx)
    assert _snapshot() == first


def _superuser():
    from minqing.orgs.tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True)
