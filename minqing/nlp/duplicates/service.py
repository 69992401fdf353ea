"""``similar_problems(actor, text, k)``: the open problems most like a new message.

The index is in-process (one per process), built from the ledger's open problems (title +
description) and kept up to date incrementally:

- each lookup first adds the problems registered since the last one (``id`` greater than the
  largest indexed id: one indexed query, at most ``SYNC_ROWS`` rows), as a new block of the index;
- the index is rebuilt from scratch when older than ``REBUILD_SECONDS`` or when the added
  blocks are many (a closed or edited problem stays in the index until then, harmlessly: the
  candidates are re-read from the ledger, and only open problems the actor may see are kept).

A request never waits for a large build: the first build is done in the request only when the
open problems are few (at most ``SYNC_ROWS``); otherwise, and for every
rebuild, a background thread of the process builds the index while lookups answer "not ready"
(``Similar.ready`` false: the pages say 相似问题索引正在建立) or, for a rebuild, keep using the
current index until the new one is swapped in. ``warm_index()`` starts the build ahead of the
first request, in the process that will serve the lookups (e.g. from a gunicorn
``post_worker_init`` hook; docs/nlp.md): the index lives in that process's memory, so a separate
command or job process could not build it for the web workers.

Why not a table of signatures: the postings of 1,000,000 messages fit in a few hundred MB of
numpy arrays and are searched in milliseconds (benchmarks/results/nlp_duplicates.md); a table
would add a write to every registration and a slower read for no gain at a county's scale.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections, connection

from minqing.ledger.access import scoped_problems
from minqing.ledger.enums import OPEN_STATES
from minqing.nlp.duplicates.diff import only_in
from minqing.nlp.duplicates.index import TEXT_CHARS, ShingleIndex
from minqing.nlp.duplicates.shingles import Keys, shingles
from minqing.orgs.actors import Actor

log = logging.getLogger(__name__)

REBUILD_SECONDS = 600
MAX_BLOCKS = 32
POOL = 200  # index candidates re-read from the ledger (then filtered by state and scope)
# rows a request may index itself (5,000 messages: about 0.2 s of indexing on this machine, plus
# the read); a larger first build runs in the background
SYNC_ROWS = 5_000
BUILD_CHUNK = 20_000  # rows read at a time by a background build


@dataclass(frozen=True)
class SimilarProblem:
    problem: Any  # ledger Problem
    score: float  # 0-1, IDF-weighted overlap of character bigrams (docs/nlp.md)
    only_in_message: list[str]  # words of the message not in the problem
    only_in_problem: list[str]  # words of the problem not in the message

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class Similar:
    """A lookup's answer: ``ready`` false while the index is being built (no items then)."""

    ready: bool
    items: list[SimilarProblem] = field(default_factory=list)


def problem_text(title: str, description: str) -> str:
    return f"{title}\n{description}"


def _open_rows(after: int, limit: int | None = None) -> list[tuple[object, str]]:
    from minqing.ledger.models import Problem

    # a system read: the index holds every open problem; scoping happens on the results
    rows = (
        Problem.objects.filter(id__gt=after, state__in=OPEN_STATES)
        .order_by("id")
        .values_list("id", "title", "description")
    )
    if limit is not None:
        rows = rows[:limit]
    return [(pid, problem_text(t, d)) for pid, t, d in rows.iterator(chunk_size=2000)]


def _open_count(limit: int) -> int:
    """How many open problems there are, counted up to ``limit + 1`` (a bounded query)."""
    from minqing.ledger.models import Problem

    ids = Problem.objects.filter(state__in=OPEN_STATES).values_list("id", flat=True)[: limit + 1]
    return len(ids)


def _build() -> tuple[ShingleIndex, int]:
    """A fresh index of every open problem, read in chunks and added as one block (so that every
    document's weight uses the same IDF, as when the texts are added at once)."""
    ids: list[object] = []
    sets: list[Keys] = []
    last = 0
    while rows := _open_rows(last, limit=BUILD_CHUNK):
        ids.extend(pid for pid, _ in rows)
        sets.extend(shingles(text[:TEXT_CHARS]) for _, text in rows)
        last = int(str(rows[-1][0]))
    index = ShingleIndex()
    if ids:
        index.add_shingles(ids, sets)
    return index, last


