"""The problems import in bulk and, on SQLite, in short transactions: the same rows as the
services write, every row in or none (a failure after some batches were committed leaves
nothing), hidden from the public list until the last batch is in."""

from itertools import pairwise

import pytest
from django.db import IntegrityError

from minqing.core.importing import ImportFailed, get_importer
from minqing.core.importing import batches as batches_mod
from minqing.core.models import AuditEvent
from minqing.core.workdays import WorkCalendar
from minqing.ledger.enums import Action, State
from minqing.ledger.importers import problems as problems_mod
from minqing.ledger.importers.problems import import_problems
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.ledger.tests.test_import_problems import GOOD_ROWS, local, row, write_csv
from minqing.orgs.actors import SYSTEM

ROWS = [*GOOD_ROWS, *(row(问题编号=f"WT-B{i}", 标题=f"第{i}个") for i in range(7))]  # 12 rows


@pytest.fixture
def world(lw):
    from minqing.campaigns.models import Campaign
    from minqing.orgs.tests.factories import PersonFactory

    Campaign.objects.create(
        name="主题教育", scope=lw.u["county"], path=lw.u["county"].path, start_date=local(2019, 9, 1).date()
    )
    PersonFactory(number="P-LEAD-1", unit=lw.u["county"], name="张书记")
    return lw


@pytest.fixture
def short(monkeypatch):
    """Short transactions as on a live SQLite database, in batches of 5 rows, no pauses; the
    keys each publish saw, in order."""
    published: list[list[int]] = []
    real_publish = problems_mod.publish

    def publish(keys: list[int]) -> None:
        hidden = Problem.objects.filter(pk__in=keys, is_public=False).count()
        published.append([len(keys), hidden])
        real_publish(keys)

    monkeypatch.setattr(batches_mod, "short_transactions", lambda: True)
    monkeypatch.setattr(batches_mod, "BATCH_ROWS", 5)
    monkeypatch.setattr(batches_mod, "PAUSE_S", 0)
    monkeypatch.setattr(batches_mod, "PUBLISH_PAUSE_S", 0)
    monkeypatch.setattr(problems_mod, "publish", publish)
    return published


def _fail_on_batch(monkeypatch, n: int) -> list[int]:
    """The ``n``-th write batch fails as a database error would; the batches seen."""
    seen: list[int] = []
    real = problems_mod.write_batch

    def write_batch(batch):
        seen.append(len(batch))
        if len(seen) == n:
            raise IntegrityError("UNIQUE constraint failed: ledger_problem.number")
        return real(batch)

    monkeypatch.setattr(problems_mod, "write_batch", write_batch)
    return seen


def test_short_batches_import_every_row_hidden_then_public(world, tmp_path, short) -> None:
    res = import_problems(write_csv(tmp_path / "p.csv", ROWS), actor=SYSTEM)
    assert res.created == 12
    assert short == [[5, 5], [5, 5], [2, 2]]  # written hidden, then published batch by batch
    assert Problem.objects.count() == 12 and not Problem.objects.filter(is_public=False).exists()
    for p in Problem.objects.all():  # each problem's state is its last event's
        last = ProblemEvent.objects.filter(problem=p).order_by("at", "id").last()
        assert last is not None and last.to_state == p.state and p.version == p.events.count() - 1


