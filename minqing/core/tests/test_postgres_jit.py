"""PostgreSQL: every new session of the migrated database runs without JIT compilation (core
migration 0007), whoever connects: the web workers, PgBouncer's server connections, the replica."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_new_session_has_jit_off() -> None:
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as fresh:
        assert fresh.execute("SHOW jit").fetchone() == ("off",)
