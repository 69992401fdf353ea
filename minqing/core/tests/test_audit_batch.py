"""The automatic audit rows of one transaction are written with one INSERT when it commits
(``core.audit_writes``), with every row a hook per row wrote: in order, none for a savepoint or
a transaction rolled back, the service's own row standing in for the automatic one, and the
trail's fingerprint taken over them as over any rows."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from minqing.core.audit import audit
from minqing.core.audit_context import audit_context
from minqing.core.audit_writes import written_before_commit
from minqing.core.backup import fingerprint
from minqing.core.models import AuditEvent, WorkdayOverride
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(object_type="core.workdayoverride").order_by("pk")
    return list(rows.values_list("action", "object_type", "object_id"))


def _audit_inserts(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_auditevent"'))


def test_the_rows_of_a_transaction_are_one_insert_in_order() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        days = [WorkdayOverride.objects.create(date=f"2020-03-0{d}", is_workday=False) for d in (1, 2, 3)]
        days[0].is_workday = True
        days[0].save(update_fields=["is_workday"])
    assert _audit_inserts(queries) == 1
    pks = [str(d.pk) for d in days]
    assert _rows() == [
        ("create", "core.workdayoverride", pks[0]),
        ("create", "core.workdayoverride", pks[1]),
        ("create", "core.workdayoverride", pks[2]),
        ("update", "core.workdayoverride", pks[0]),
    ]
    last = AuditEvent.objects.filter(object_type="core.workdayoverride").order_by("pk").last()
    assert last is not None and last.detail == "fields: is_workday"


def test_a_rolled_back_savepoint_drops_its_rows_and_keeps_the_others() -> None:
    with transaction.atomic():
        first = WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
        try:
            with transaction.atomic():
                WorkdayOverride.objects.create(date="2020-03-02", is_workday=False)
                raise RuntimeError
        except RuntimeError:
            pass
        last = WorkdayOverride.objects.create(date="2020-03-03", is_workday=False)
    assert _rows() == [
        ("create", "core.workdayoverride", str(first.pk)),
        ("create", "core.workdayoverride", str(last.pk)),
    ]


def test_a_savepoint_rolled_back_after_the_last_row_keeps_the_earlier_ones() -> None:
    with transaction.atomic():
        first = WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
        try:
            with transaction.atomic():  # the batch's flush hook is registered in here
                WorkdayOverride.objects.create(date="2020-03-02", is_workday=False)
                raise RuntimeError
        except RuntimeError:
            pass
    assert _rows() == [("create", "core.workdayoverride", str(first.pk))]


def test_a_rolled_back_transaction_writes_no_row() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
        raise RuntimeError
    assert _rows() == []
    WorkdayOverride.objects.create(date="2020-03-05", is_workday=False)  # the next one: its own row
    assert [r[0] for r in _rows()] == ["create"]


def test_a_service_row_stands_in_for_the_automatic_one() -> None:
    with transaction.atomic():
        day = WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
        other = WorkdayOverride.objects.create(date="2020-03-02", is_workday=False)
        audit(actor=SYSTEM, action="create", obj=day, detail="by the service")
    rows = list(
        AuditEvent.objects.filter(object_type="core.workdayoverride")
        .order_by("pk")
        .values_list("object_id", "detail")
    )
    assert rows == [(str(day.pk), "by the service"), (str(other.pk), "")]


def test_the_rows_take_the_actor_and_address_of_their_context() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="probe")
    with audit_context(request=request), transaction.atomic():
        WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
        WorkdayOverride.objects.create(date="2020-03-02", is_workday=False)
    mine = AuditEvent.objects.filter(object_type="core.workdayoverride")
    rows = set(mine.values_list("ip", "user_agent", "actor_name", "actor"))
    assert len(mine) == 2
    assert rows == {("198.51.100.9", "probe", audit(actor=SYSTEM, action="login").actor_name, None)}


def test_written_before_commit_writes_them_in_the_transaction_with_one_insert() -> None:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries, written_before_commit():
            WorkdayOverride.objects.create(date="2020-03-01", is_workday=False)
            WorkdayOverride.objects.create(date="2020-03-02", is_workday=False)
        assert _audit_inserts(queries) == 1
        assert len(_rows()) == 2  # before the commit
    assert len(_rows()) == 2  # and not again at the commit


def test_the_fingerprint_verifies_batched_rows() -> None:
    with transaction.atomic():
        for d in (1, 2, 3):
            WorkdayOverride.objects.create(date=f"2020-03-0{d}", is_workday=False)
    with connection.cursor() as cursor:
        taken = fingerprint.take(cursor)
        assert taken.rows == AuditEvent.objects.count() and taken.gaps == []
        assert fingerprint.check(cursor, taken) == []
