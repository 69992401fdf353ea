"""Fixtures every test shares."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    """Every test starts in Chinese, the primary language, and cannot leak another one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _huey_immediate() -> Iterator[None]:
    """huey runs tasks in-process, on in-memory storage: no consumer, no var/huey.sqlite3."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_trigger() -> Iterator[None]:
    """On PostgreSQL the audit table refuses TRUNCATE (docs/audit.md) except in the archive's
    transaction; the flush after a ``transaction=True`` test (the browser tests) empties every
    table, so it runs as that transaction does."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    ops = type(connection.ops)
    real = ops.sql_flush

    def sql_flush(self: Any, *args: Any, **kwargs: Any) -> list[str]:
        sql = real(self, *args, **kwargs)
        return ["SET LOCAL minqing.audit_archive = 'on'", *sql] if sql else sql

    ops.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    ops.sql_flush = real  # type: ignore[method-assign]
