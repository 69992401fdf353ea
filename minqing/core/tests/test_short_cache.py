"""``ShortCache``: a read is kept for its seconds, read again after them, emptied by a write of a
watched model in the process, and not kept at all with 0 seconds."""

from typing import Any

import pytest

from minqing.core import short_cache
from minqing.core.short_cache import ShortCache
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db


def test_kept_for_its_seconds_then_read_again(monkeypatch: Any) -> None:
    seconds = [5.0]
    cache = ShortCache("test-seconds", lambda: seconds[0])
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert cache.get("k", read) == 1
    assert cache.get("k", read) == 1 and len(reads) == 1
    later = short_cache.time.monotonic() + 5.1
    monkeypatch.setattr(short_cache.time, "monotonic", lambda: later)
    assert cache.get("k", read) == 2
    seconds[0] = 0  # off: every call reads
    assert cache.get("k", read) == 3 and cache.get("k", read) == 4


def test_a_write_of_a_watched_model_empties_it() -> None:
    tree = small_tree()
    cache = ShortCache("test-watch", lambda: 60)
    cache.watch(Unit)
    county = tree["county"]
    assert cache.get("name", lambda: Unit.objects.get(pk=county.pk).name) == county.name
    county.name = "新名称"
    county.save()
    assert cache.get("name", lambda: Unit.objects.get(pk=county.pk).name) == "新名称"