def test_bulk_rows_match_what_the_services_write(world, tmp_path) -> None:
    import_problems(write_csv(tmp_path / "p.csv", [row(状态="已登记")]), actor=SYSTEM)
    imported = Problem.objects.get(number="WT-1")
    facts = ProblemFacts(
        title="路灯不亮",
        description="村口路灯坏了",
        unit=world.u["village_a"],
        source=imported.source,
        channel=imported.channel,
        campaign=imported.campaign,
        registered_at=imported.registered_at,
        number="SVC-1",
        extra={"import": "p.csv"},
    )
    made = problem_register(actor=SYSTEM, facts=facts, calendar=WorkCalendar())
    for field in ("accept_due", "due_date", "path", "urgency", "state", "is_public", "version", "title"):
        assert getattr(imported, field) == getattr(made, field), field
    ours, theirs = imported.events.get(), made.events.get()
    for field in ("at", "actor_id", "actor_name", "action", "from_state", "to_state", "public", "data"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.action == Action.REGISTER and ours.to_state == State.REGISTERED


def test_a_failure_in_a_later_batch_leaves_nothing(world, tmp_path, short, monkeypatch) -> None:
    problems_before, events_before = Problem.objects.count(), ProblemEvent.objects.count()
    seen = _fail_on_batch(monkeypatch, 3)
    importer = get_importer("problems")
    with pytest.raises(ImportFailed) as failed:
        importer(write_csv(tmp_path / "p.csv", ROWS), actor=SYSTEM)
    assert seen == [5, 5, 2] and short == []  # two batches were written before the failure
    assert "UNIQUE" in str(failed.value)
    assert (Problem.objects.count(), ProblemEvent.objects.count()) == (problems_before, events_before)
    row_ = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert row_.outcome == AuditEvent.Outcome.FAILURE and "not imported" in row_.detail


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_committed_batches_leaves_nothing(world, tmp_path, monkeypatch) -> None:
    """Real commits: no enclosing transaction, so every batch is its own (SQLite or PostgreSQL)."""
    monkeypatch.setattr(batches_mod, "PAUSE_S", 0)
    monkeypatch.setattr(batches_mod, "PUBLISH_PAUSE_S", 0)
    seen = _fail_on_batch(monkeypatch, 3)
    path = write_csv(tmp_path / "p.csv", ROWS)
    monkeypatch.setattr(batches_mod, "short_transactions", lambda: True)
    monkeypatch.setattr(batches_mod, "BATCH_ROWS", 5)
    with pytest.raises(ImportFailed):
        import_problems(path, actor=SYSTEM)
    assert len(seen) == 3
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_one_transaction_when_short_ones_are_off(world, tmp_path, monkeypatch) -> None:
    seen = _fail_on_batch(monkeypatch, 99)
    monkeypatch.setattr(batches_mod, "short_transactions", lambda: False)
    monkeypatch.setattr(batches_mod, "BATCH_ROWS", 5)
    import_problems(write_csv(tmp_path / "p.csv", ROWS), actor=SYSTEM)
    assert seen == [5, 5, 2] and Problem.objects.filter(is_public=True).count() == 12


@pytest.mark.django_db(transaction=True)
def test_rows_are_made_ready_before_each_write_transaction(world, tmp_path, monkeypatch) -> None:
    """The write lock is held for the inserts only: each batch's rows and events are computed
    outside the transaction that writes them."""
    from django.db import connection

    monkeypatch.setattr(batches_mod, "PAUSE_S", 0)
    monkeypatch.setattr(batches_mod, "PUBLISH_PAUSE_S", 0)
    monkeypatch.setattr(batches_mod, "short_transactions", lambda: True)
    monkeypatch.setattr(batches_mod, "BATCH_ROWS", 5)
    seen: list[tuple[str, bool]] = []
    real_prepare, real_write = problems_mod.prepare_batch, problems_mod.write_batch

    def prepare_batch(cands, **kw):
        seen.append(("prepare", connection.in_atomic_block))
        return real_prepare(cands, **kw)

    def write_batch(batch):
        seen.append(("write", connection.in_atomic_block))
        return real_write(batch)

    monkeypatch.setattr(problems_mod, "prepare_batch", prepare_batch)
    monkeypatch.setattr(problems_mod, "write_batch", write_batch)
    assert import_problems(write_csv(tmp_path / "p.csv", ROWS), actor=SYSTEM).created == 12
    assert seen == [("prepare", False), ("write", True)] * 3
    events = ProblemEvent.objects.order_by("id")
    assert [e.problem.number for e in events if e.action == Action.REGISTER] == [
        p.number for p in Problem.objects.order_by("id")
    ]  # each problem's events follow it, each under its own problem


@pytest.mark.django_db
@pytest.mark.parametrize("prepare_s", [0.0, 0.05, 0.5])
def test_preparing_the_next_batch_counts_towards_the_pause(monkeypatch, prepare_s) -> None:
    """Between two write transactions at least ``PAUSE_S`` pass, however long the next batch
    takes to prepare (no lock held then); only what preparing did not fill is slept."""
    from types import SimpleNamespace

    clock = [0.0]
    slept: list[float] = []
    spans: list[tuple[float, float]] = []  # each write transaction: (begin, end)

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    def prepare(chunk: list[int], _hidden: bool) -> list[int]:
        clock[0] += prepare_s
        return chunk

    def write(chunk: list[int], _hidden: bool) -> list[int]:
        begin = clock[0]
        clock[0] += 0.3
        spans.append((begin, clock[0]))
        return chunk

    monkeypatch.setattr(batches_mod, "time", SimpleNamespace(monotonic=lambda: clock[0], sleep=sleep))
    batches_mod.write_in_batches(
        list(range(6)), write, prepare=prepare, publish=lambda _k: None, remove=lambda _k: None, batch=2,
        short=True,
    )  # fmt: skip
    assert len(spans) == 3
    gaps = [b - a for (_b0, a), (b, _a1) in pairwise(spans)]
    assert all(g >= batches_mod.PAUSE_S - 1e-9 for g in gaps)
    assert gaps == pytest.approx([max(prepare_s, batches_mod.PAUSE_S)] * 2)
