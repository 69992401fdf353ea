"""The audit page: the audit administrator's only (superusers too are refused), filtered, and
exported to csv and xlsx with cleaned cells, the export itself audited."""

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty

pytestmark = pytest.mark.django_db
URL = reverse("audit:events")


@pytest.fixture
def auditor() -> User:
    user = User.objects.create_user("auditor", is_staff=True)
    AdminDuty.objects.create(user=user, duty=Duty.AUDIT)
    return user


def as_user(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def rows() -> None:
    audit(
        actor=AnonymousUser(),
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_name="mallory",
        detail='=HYPERLINK("x")',
    )
    audit(actor=SYSTEM, action=AuditEvent.Action.CREATE, object_type="orgs.person", object_id="7")


@pytest.mark.parametrize("duty", [None, Duty.SYSTEM, Duty.SECURITY])
def test_everyone_but_the_audit_administrator_is_refused(duty: Any) -> None:
    root = User.objects.create_superuser("root")
    if duty:
        AdminDuty.objects.create(user=root, duty=duty)
    assert as_user(root).get(URL).status_code == 403
    assert as_user(root).get(URL, {"format": "csv"}).status_code == 403


def test_the_menu_links_the_page_for_the_audit_administrator_only(auditor: User) -> None:
    root = User.objects.create_superuser("root")
    home = reverse("orgs:home")
    assert URL in as_user(auditor).get(home, follow=True).content.decode()
    assert URL not in as_user(root).get(home, follow=True).content.decode()


def test_filters_newest_first(auditor: User, rows: None) -> None:
    c = as_user(auditor)
    page = c.get(URL).content.decode()
    assert page.index("orgs.person") < page.index("mallory")  # newest first
    query = {"account": "mallory", "action": "login_failed", "outcome": "failure"}
    filtered = c.get(URL, query).content.decode()
    assert "mallory" in filtered and "orgs.person" not in filtered
    assert "mallory" not in c.get(URL, {"object_type": "orgs.person"}).content.decode()
    assert "mallory" not in c.get(URL, {"start": "2000-01-01", "end": "2000-01-02"}).content.decode()


def test_english(auditor: User) -> None:
    c = as_user(auditor)
    c.cookies["django_language"] = "en"
    assert "Audit records" in c.get(URL).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_is_cleaned_and_audited(auditor: User, rows: None, fmt: str) -> None:
    r = as_user(auditor).get(URL, {"format": fmt, "account": "mallory"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        cells = [c for line in lines for c in line]
    else:
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        cells = [c.value for line in ws.iter_rows() for c in line]
    assert '\'=HYPERLINK("x")' in cells and '=HYPERLINK("x")' not in cells
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.actor_name == "auditor" and export.object_type == "core.auditevent"
    assert "account=mallory" in export.detail and "rows=2" in export.detail  # the header and one row
