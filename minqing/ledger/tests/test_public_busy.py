"""The public form when the database is busy (another writer past the busy timeout): nothing
stored, a 503 page in Chinese (and English) that keeps what was typed, and never a complaint
stored without its tracking code shown, even when the failing write is an audit row."""

import pytest
from django.db import OperationalError

from minqing.core import audit_writes
from minqing.core.models import AuditEvent, RateLimitHit
from minqing.ledger.models import Feedback, FeedbackIdentity, Problem, ProblemEvent
from minqing.ledger.views import public

pytestmark = pytest.mark.django_db

SUBMIT = "/public/submit/"
BUSY_ZH = "系统正忙,您的反映未能保存,也没有生成查询码"
BUSY_EN = "The system is busy"


def _form(lw, **extra):
    return {
        "title": "楼道灯坏了",
        "content": "3 号楼楼道灯坏了一个月",
        "unit_code": lw.u["village_a"].code,
        **extra,
    }


def _nothing_stored() -> None:
    assert not Feedback.objects.exists() and not FeedbackIdentity.objects.exists()
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()
    assert not RateLimitHit.objects.exists()  # the submission's count is given back too
    assert not AuditEvent.objects.filter(object_type__startswith="ledger.").exists()


def test_a_locked_database_gives_a_503_retry_page_and_stores_nothing(client, lw, monkeypatch) -> None:
    real = public.feedback_submit

    def locked(**kw):
        real(**kw)  # half way: the problem and the feedback are written, then the lock is lost
        raise OperationalError("database is locked")

    monkeypatch.setattr(public, "feedback_submit", locked)
    r = client.post(SUBMIT, _form(lw, name="周九", phone="13600001234"))
    page = r.content.decode()
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert BUSY_ZH in page and "楼道灯坏了" in page  # what was typed is still there
    _nothing_stored()


def test_the_retry_page_in_english(client, lw, monkeypatch) -> None:
    def locked(**kw):
        raise OperationalError("database is locked")

    monkeypatch.setattr(public, "feedback_submit", locked)
    client.cookies.load({"django_language": "en"})
    r = client.post(SUBMIT, _form(lw), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 503 and BUSY_EN in r.content.decode()


def test_an_audit_row_that_cannot_be_written_fails_the_submission(client, lw, monkeypatch) -> None:
    """Before: audit rows were written after the commit, so a locked database there answered 500
    for a complaint already stored. Now they are in its transaction."""

    def audit_fails(*a, **kw):
        raise OperationalError("database is locked")

    # the automatic rows of a transaction are one bulk INSERT (core.audit_writes)
    monkeypatch.setattr("minqing.core.audit.AuditEvent.objects.bulk_create", audit_fails)
    r = client.post(SUBMIT, _form(lw))
    assert r.status_code == 503 and BUSY_ZH in r.content.decode()
    monkeypatch.undo()
    _nothing_stored()


def test_a_submission_and_its_audit_rows_are_one_transaction(client, lw) -> None:
    r = client.post(SUBMIT, _form(lw, name="周九"))
    fb = Feedback.objects.get()
    assert r.status_code == 200 and fb.tracking_code in r.content.decode()
    audited = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"ledger.problem", "ledger.feedback", "ledger.feedbackidentity"} <= audited


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_written_before_commit_needs_a_transaction() -> None:
    with pytest.raises(RuntimeError), audit_writes.written_before_commit():
        pass
