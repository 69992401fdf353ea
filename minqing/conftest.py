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


@pytest.fixture(autouse=True)
def _fresh_webhook_subscriptions() -> None:
    """Each test starts without the webhook emitter's cached subscriptions of an earlier test
    (rolled back without a signal)."""
    from minqing.webhooks.emit import forget_subscriptions

    forget_subscriptions()


@pytest.fixture(autouse=True)
def _fresh_short_caches() -> None:
    """Each test starts without the keys and catalogue rows a worker keeps for a few seconds
    (``minqing.core.short_cache``: an earlier test's were rolled back without a signal) and
    without a drain job's flag an earlier test left (``minqing.core.drain``), nor the similar
    problems' in-process index of an earlier test's problems (rolled back, their ids reused)."""
    from minqing.core.drain import Drain
    from minqing.core.short_cache import ShortCache
    from minqing.nlp.duplicates.service import reset_index

    ShortCache.clear_every()
    Drain.forget_every()
    reset_index()


@pytest.fixture(autouse=True)
def _metric_lane_closed() -> Iterator[None]:
    """A test that ran a bulletin's figures in two lanes (outside a transaction, on PostgreSQL)
    leaves no connection of the second lane open: the test database can be flushed or dropped."""
    yield
    from minqing.reports.metrics import lanes

    lanes.close()


@pytest.fixture
def jobs_held() -> Iterator[None]:
    """The job worker is away: a job queued in the test waits (huey not immediate) and is
    flushed unrun at its end; the test runs the work itself (e.g. ``queued.drain()``)."""
    from huey.contrib.djhuey import HUEY

    from minqing.core.drain import Drain

    HUEY.immediate = False
    HUEY.storage.flush_queue()
    yield
    HUEY.storage.flush_queue()
    HUEY.immediate = True
    Drain.forget_every()  # the flags of the jobs flushed


@pytest.fixture(autouse=True, scope="session")
def _messages_to_a_temporary_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The file sender (the default for e-mail and SMS) writes under the test run's temporary
    directory, never into var/ (``minqing.notify``; the ``sent_file`` fixtures give a fresh file)."""
    settings.MINQING_SENDER_FILE = tmp_path_factory.mktemp("sent") / "sent-messages.jsonl"
    yield


@pytest.fixture(autouse=True, scope="session")
def _photos_to_a_temporary_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Photos (``minqing.photos``) are stored under the test run's temporary directory, never in
    var/ (the photo tests' ``photo_root`` fixture gives each test a fresh one)."""
    from django.test import override_settings

    storages = {**settings.STORAGES}
    storages["photos"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("photos")), "base_url": None},
    }
    with override_settings(STORAGES=storages):
        yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "plain_login: force_login signs in without the second factor (tests of the second factor itself)",
    )


@pytest.fixture(autouse=True)
def _test_logins_verify_the_second_factor(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``client.force_login(user)`` and ``client.login(...)`` in tests that are not about the
    second factor also verify the session with a real TOTP device of the user's
    (``minqing.accounts.testing``), as the sign-in's code step does: office and admin users then
    reach their pages as after a real sign-in, through the same middleware. Tests about the
    second factor mark themselves ``plain_login`` and get Django's client unchanged."""
    if request.node.get_closest_marker("plain_login"):
        return
    from django.test import Client

    from minqing.accounts.testing import mark_verified

    plain = Client._login  # type: ignore[attr-defined] # what force_login and login both end with

    def _login(self: Client, user: Any, backend: str | None = None) -> None:
        plain(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "_login", _login)


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


@pytest.fixture(autouse=True)
def _seeds_back_after_a_flush(request: pytest.FixtureRequest) -> None:
    """A transaction test's database is emptied after it, the data migrations' rows with it (the
    activity types, the deadline rules, the problem taxonomy): a later transaction test finds
    them missing depending on the order tests run in. Each transaction test starts with them."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from minqing.activities.types_seed import load_default_types
    from minqing.ledger.rules_seed import seed_rules
    from minqing.ledger.taxonomy import load_shipped

    if not apps.get_model("activities", "ActivityType").objects.exists():
        load_default_types(apps, None)
    if not apps.get_model("ledger", "DeadlineRule").objects.exists():
        seed_rules(apps.get_model("ledger", "DeadlineRule"))
    if not apps.get_model("ledger", "Category").objects.exists():
        load_shipped(apps, None)
