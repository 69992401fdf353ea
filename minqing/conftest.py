"""Fixtures every test shares."""

from collections.abc import Iterator

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
