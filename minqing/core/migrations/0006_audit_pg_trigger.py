"""On PostgreSQL, a trigger refuses UPDATE, DELETE and TRUNCATE of the audit table, except a
DELETE or TRUNCATE in a transaction that set ``SET LOCAL minqing.audit_archive = 'on'`` (the
archive job, after it wrote and verified the archive). Nothing on SQLite (docs/audit.md)."""

from typing import Any

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION minqing_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
       AND coalesce(current_setting('minqing.audit_archive', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only: % refused (审计记录只能追加)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION minqing_audit_append_only();
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION minqing_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS minqing_audit_append_only();
"""


def _on_postgresql(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_append_only")]

    operations = [
        migrations.RunPython(_on_postgresql(FUNCTION + TRIGGERS), _on_postgresql(DROP), elidable=False),
    ]
