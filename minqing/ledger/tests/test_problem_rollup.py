"""The problem rollup (``ledger.rollup``): the figures it gives equal the figures counted from
the problems alone, for whole and partial months, past and running periods, campaigns, child
units, and changes not folded in yet; the triggers name exactly the buckets a change touches."""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from minqing.campaigns.services import campaign_create
from minqing.core.workdays import WorkCalendar
from minqing.ledger import figures, rollup
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Source
from minqing.ledger.models import (
    Problem,
    ProblemEvent,
    ProblemRollup,
    ProblemRollupBucket,
    ProblemRollupChange,
)
from minqing.ledger.satisfaction import satisfaction_counts
from minqing.ledger.services.bulk import ProblemRow, Step, problems_bulk_register
from minqing.ledger.services.workflow import problem_transition
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import make_units, small_tree

pytestmark = pytest.mark.django_db


def local(y: int, m: int, d: int, h: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.fixture
def tree() -> dict[str, Unit]:
    u = small_tree()
    more = make_units(
        [
            UnitRow("150921000000", "卓资县", UnitKind.COUNTY, "150900000000", division_code="150921000000"),
            UnitRow("150921100000", "卓资山镇", UnitKind.TOWNSHIP, "150921000000", "town", "150921100000"),
        ]
    )
    return {**u, "county_z": more["150921000000"], "town_z": more["150921100000"]}


def _rows(tree: dict[str, Unit], campaign_id: int, n: int, seed: int) -> list[ProblemRow]:
    """``n`` problems over 2024 and 2025 (month ends and local midnights included), on every
    level of the tree, with histories that run past the year's end."""
    rng = random.Random(seed)
    places = [
        tree[k] for k in ("prefecture", "county", "town_a", "village_a", "grid_b", "county_z", "town_z")
    ]
    rows = []
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
        reg = local(day.year, day.month, day.day, rng.choice((0, 9, 23)))
        source = rng.choice((Source.PUBLIC, Source.PUBLIC, Source.SELF_INSPECTION))
        row = ProblemRow(
            f"RU-{seed}-{i}", "路灯", "村口路灯不亮", ref_of(rng.choice(places)), source, reg,
            rng.choice(list(Channel)) if source == Source.PUBLIC else "",
            campaign_id=campaign_id if rng.random() < 0.3 else None, prominent=rng.random() < 0.2,
        )  # fmt: skip
        t = reg
        last = Action.CALLBACK if source == Source.PUBLIC and rng.random() < 0.5 else Action.CLOSE
        for action in (Action.ASSIGN, Action.RESOLVE, last):
            if rng.random() < 0.25:
                break
            t += dt.timedelta(days=rng.randrange(1, 60))
            kind = rng.choice(list(ResolutionKind)) if action == Action.RESOLVE else ""
            sat = Satisfaction.SATISFIED if action == Action.CALLBACK else ""
            row.steps.append(
                Step(action, t, unit=ref_of(tree["town_a"]) if action == Action.ASSIGN else None,
                     resolution_kind=kind, satisfaction=sat)
            )  # fmt: skip
        rows.append(row)
    return rows


@pytest.fixture
def world(tree: dict[str, Unit]) -> dict[str, Any]:
    campaign = campaign_create(
        actor=SYSTEM, name="专题", scope=tree["prefecture"], start_date=dt.date(2024, 1, 1)
    )
    problems_bulk_register(_rows(tree, campaign.pk, 300, 1), WorkCalendar({}))
    return {"u": tree, "campaign": campaign}


def _summary(f: figures.ProblemFigures) -> tuple[Any, ...]:
    cells: dict[tuple[Any, ...], int] = {}
    for c in f.cells:
        key = (c.source, c.channel, c.prominent, c.late, c.state, c.kind)
        cells[key] = cells.get(key, 0) + c.n
    return (f.by_state, f.by_source, f.by_channel, f.total, f.resolved, f.on_the_spot, f.overdue, cells)


PERIODS = [
    (local(2024, 1, 1), local(2025, 1, 1), dt.date(2024, 12, 31)),  # a past year
    (local(2024, 3, 15), local(2024, 11, 21), dt.date(2024, 11, 20)),  # partial months at both ends
    (local(2024, 1, 1), local(2026, 1, 1), dt.date(2025, 12, 31)),  # two years
    (local(2025, 6, 1), local(2025, 7, 1), dt.date(2025, 6, 30)),  # one month
    (local(2024, 1, 1), local(2026, 1, 1), None),  # as of now
    (local(2024, 2, 10), local(2024, 2, 20), dt.date(2024, 2, 19)),  # no whole month
]


def _all_figures(w: dict[str, Any]) -> list[tuple[Any, ...]]:
    u, campaign = w["u"], w["campaign"]
    out: list[Any] = []
    children = [u["county"], u["county_z"]]
    for start, end, as_of in PERIODS:
        for camp in (None, campaign):
            kw: dict[str, Any] = {"as_of": as_of, "campaign": camp, "make": figures.ProblemFigures}
            for unit in (u["province"], u["prefecture"], u["county"], u["town_a"]):
                out.append(_summary(figures.problem_figures(SYSTEM, unit, start, end, **kw)))
                out.append(satisfaction_counts(SYSTEM, unit, start, end, campaign=camp))
            own, kids = figures.problem_figures_with_children(
                SYSTEM, u["prefecture"], children, start, end, **kw
            )
            out.append((_summary(own), {k: _summary(v) for k, v in kids.items()}))
            by_unit = figures.problem_figures_by_unit(
                SYSTEM, [u["town_a"], u["town_b"], u["county_z"]], start, end, **kw
            )
            out.append({k: _summary(v) for k, v in by_unit.items()})
    return out


def _direct(monkeypatch: pytest.MonkeyPatch, fn: Callable[[], Any]) -> Any:
    with monkeypatch.context() as m:
        m.setattr(rollup, "pending", lambda: None)
        return fn()


def _check(w: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert _all_figures(w) == _direct(monkeypatch, lambda: _all_figures(w))


def test_the_rollup_gives_the_figures_the_problems_give(world, monkeypatch) -> None:
    assert rollup.pending() is None  # not built yet: the figures read the problems
    result = rollup.rollup_refresh()
    assert result.rebuilt and result.rows_written > 0
    assert not ProblemRollupChange.objects.exists()
    assert sum(ProblemRollup.objects.values_list("n", flat=True)) == Problem.objects.count()
    judged = Problem.objects.filter(judgement__isnull=False).count()
    assert (
        judged
        and sum(r.satisfied + r.basically + r.unsatisfied for r in ProblemRollup.objects.all()) == judged
    )
    assert ProblemRollupBucket.objects.count() == len(
        {(b.path, b.month) for b in ProblemRollup.objects.all()}
    )
    assert rollup.pending() == frozenset()
    _check(world, monkeypatch)


def test_changes_not_folded_in_yet_are_read_from_the_problems(world, monkeypatch) -> None:
    rollup.rollup_refresh()
    u = world["u"]
    rng = random.Random(7)
    problems = list(Problem.objects.order_by("id"))
    for p in rng.sample(problems, 20):  # later states, some after the past periods' ends
        for action in (Action.ASSIGN, Action.RESOLVE):
            try:
                p = problem_transition(actor=SYSTEM, problem=p, action=action, responsible_unit=u["town_a"],
                                       resolution_kind=ResolutionKind.ON_THE_SPOT)  # fmt: skip
            except Exception:  # a transition the state does not allow: skipped
                break
    moved = problems[0]
    Problem.objects.filter(pk=moved.pk).update(path=u["town_z"].path, unit=u["town_z"])  # a moved unit
    Problem.objects.filter(pk=problems[1].pk).update(registered_at=local(2024, 7, 31, 23))
    problems_bulk_register(_rows(u, world["campaign"].pk, 40, 2), WorkCalendar({}))
    waiting = rollup.pending()
    assert waiting
    _check(world, monkeypatch)
    rollup.rollup_refresh()
    assert not ProblemRollupChange.objects.exists()
    _check(world, monkeypatch)


def test_a_refresh_counts_only_the_buckets_changes_name(world) -> None:
    rollup.rollup_refresh()
    p = Problem.objects.filter(path__startswith=world["u"]["county_z"].path).order_by("id").first()
    assert p is not None
    Problem.objects.filter(pk=p.pk).update(title="只改标题")  # no figure reads it
    assert not ProblemRollupChange.objects.exists()
    Problem.objects.filter(pk=p.pk).update(prominent=not p.prominent)
    assert list(ProblemRollupChange.objects.values_list("path", flat=True)) == [p.path]
    result = rollup.rollup_refresh()
    assert (result.changes, result.buckets, result.rebuilt) == (1, 1, False)
    Problem.objects.filter(pk=p.pk).update(path=world["u"]["county"].path)  # old place and new
    assert sorted(ProblemRollupChange.objects.values_list("path", flat=True)) == sorted(
        [p.path, world["u"]["county"].path]
    )
    assert rollup.rollup_refresh().buckets == 2


def test_too_many_waiting_changes_read_the_problems_alone(world, monkeypatch) -> None:
    rollup.rollup_refresh()
    Problem.objects.update(prominent=True)
    monkeypatch.setattr(rollup, "PENDING_LIMIT", 5)
    assert rollup.pending() is None
    _check(world, monkeypatch)


def test_the_whole_months_of_a_period() -> None:
    assert rollup.whole_months(local(2024, 1, 1), local(2025, 1, 1)) == (
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
    )
    assert rollup.whole_months(local(2024, 1, 2), local(2024, 3, 5)) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
    )
    assert rollup.whole_months(local(2024, 1, 1, 1), local(2024, 2, 5)) is None
    assert rollup.whole_months(local(2024, 2, 10), local(2024, 2, 20)) is None
    assert rollup.month_of(local(2024, 7, 31, 23)) == dt.date(2024, 7, 1)  # local time, not UTC
    assert rollup.month_of(local(2024, 8, 1, 0)) == dt.date(2024, 8, 1)


def test_a_refresh_cut_short_leaves_the_figures_right(world, monkeypatch) -> None:
    """A refresh works in short transactions: one that stops after its first (a killed job
    worker) has folded in those buckets and left the others' changes waiting."""
    monkeypatch.setattr(rollup, "BUCKETS_PER_TRANSACTION", 3)
    rollup.rollup_refresh()
    Problem.objects.update(prominent=True)  # every bucket changes
    waiting = ProblemRollupChange.objects.count()
    real, calls = rollup._recount, []

    def recount(batch: list[rollup.Bucket]) -> int:
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(batch)

    monkeypatch.setattr(rollup, "_recount", recount)
    with pytest.raises(RuntimeError):
        rollup.rollup_refresh()
    assert 0 < ProblemRollupChange.objects.count() < waiting
    _check(world, monkeypatch)
    monkeypatch.setattr(rollup, "_recount", real)
    assert rollup.rollup_refresh().rebuilt is False
    assert not ProblemRollupChange.objects.exists()
    _check(world, monkeypatch)


def test_a_rebuild_reads_the_problems_until_it_is_done(world, monkeypatch) -> None:
    rollup.rollup_refresh()
    monkeypatch.setattr(rollup, "_recount", lambda batch: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        rollup.rollup_refresh(rebuild=True)
    assert rollup.pending() is None  # not built: the figures read the problems alone
    monkeypatch.undo()
    result = rollup.refresh_if_waiting()  # the minute job finishes it
    assert result is not None and result.rebuilt
    _check(world, monkeypatch)


def test_a_moved_unit_takes_its_problems_along(world, monkeypatch) -> None:
    """The loader moves 卓资山镇 from 卓资县 to 集宁区: its problems' paths are rewritten (a statement
    over many rows), the triggers name the old and the new county's buckets."""
    rollup.rollup_refresh()
    town = world["u"]["town_z"]
    old_path = town.path
    moved = make_units([UnitRow(town.code, town.name, UnitKind.TOWNSHIP, "150902000000", "town", town.code)])
    town = moved[town.code]
    assert not town.path.startswith(old_path[:9])
    assert Problem.objects.filter(path__startswith=town.path).exists()
    world["u"]["town_z"] = town
    waiting = rollup.pending()
    assert waiting is not None and {p for p, _m in waiting} >= {old_path[:9], town.path[:9]}
    _check(world, monkeypatch)
    rollup.rollup_refresh()
    _check(world, monkeypatch)


def test_a_deleted_problem_names_its_bucket(world) -> None:
    """As an import that fails removes what it wrote (events first, then the problems)."""
    rollup.rollup_refresh()
    p = Problem.objects.order_by("id").first()
    assert p is not None
    ProblemEvent.objects.filter(problem=p).delete()
    ProblemRollupChange.objects.all().delete()  # the events' trigger touched the row (last event)
    Problem.objects.filter(pk=p.pk).delete()
    assert list(ProblemRollupChange.objects.values_list("path", "registered_at")) == [
        (p.path, p.registered_at)
    ]


def test_a_shared_plan_is_read_once_and_changes_nothing(world, monkeypatch) -> None:
    """Within ``plans_shared`` (a bulletin's metrics) the figures and 满意率 of the same period plan
    their reading of the rollup once; every figure is the same as planned one at a time."""
    rollup.rollup_refresh()
    alone = _all_figures(world)
    planned: list[Any] = []
    real = rollup._plan

    def counted(*args: Any, **kwargs: Any) -> Any:
        planned.append((args, sorted(kwargs.items())))
        return real(*args, **kwargs)

    monkeypatch.setattr(rollup, "_plan", counted)
    with rollup.plans_shared():
        assert _all_figures(world) == alone
    shared = len(planned)
    planned.clear()
    assert _all_figures(world) == alone
    assert 0 < shared < len(planned)  # the same units and period were planned more than once alone
    assert len(set(map(repr, planned))) == shared
