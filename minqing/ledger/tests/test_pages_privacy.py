"""Informant protection on pages: the accused unit never sees who reported; every reveal is audited."""

import pytest
from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.ledger.enums import Action, Channel
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import REPORTER_NAME, REPORTER_PHONE, assigned_problem, login
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _reveal(client, problem):
    return client.post(reverse("ledger:reveal", args=[problem.number]))


def test_reveal_for_the_office_and_intake_is_audited(client, lw):
    p = assigned_problem(lw)
    for user in ("county_office", "county_intake", "root"):
        c = login(client, lw.users[user])
        page = c.get(reverse("ledger:detail", args=[p.number])).content.decode()
        assert "查看反映人信息" in page and REPORTER_NAME not in page and REPORTER_PHONE not in page
        before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).count()
        r = _reveal(c, p)
        html = r.content.decode()
        assert r.status_code == 200 and REPORTER_NAME in html and REPORTER_PHONE in html
        rows = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).order_by("-id")
        assert rows.count() == before + 1
        row = rows.first()
        assert row is not None
        assert row.actor == lw.users[user] and row.object_type == "ledger.feedbackidentity"
        assert p.number in row.detail and row.ip == "127.0.0.1"


def test_reveal_needs_post(client, lw):
    p = assigned_problem(lw)
    r = login(client, lw.users["county_office"]).get(reverse("ledger:reveal", args=[p.number]))
    assert r.status_code == 405
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


@pytest.mark.parametrize("user", ["a_staff", "village_a_staff", "viewer", "county_leader", "b_staff"])
def test_reveal_refused_with_404_and_nothing_written(client, lw, user):
    p = assigned_problem(lw, "town_a", "town_a")
    c = login(client, lw.users[user])
    r = _reveal(c, p)
    assert r.status_code == 404
    assert REPORTER_NAME not in r.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_accused_units_users_never_see_the_reporter_anywhere(client, lw):
    """Walk every page a user of the accused unit (town A and below) can open for the problem."""
    p = assigned_problem(lw, "town_a", "town_a")
    clerk_fb = lw.submit(Channel.CALL, unit_key="town_a", actor=lw.users["county_intake"])
    problem_transition(
        actor=lw.users["county_office"],
        problem=clerk_fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    codes = [fb.tracking_code for fb in p.feedback.all()] + [clerk_fb.tracking_code]
    staff = lw.users["a_staff"]
    problem_transition(actor=staff, problem=p, action=Action.ACCEPT)
    c = login(client, staff)
    urls = [
        reverse("ledger:queue"),
        reverse("ledger:queue") + "?tab=mine",
        reverse("ledger:queue") + "?tab=overdue",
        reverse("ledger:queue") + "?q=路灯",
        reverse("ledger:detail", args=[p.number]),
        reverse("ledger:detail", args=[clerk_fb.problem.number]),
        reverse("ledger:notifications"),
    ]
    for url in urls:
        r = c.get(url)
        html = r.content.decode()
        assert r.status_code == 200, url
        assert REPORTER_NAME not in html and "王*" not in html, url
        assert REPORTER_PHONE not in html and "139****1111" not in html, url
        assert "查看反映人信息" not in html, url
        for code in codes:
            assert code not in html, url
    # searching by the reporter's name finds nothing (the identity is not searchable)
    assert c.get(reverse("ledger:queue") + f"?q={REPORTER_NAME}").context["page_obj"].paginator.count == 0
    # the action pages' re-renders too (a form error shows the page again)
    r = c.post(
        reverse("ledger:act", args=[p.number, "request_extension"]), {"request_extension-expected_version": 0}
    )
    html = r.content.decode()
    assert REPORTER_NAME not in html and REPORTER_PHONE not in html


def test_anonymous_feedback_has_no_identity_to_reveal(client, lw):
    from minqing.ledger.services.intake import Reporter, feedback_submit

    fb = feedback_submit(
        actor=SYSTEM,
        channel=Channel.ONLINE,
        title="噪音",
        content="夜间施工",
        unit=lw.u["town_a"],
        reporter=Reporter(name="孙八", phone="13700000000"),
        anonymous=True,
    )
    r = _reveal(login(client, lw.users["county_office"]), fb.problem)
    assert r.status_code == 200 and "孙八" not in r.content.decode() and "匿名反映" in r.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()
