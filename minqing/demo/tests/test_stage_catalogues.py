"""The catalogues' demo stage: written through the services, deterministic, a re-run changes nothing."""

import dataclasses
import datetime as dt
import time

import pytest

from minqing.catalogues.counting import power_counts, reform_counts
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure, ReformResult
from minqing.demo.context import DemoContext
from minqing.demo.orgnames import agency_names
from minqing.demo.registry import discover, stages_for
from minqing.demo.stages.catalogues import COMMENDATION, DECIDED, load_catalogues
from minqing.demo.tiers import SEED
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import PersonFactory, make_units, small_tree

pytestmark = pytest.mark.django_db


def _world() -> None:
    u = small_tree()
    names = agency_names("乌兰察布市", 84)
    make_units(
        [
            UnitRow(f"150900-D{i:03d}", name, UnitKind.AGENCY, "150900000000")
            for i, name in enumerate(names, start=1)
        ]
    )
    for i in range(20):
        village = u["village_a"] if i % 2 else u["village_b"]
        PersonFactory(unit=village, number=f"V{i:03d}", name=f"书记{i}", duties="村党支部书记、村委会主任")


def _snapshot() -> tuple[list, ...]:
    return (
        sorted(
            PowerItem.objects.values_list("unit__code", "category", "name", "legal_basis", "published_on")
        ),
        sorted(ReformMeasure.objects.values_list("unit__code", "title", "is_key", "status", "started_on")),
        sorted(ReformResult.objects.values_list("measure__title", "date", "text")),
        sorted(
            Commendation.objects.values_list(
                "unit__code", "name", "person__number", "title", "date", "decided_on"
            )
        ),
    )


def test_stage_is_registered_for_seed_and_city() -> None:
    discover()
    for tier in ("seed", "city"):
        assert "catalogues" in [s.name for s in stages_for(tier)]
    assert "catalogues" not in [s.name for s in stages_for("mini")]


def test_catalogues_stage_counts_deterministic_and_idempotent() -> None:
    _world()
    ctx = DemoContext(tier=dataclasses.replace(SEED), seed=1, progress=False)
    started = time.monotonic()
    counts = load_catalogues(ctx)
    assert time.monotonic() - started < 5
    assert counts["power_items"] == PowerItem.objects.count() > 20
    assert counts["reforms"] == 9 and counts["reform_results"] == ReformResult.objects.count() == 8
    assert counts["commendations"] == Commendation.objects.count() == 19
    path = Unit.objects.get(code="150900000000").path
    city = power_counts(path)
    assert (city.departments, city.categories) == (8, 10)
    r = reform_counts(path)
    assert (r.key, r.key_with_result) == (4, 3)
    assert Commendation.objects.filter(person__isnull=False).count() == 19
    # the 15 leaders: decided two days before the ceremony, as in the Ulanqab replay
    title, date, _body = COMMENDATION
    assert dt.date(2015, 6, 29) == DECIDED
    assert set(Commendation.objects.filter(title=title).values_list("date", "decided_on")) == {
        (date, DECIDED)
    }
    assert Commendation.objects.filter(title=title).count() == 15
    assert not Commendation.objects.exclude(title=title).filter(decided_on__isnull=False).exists()
    first = _snapshot()
    assert load_catalogues(ctx) == {"power_items": 0, "reforms": 0, "commendations": 0}
    assert _snapshot() == first
    for model in (ReformResult, ReformMeasure, PowerItem, Commendation):
        model.objects.all().delete()
    load_catalogues(ctx)
    assert _snapshot() == first
