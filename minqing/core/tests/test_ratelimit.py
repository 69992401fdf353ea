"""The public rate limit: check and record are one step, also when requests race (issue 16, #11)."""

import threading

import pytest
from django.db import connection

from minqing.core.models import RateLimitHit
from minqing.core.ratelimit import rate_exceeded, rate_take

LIMIT = 10
RACERS = 24


@pytest.mark.django_db
def test_take_then_refuse_per_client() -> None:
    def take(client: str, limit: int = 2) -> bool:
        return rate_take(scope="t", client=client, limit=limit, window=3600)

    assert [take("a") for _ in range(3)] == [True, True, False]
    assert rate_exceeded(scope="t", client="a", limit=2, window=3600)
    assert not rate_exceeded(scope="t", client="b", limit=2, window=3600)
    assert take("b")
    assert RateLimitHit.objects.count() == 3
    assert all(take("a", limit=0) for _ in range(3))  # zero disables: nothing counted
    assert RateLimitHit.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_racing_requests_pass_exactly_the_limit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so requests cannot race; CI runs this on PostgreSQL")
    barrier = threading.Barrier(RACERS)
    passed: list[bool] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait()
            passed.append(rate_take(scope="race", client="9.9.9.9", limit=LIMIT, window=3600))
        except BaseException as err:  # reported by the main thread
            errors.append(err)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=request) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert passed.count(True) == LIMIT and len(passed) == RACERS
    assert RateLimitHit.objects.filter(key="race:9.9.9.9").count() == LIMIT