class _LedgerIndex:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: ShingleIndex | None = None
        self.last_id = 0
        self.built = 0.0
        self.worker: threading.Thread | None = None
        self.generation = 0  # bumped by reset(): a background build of an older one is dropped

    def _current(self) -> ShingleIndex | None:
        """The index brought up to date with the problems registered since; None while the first
        build runs in the background (called with the lock held)."""
        if self.index is None:
            if self._building():
                return None
            if _open_count(SYNC_ROWS) > SYNC_ROWS:
                self._spawn()
                return None
            self.index, self.last_id = ShingleIndex(), 0
            self.built = time.monotonic()
        elif time.monotonic() - self.built > REBUILD_SECONDS or len(self.index.blocks) > MAX_BLOCKS:
            self._spawn()  # meanwhile the current index keeps answering
        new = _open_rows(self.last_id, limit=SYNC_ROWS)
        if new:
            self.index.add(new)
            self.last_id = int(str(new[-1][0]))
        return self.index

    def lookup(self, text: str, pool: int) -> list[tuple[object, float]] | None:
        """The ``pool`` best (problem id, score) for ``text``; None while the index is being built.
        Under the lock: an addition by another thread never races a search."""
        with self.lock:
            index = self._current()
            if index is None:
                return None
            return [(index.ids[n], s) for n, s in index.search(text, k=pool)]

    def _building(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    def _spawn(self) -> None:
        """Start a background build unless one is running (called with the lock held)."""
        if self._building():
            return
        self.worker = threading.Thread(
            target=self._run, args=(self.generation,), name="minqing-duplicates-index", daemon=True
        )
        self.worker.start()

    def _run(self, generation: int) -> None:
        started = time.monotonic()
        try:
            close_old_connections()
            index, last = _build()
        except Exception:  # a failed build leaves the current index in place; the next lookup retries
            log.exception("duplicates index build failed")
            return
        finally:
            connection.close()  # this thread's own connection
        with self.lock:
            if generation != self.generation:
                return
            self.index, self.last_id = index, last
            self.built = started
        log.info("duplicates index built: %d problems in %.1f s", len(index), time.monotonic() - started)

    def warm(self) -> None:
        with self.lock:
            if self.index is None or time.monotonic() - self.built > REBUILD_SECONDS:
                self._spawn()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running background build (commands, tests); true when none is left running."""
        worker = self.worker
        if worker is not None:
            worker.join(timeout)
        return not self._building()

    def reset(self) -> None:
        with self.lock:
            self.index, self.last_id, self.built = None, 0, 0.0
            self.generation += 1


_LEDGER = _LedgerIndex()


def reset_index() -> None:
    """Forget the in-process index (tests; after a bulk import)."""
    _LEDGER.reset()


def warm_index(wait: bool = False) -> bool:
    """Start building the index in the background now (at a process's start); with ``wait``, block
    until it is built. True when an index is ready."""
    _LEDGER.warm()
    if wait:
        _LEDGER.wait()
    return _LEDGER.index is not None


def find_similar(
    actor: Actor,
    text: str,
    *,
    k: int = 5,
    min_score: float = 0.0,
    exclude: int | None = None,
    roles: Any = None,
) -> Similar:
    """The ``k`` open problems the actor may see (with one of ``roles`` when given) that are most
    like ``text``, best first, ``exclude`` (a problem's id: the message's own problem) left out.
    Not ready (and empty) while the index is being built in the background."""
    from minqing.ledger.models import Problem

    hits = _LEDGER.lookup(text, POOL)
    if hits is None:
        return Similar(ready=False)
    score = {pid: s for pid, s in hits if s >= min_score and pid != exclude}
    if not score:
        return Similar(ready=True)
    qs = Problem.objects.filter(id__in=list(score), state__in=OPEN_STATES)
    visible = scoped_problems(qs, actor, roles)
    found = sorted(visible.select_related("unit", "category"), key=lambda p: (-score[p.id], p.id))[:k]
    out = []
    for p in found:
        other = problem_text(p.title, p.description)
        out.append(SimilarProblem(p, round(score[p.id], 4), only_in(text, other), only_in(other, text)))
    return Similar(ready=True, items=out)


def similar_problems(actor: Actor, text: str, k: int = 5, min_score: float = 0.0) -> list[SimilarProblem]:
    """The ``k`` open problems the actor may see that are most like ``text``, best first (none
    while the index is being built: ``find_similar`` says which)."""
    return find_similar(actor, text, k=k, min_score=min_score).items
