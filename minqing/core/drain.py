"""``Drain``: rows kept before an answer and done by the job worker after it (the API's queued
registrations, Open311's queued requests).

- ``schedule(start)``: after a row is kept, start the job unless this process started one in the
  last ``EVERY`` seconds that has not begun yet (a flag in the Django cache); the job clears the
  flag before it reads the rows, so a row kept meanwhile always has a job after it. A minute job
  of each app runs ``run`` too: whatever a lost job left is done within a minute.
- ``run(todo, one)``: ``one(pk)`` for every row of ``todo``, oldest first, in batches; ``one``
  claims its row itself (``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite the write lock) and
  answers its outcome, or ``None`` when another worker holds it or it is done.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.cache import cache
from django.db.models import QuerySet

EVERY = 2  # seconds: the most a kept row waits for its job
BATCH = 100


@dataclass(frozen=True)
class Drain:
    flag: str  # the Django cache key of "a job is started and has not begun"
    outcomes: tuple[str, ...]  # what ``one`` answers; ``run`` counts each, from 0
    every: ClassVar[list["Drain"]] = []

    def __post_init__(self) -> None:
        Drain.every.append(self)

    def schedule(self, start: Callable[[], object]) -> None:
        if cache.add(self.flag, 1, timeout=EVERY):
            start()

    def run(self, todo: QuerySet[Any], one: Callable[[int], str | None]) -> dict[str, int]:
        cache.delete(self.flag)
        counts = dict.fromkeys(self.outcomes, 0)
        after = 0
        while ids := list(todo.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH]):
            for pk in ids:
                outcome = one(pk)
                if outcome is not None:
                    counts[outcome] += 1
            after = ids[-1]
        return counts

    @classmethod
    def forget_every(cls) -> None:
        """Clear every flag (tests: a job flushed unrun leaves its flag behind)."""
        cache.delete_many([d.flag for d in cls.every])
