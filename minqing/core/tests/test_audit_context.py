"""The audit context: a bulk load writes one summary row instead of one per record; a service
called by a view records the view's address and browser."""

from typing import Any

import pytest
from django.test import RequestFactory

from minqing.core.audit import USER_AGENT_MAX, audit
from minqing.core.audit_context import audit_context, bulk_writes
from minqing.core.models import AuditEvent, WorkdayOverride
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_bulk_load_writes_one_summary_row(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), bulk_writes("demo test"):
        for day in range(1, 4):
            WorkdayOverride.objects.create(date=f"2020-03-0{day}", is_workday=False)
    rows = list(AuditEvent.objects.values_list("action", "object_type", "detail"))
    assert rows == [("import", "bulk", "demo test: 3 writes (core.workdayoverride 3)")]


def test_without_a_bulk_load_each_write_is_a_row(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 4):
            WorkdayOverride.objects.create(date=f"2020-03-0{day}", is_workday=False)
    assert AuditEvent.objects.filter(action="create", object_type="core.workdayoverride").count() == 3


def test_a_service_row_takes_the_request_s_address_and_browser() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="x" * 500)
    with audit_context(request=request):
        event = audit(actor=SYSTEM, action=AuditEvent.Action.CREATE, object_type="t", object_id="1")
    assert event.ip == "198.51.100.7" and event.user_agent == "x" * USER_AGENT_MAX
