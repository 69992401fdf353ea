"""``until_written``: a write that meets a database restart is tried again until it lands, and
gives up (raising) when the database stays away, or at once inside the caller's transaction."""

import pytest
from django.db import OperationalError, transaction

from minqing.core.db_retry import until_written


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise OperationalError("server closed the connection unexpectedly")
        return "written"


def test_a_write_is_tried_again_with_growing_pauses_until_it_lands() -> None:
    pauses: list[float] = []
    write = Flaky(failures=3)
    assert until_written(write, seconds=30, sleep=pauses.append) == "written"
    assert write.calls == 4
    assert pauses == [0.2, 0.4, 0.8]


def test_it_gives_up_when_the_database_stays_away() -> None:
    write = Flaky(failures=10**6)
    with pytest.raises(OperationalError):
        until_written(write, seconds=0.5, sleep=lambda s: None)
    assert 1 < write.calls < 10**6


@pytest.mark.django_db
def test_inside_the_callers_transaction_it_does_not_retry() -> None:
    write = Flaky(failures=1)
    with pytest.raises(OperationalError), transaction.atomic():
        until_written(write, seconds=30, sleep=lambda s: None)
    assert write.calls == 1
