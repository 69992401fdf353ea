"""``ShortCache``: a process-local memo of reads that rarely change (a jurisdiction's unit, the
services it offers, a service's attributes), kept ``seconds`` and emptied at once by any save or
delete of the models it reads made in this process (``watch``: Django's signals). Another
process's change is seen within ``seconds``; 0 turns it off (every call reads).

For hot write paths whose checks read the same catalogue rows on every call (Open311 POSTs):
those reads cost more than the write itself."""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
MAX_ENTRIES = 10_000


class ShortCache:
    every: list["ShortCache"] = []

    def __init__(self, name: str, seconds: Callable[[], float]) -> None:
        self.name = name
        self._seconds = seconds
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        ShortCache.every.append(self)

    @classmethod
    def clear_every(cls) -> None:
        """Empty them all (tests: a rolled-back transaction sends no signal)."""
        for one in cls.every:
            one.clear()

    def get(self, key: Hashable, read: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
        """The value kept for ``key``, or ``read()`` kept for the seconds (unless ``keep`` says
        not to keep it: an unknown API key is read again on its next call)."""
        seconds = self._seconds()
        if seconds <= 0:
            return read()
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = read()
        if keep is not None and not keep(value):
            self._entries.pop(key, None)
            return value
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (now + seconds, value)
        return value

    def clear(self, **_kwargs: object) -> None:
        with self._lock:
            self._entries.clear()

    def watch(self, *models: type[Model]) -> None:
        """Empty the cache on every save or delete of ``models`` in this process."""
        for model in models:
            for signal in (post_save, post_delete):
                uid = f"short-cache-{self.name}-{model.__name__}"
                signal.connect(self.clear, sender=model, weak=False, dispatch_uid=uid)
