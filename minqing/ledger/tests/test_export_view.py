"""The export download: login required, scoped, filtered, Chinese filename, audited."""

import csv
import io
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from minqing.core.models import AuditEvent
from minqing.ledger.enums import Action, Channel
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.views.export import problem_export
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db


def get(user, **query):
    request = RequestFactory().get("/ledger/export/", query)
    request.user = user
    return problem_export(request)


def numbers(response) -> set[str]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return {line[0] for line in list(csv.reader(io.StringIO(body)))[1:]}


def test_login_required(lw) -> None:
    response = get(AnonymousUser(), format="csv")
    assert response.status_code == 302


def test_csv_download_scoped_filtered_and_audited(lw) -> None:
    a1 = lw.submit(Channel.CALL).problem
    a2 = lw.submit(Channel.LETTER).problem
    b = lw.submit(unit_key="village_b").problem
    problem_transition(actor=SYSTEM, problem=a2, action=Action.ASSIGN, responsible_unit=lw.u["town_a"])
    response = get(lw.users["a_staff"], format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''" + quote("问题清单") in disposition
    assert numbers(response) == {a1.number, a2.number}
    assert numbers(get(lw.users["county_office"], format="csv")) == {a1.number, a2.number, b.number}
    assert numbers(get(lw.users["county_office"], format="csv", state="assigned")) == {a2.number}
    assert numbers(get(lw.users["county_office"], format="csv", channel="call")) == {a1.number}
    assert numbers(get(lw.users["county_office"], format="csv", unit="150902101000")) == {b.number}
    assert numbers(get(lw.users["a_staff"], format="csv", unit="150902101000")) == set()  # not in scope
    assert numbers(get(lw.users["county_office"], format="csv", q=a1.number[:12], source="public")) >= {
        a1.number
    }
    audits = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=lw.users["a_staff"])
    assert audits.count() == 2 and "format=csv" in audits[0].detail


def test_xlsx_and_bad_format(lw) -> None:
    lw.submit()
    response = get(lw.users["county_office"])
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert ".xlsx" in response["Content-Disposition"]
    assert get(lw.users["county_office"], format="pdf").status_code == 400
