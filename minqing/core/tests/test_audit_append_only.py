"""The audit trail is append-only: the application refuses every change and deletion, the admin
shows it read-only, and on PostgreSQL the database itself refuses them (docs/audit.md)."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from minqing.core.audit import audit
from minqing.core.models import AuditEvent, AuditImmutableError
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db
ON_PG = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only (SQLite has none)"
)


def one() -> AuditEvent:
    return audit(actor=SYSTEM, action=AuditEvent.Action.CREATE, object_type="x", object_id="1", detail="d")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda e: AuditEvent.save(e), id="save"),
        pytest.param(lambda e: e.delete(), id="delete"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).update(detail="changed"), id="update"),
        pytest.param(lambda e: AuditEvent.objects.filter(pk=e.pk).delete(), id="queryset delete"),
        pytest.param(lambda e: AuditEvent.objects.all().delete(), id="delete all"),
        pytest.param(lambda e: AuditEvent.objects.bulk_update([e], ["detail"]), id="bulk_update"),
    ],
)
def test_the_application_refuses_to_change_or_delete_a_row(change: Any) -> None:
    event = one()
    with pytest.raises(AuditImmutableError):
        change(event)
    assert AuditEvent.objects.get(pk=event.pk).detail == "d"


def test_deleting_a_user_leaves_the_rows_as_they_were() -> None:
    user = User.objects.create_user("leaver")
    event = audit(actor=user, action=AuditEvent.Action.LOGIN, obj=user)
    user.delete()
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.actor_id, row.actor_name) == (event.actor_id, "leaver")


def test_the_admin_shows_audit_rows_read_only() -> None:
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root_ro")
    event = one()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.get_actions(request)  # no bulk delete


@ON_PG
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET detail = 'changed' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "TRUNCATE core_auditevent",
    ],
    ids=["update", "delete", "truncate"],
)
def test_postgresql_refuses_raw_sql_changes(sql: str) -> None:
    event = one()
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk] if "%s" in sql else None)
    assert AuditEvent.objects.get(pk=event.pk).detail == "d"


@ON_PG
def test_postgresql_lets_only_the_archive_transaction_delete() -> None:
    event = one()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL minqing.audit_archive = 'on'")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    one()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL minqing.audit_archive = 'on'")
        cursor.execute("UPDATE core_auditevent SET detail = 'x'")  # never an update
