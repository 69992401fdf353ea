"""The party members stage: the tier's number exactly, where members belong, deterministic,
resumable, and drawn into attendance (the region tier's "most of 1,000,000 people attend")."""

import dataclasses
from statistics import mean

import pytest

from minqing.activities.models import Attendance
from minqing.demo.context import DemoContext
from minqing.demo.names import id_check_digit
from minqing.demo.registry import discover, stages_for
from minqing.demo.stages.members import MARK, WEIGHTS, _units, allocate, load_members
from minqing.demo.tiers import MINI, TierSpec
from minqing.orgs.models import Person, PersonIdentity

pytestmark = pytest.mark.django_db

TIER = dataclasses.replace(MINI, targets={"activities": 300, "members": 1_500, "attendance": 6_000})


def _load(tier: TierSpec = TIER, seed: int = 1) -> None:
    discover()
    ctx = DemoContext(tier=tier, seed=seed, progress=False)
    for stage in stages_for("mini"):
        stage.func(ctx)


def _members() -> list[tuple[str, str, str, str]]:
    return list(
        Person.objects.filter(number__contains=MARK)
        .order_by("number")
        .values_list("number", "name", "path", "unit__code")
    )


def test_members_are_the_tiers_number_under_their_units_and_attend() -> None:
    _load()
    members = Person.objects.filter(number__contains=MARK).select_related("unit")
    assert members.count() == TIER.targets["members"]
    assert not members.filter(is_party_member=False).exists()
    kinds = set(members.values_list("unit__kind", flat=True).distinct())
    assert kinds and kinds <= {str(k) for k in WEIGHTS}
    for p in members[:300]:
        assert p.path == p.unit.path
        assert p.path.startswith(p.unit.path) and p.number.startswith(p.unit.code + MARK)
    identities = PersonIdentity.objects.filter(person__number__contains=MARK)
    assert identities.count() == TIER.targets["members"]
    for ident in identities[:200]:
        assert len(ident.phone) == 11 and ident.phone.startswith("1")
        assert id_check_digit(ident.id_number[:17]) == ident.id_number[17]
    # most members attend something: attendance draws from everyone in the organiser's county
    attending = (
        Attendance.objects.filter(person__number__contains=MARK).values("person_id").distinct().count()
    )
    assert attending > 0.5 * TIER.targets["members"]


def test_members_stage_is_deterministic_and_resumes() -> None:
    _load()
    first = _members()
    ctx = DemoContext(tier=TIER, seed=1, progress=False)
    assert load_members(ctx) == {"members": 0}  # re-running adds nothing
    # a load stopped part-way (the last blocks missing) is completed with the same members
    Attendance.objects.filter(person__number__contains=MARK).delete()
    keep = first[len(first) // 3][0]
    PersonIdentity.objects.filter(person__number__contains=MARK, person__number__gt=keep).delete()
    Person.objects.filter(number__contains=MARK, number__gt=keep).delete()
    assert load_members(ctx)["members"] > 0
    assert _members() == first
    Person.objects.filter(number__contains=MARK).delete()
    load_members(DemoContext(tier=TIER, seed=2, progress=False))
    assert _members() != first  # another seed, other members


def test_allocation_is_exact_and_follows_the_weights() -> None:
    _load(dataclasses.replace(TIER, targets={}))
    units = _units("mini")
    ctx = DemoContext(tier=TIER, seed=1, progress=False)
    for total in (0, 1, 999, 10_007):
        counts = allocate(ctx, units, total)
        assert sum(counts) == total and min(counts) >= 0
    counts = allocate(ctx, units, 100_000)
    by_kind: dict[str, list[int]] = {}
    for u, n in zip(units, counts, strict=True):
        by_kind.setdefault(u.kind, []).append(n)
    assert mean(by_kind["agency"]) > 1.5 * mean(by_kind["village"])
    assert allocate(ctx, [], 10) == []
