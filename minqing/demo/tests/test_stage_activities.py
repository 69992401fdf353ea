"""The activities and attendance demo stages: deterministic, invariants kept, resumable."""

import pytest

from minqing.activities.models import Activity, Attendance
from minqing.demo.context import DemoContext
from minqing.demo.registry import discover, stages_for
from minqing.demo.tiers import MINI

pytestmark = pytest.mark.django_db


def _load(seed: int = 1) -> None:
    discover()
    ctx = DemoContext(tier=MINI, seed=seed, progress=False)
    for stage in stages_for("mini"):
        stage.func(ctx)


def _snapshot() -> list[tuple]:
    return list(
        Attendance.objects.order_by("activity__number", "person__number").values_list(
            "activity__number", "person__number", "checked_in_at", "path", "start", "type_id"
        )
    )


def test_mini_tier_activities_and_attendance() -> None:
    _load()
    assert Activity.objects.filter(number__startswith="YA").count() == MINI.targets["activities"]
    n = Attendance.objects.count()
    assert 0.8 * MINI.targets["attendance"] < n < 1.2 * MINI.targets["attendance"]
    assert Activity.objects.filter(headcount__isnull=False).exists()
    assert not Attendance.objects.filter(activity__headcount__isnull=False).exists()
    for row in Attendance.objects.select_related("activity")[:500]:
        assert (row.path, row.start, row.type_id) == (
            row.activity.path,
            row.activity.start,
            row.activity.type_id,
        )
    first = _snapshot()
    acts = list(
        Activity.objects.order_by("number").values_list("number", "title", "start", "short_code", "headcount")
    )
    # re-running changes nothing
    _load()
    assert _snapshot() == first
    Attendance.objects.all().delete()
    Activity.objects.all().delete()
    _load()  # the same seed gives the same data
    assert (
        list(
            Activity.objects.order_by("number").values_list(
                "number", "title", "start", "short_code", "headcount"
            )
        )
        == acts
    )
    assert [r[:3] for r in _snapshot()] == [r[:3] for r in first]
