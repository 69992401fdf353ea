"""PostgreSQL: no JIT compilation for this database's sessions.

The dashboard's and the bulletins' grouped counts are estimated as expensive (a correlated
subquery per row, run for few rows in fact), which passes ``jit_above_cost``: PostgreSQL then
compiles each such query, about 0.2-0.7 s, longer than the query itself (a city's year
dashboard: 0.87 s with JIT, 0.49 s without, measured at the city tier). JIT pays off for long
analytical queries, not for pages. Set on the database, so it holds for every session, through
PgBouncer and on the replica too; a server where the migrating user may not alter the database
keeps its setting (then set ``jit = off`` in postgresql.conf: docs/deploy.md).
"""

from django.db import migrations

JIT_OFF = """
DO $$
BEGIN
    EXECUTE 'ALTER DATABASE ' || quote_ident(current_database()) || ' SET jit = off';
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left as it is: not allowed to alter the database';
END $$;
"""
JIT_DEFAULT = """
DO $$
BEGIN
    EXECUTE 'ALTER DATABASE ' || quote_ident(current_database()) || ' RESET jit';
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


def jit_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JIT_OFF)


def jit_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JIT_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_pg_trigger")]

    operations = [migrations.RunPython(jit_off, jit_default)]
