"""Generating, publishing and checking bulletins (templates: ``test_bulletin_templates``)."""

import datetime as dt

import pytest

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.services import (
    bulletin_check,
    bulletin_check_record,
    bulletin_generate,
    bulletin_publish,
    published_doc,
)
from minqing.reports.models import Bulletin, BulletinTemplate
from minqing.reports.tests.test_bulletin_world import AS_OF, at, isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db


def value(doc, mid):
    row = doc.figure(mid)
    assert row is not None
    return row.value


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def bw():
    return make_bulletin_world()


def test_generate_counts_from_the_records(bw):
    doc = bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert doc.title == "集宁区第二批主题教育简报"
    assert doc.paragraphs == [
        "截至2019年12月20日，集宁区共举办活动2次，占计划的50%。",
        "投入资金17.75亿元，联系群众56万户。",
    ]
    values = {f.id: f.value for f in doc.figures}
    assert values == {"test.sessions": 2, "test.share": 0.5, "test.funds": 17.75, "test.households": 560000}
    assert doc.printed == ["test.sessions", "test.share", "test.funds", "test.households"]
    labels = {f.id: (f.label, f.word, f.kind) for f in doc.figures}
    assert labels["test.funds"] == ("投入资金", "亿元", "amount")
    town = bulletin_generate(actor=SYSTEM, unit=bw.u["town_a"], as_of=AS_OF, campaign=bw.campaign)
    assert value(town, "test.sessions") == 1


def test_generate_checks_the_actor_scope(bw):
    doc = bulletin_generate(unit=bw.u["town_a"], as_of=AS_OF, campaign=bw.campaign, actor=bw.users["a_staff"])
    assert value(doc, "test.sessions") == 1
    with pytest.raises(PermissionDeniedError):
        bulletin_generate(unit=bw.u["town_b"], as_of=AS_OF, campaign=bw.campaign, actor=bw.users["a_staff"])


def test_generate_without_a_template_or_with_an_unregistered_metric(bw):
    BulletinTemplate.objects.filter(kind=bw.campaign.kind).delete()
    with pytest.raises(DomainError) as e:
        bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert e.value.code is ErrorCode.BULLETIN_NO_TEMPLATE
    BulletinTemplate.objects.create(kind=bw.campaign.kind, title="{unit}", body="{study.unknown}次")
    with pytest.raises(DomainError) as e:
        bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert e.value.code is ErrorCode.BULLETIN_UNKNOWN_METRIC and e.value.params["name"] == "study.unknown"


def test_publish_freezes_text_figures_and_template(bw):
    b = bulletin_publish(
        actor=bw.users["county_office"], unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign
    )
    assert b.number == 1 and b.path == bw.u["county"].path and b.published_by == bw.users["county_office"]
    assert (
        b.text
        == "截至2019年12月20日，集宁区共举办活动2次，占计划的50%。\n投入资金17.75亿元，联系群众56万户。"
    )
    assert b.figures["test.sessions"] == {
        "value": 2,
        "label": "活动",
        "word": "次",
        "kind": "count",
        "definition": "测试:活动次数",
        "printed": True,
    }
    assert b.figures["test.share"]["value"] == 0.5
    assert "{test.sessions}" in b.template_body and b.template_title == "{unit}{campaign}简报"
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="reports.bulletin").count()
        == 1
    )
    # editing the template later changes nothing published
    BulletinTemplate.objects.filter(kind=bw.campaign.kind).update(body="{test.sessions}")
    doc = published_doc(Bulletin.objects.get(pk=b.pk))
    assert doc.paragraphs[0].startswith("截至2019年12月20日") and value(doc, "test.funds") == 17.75
    again = bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert again.number == 2


def test_publish_needs_the_office_and_a_past_date(bw):
    for name, unit in (
        ("a_staff", "town_a"),
        ("viewer", "county"),
        ("a_office", "county"),
        ("norole", "town_a"),
    ):
        with pytest.raises(PermissionDeniedError):
            bulletin_publish(actor=bw.users[name], unit=bw.u[unit], as_of=AS_OF, campaign=bw.campaign)
    assert not Bulletin.objects.exists()
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(DomainError) as e:
        bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=tomorrow, campaign=bw.campaign)
    assert e.value.code is ErrorCode.BULLETIN_FUTURE_DATE
    b = bulletin_publish(actor=bw.users["a_office"], unit=bw.u["town_a"], as_of=AS_OF, campaign=bw.campaign)
    assert b.figures["test.sessions"]["value"] == 1


def test_records_dated_after_the_as_of_date_change_nothing(bw):
    b = bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    bw.activity("town_a", at(21, 12))  # the day after the as-of date
    bw.activity("town_b", at(5, 1, 2020))
    assert bulletin_check(b) == []
    regenerated = bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    assert regenerated.text == b.text
    assert {f.id: f.value for f in regenerated.figures} == {k: v["value"] for k, v in b.figures.items()}


def test_a_back_dated_record_is_reported(bw):
    b = bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    bw.activity("town_a", at(20, 12, hour=20))  # entered late, dated on the as-of day
    changes = {c.id: c for c in bulletin_check(b)}
    assert set(changes) == {"test.sessions", "test.share", "test.funds", "test.households"}
    assert (changes["test.sessions"].published, changes["test.sessions"].now) == (2, 3)
    assert (changes["test.share"].published, changes["test.share"].now) == (0.5, 0.75)
    assert changes["test.sessions"].printed
    # the published bulletin itself stays as it was
    b.refresh_from_db()
    assert "2次" in b.text and b.checked_at is None
    checked = bulletin_check_record(actor=bw.users["viewer"], bulletin=b)
    assert checked.checked_at is not None
    assert {c["id"] for c in checked.changes} == set(changes)
    assert next(c for c in checked.changes if c["id"] == "test.sessions")["now"] == 3


def test_check_reports_a_metric_no_longer_defined(bw):
    from minqing.reports.metrics.registry import METRICS

    b = bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    del METRICS["test.households"]
    changes = bulletin_check(b)
    assert [(c.id, c.now) for c in changes] == [("test.households", None)]


def test_check_record_is_scoped(bw):
    b = bulletin_publish(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)
    with pytest.raises(PermissionDeniedError):
        bulletin_check_record(actor=bw.users["a_staff"], bulletin=b)
    b.refresh_from_db()
    assert b.checked_at is None
