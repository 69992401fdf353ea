"""``similar_problems(actor, text, k)``: the open problems most like a new message.

The index is in-process (one per process), built lazily from the ledger's open problems
(title + description) on first use and kept up to date incrementally:

- each lookup first adds the problems registered since the last one (``id`` greater than the
  largest indexed id: one indexed query), as a new block of the index;
- the index is rebuilt from scratch when older than ``REBUILD_SECONDS`` or when the added
  blocks are many (a closed or edited problem stays in the index until then, harmlessly: the
  candidates are re-read from the ledger, and only open problems the actor may see are kept).

Why not a table of signatures: the postings of 1,000,000 messages fit in a few hundred MB of
numpy arrays and are searched in milliseconds (benchmarks/results/nlp_duplicates.md); a table
would add a write to every registration and a slower read for no gain at a county's scale.
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

from minqing.ledger.access import scoped_problems
from minqing.ledger.enums import OPEN_STATES
from minqing.nlp.duplicates.diff import only_in
from minqing.nlp.duplicates.index import ShingleIndex
from minqing.orgs.actors import Actor

REBUILD_SECONDS = 600
MAX_BLOCKS = 32
POOL = 200  # index candidates re-read from the ledger (then filtered by state and scope)


@dataclass(frozen=True)
class SimilarProblem:
    problem: Any  # ledger Problem
    score: float  # 0-1, IDF-weighted overlap of character bigrams (docs/nlp.md)
    only_in_message: list[str]  # words of the message not in the problem
    only_in_problem: list[str]  # words of the problem not in the message


def problem_text(title: str, description: str) -> str:
    return f"{title}\n{description}"


class _LedgerIndex:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index = ShingleIndex()
        self.last_id = 0
        self.built = 0.0

    def _rows(self, after: int) -> list[tuple[object, str]]:
        from minqing.ledger.models import Problem

        # a system read: the index holds every open problem; scoping happens on the results
        rows = (
            Problem.objects.filter(id__gt=after, state__in=OPEN_STATES)
            .order_by("id")
            .values_list("id", "title", "description")
        )
        return [(pid, problem_text(t, d)) for pid, t, d in rows.iterator(chunk_size=2000)]

    def current(self) -> ShingleIndex:
        with self.lock:
            stale = time.monotonic() - self.built > REBUILD_SECONDS or len(self.index.blocks) > MAX_BLOCKS
            if stale:
                self.index, self.last_id = ShingleIndex(), 0
                self.built = time.monotonic()
            new = self._rows(self.last_id)
            if new:
                self.index.add(new)
                self.last_id = max(int(str(pid)) for pid, _ in new)
            return self.index

    def reset(self) -> None:
        with self.lock:
            self.index, self.last_id, self.built = ShingleIndex(), 0, 0.0


_LEDGER = _LedgerIndex()


def reset_index() -> None:
    """Forget the in-process index (tests; after a bulk import)."""
    _LEDGER.reset()


def similar_problems(actor: Actor, text: str, k: int = 5, min_score: float = 0.0) -> list[SimilarProblem]:
    """The ``k`` open problems the actor may see that are most like ``text``, best first."""
    from minqing.ledger.models import Problem

    index = _LEDGER.current()
    hits = index.search(text, k=POOL)
    if not hits:
        return []
    score = {index.ids[n]: s for n, s in hits if s >= min_score}
    visible = scoped_problems(Problem.objects.filter(id__in=list(score), state__in=OPEN_STATES), actor)
    found = sorted(visible.select_related("unit", "category"), key=lambda p: (-score[p.id], p.id))[:k]
    out = []
    for p in found:
        other = problem_text(p.title, p.description)
        out.append(SimilarProblem(p, round(score[p.id], 4), only_in(text, other), only_in(other, text)))
    return out
