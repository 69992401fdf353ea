"""The reporter judges a resolution by tracking code; 不满意 reopens it exactly as the staff's
unsatisfied call-back does (one rule: the same transition), and the rating is stored."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.enums import Action, ResolutionKind, Satisfaction, State
from minqing.ledger.models import Notification, Problem, ProblemEvent, ResidentRating
from minqing.ledger.services.rating import can_rate, resident_rate
from minqing.ledger.services.workflow import problem_transition

pytestmark = pytest.mark.django_db


def resolved(lw, fb):
    p = problem_transition(
        actor=lw.users["county_intake"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    p = problem_transition(actor=lw.users["a_staff"], problem=p, action=Action.ACCEPT)
    return problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.RECTIFIED
    )


def rate(client, fb, **data):
    return client.post(reverse("public:rate", args=[fb.tracking_code]), data)


def outcome(p):
    """What a reopen leaves: the state, the fields the callback clears, the last event."""
    p.refresh_from_db()
    e = list(ProblemEvent.objects.filter(problem=p))[-1]
    return (
        p.state,
        p.satisfaction,
        p.resolution_kind,
        p.resolved_at,
        e.action,
        e.from_state,
        e.to_state,
        e.public,
    )


def test_unsatisfied_reopens_it_as_the_staff_callback_does(client, lw):
    by_staff, by_reporter = lw.submit(), lw.submit()
    resolved(lw, by_staff), resolved(lw, by_reporter)
    problem_transition(
        actor=lw.users["county_intake"],
        problem=by_staff.problem,
        action=Action.CALLBACK,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    Notification.objects.all().delete()
    r = rate(client, by_reporter, fixed="no", satisfaction="unsatisfied", comment="路灯还是不亮,我家电话 139")
    assert r.status_code == 302 and r.url.endswith("?done=rated#follow")
    assert outcome(by_reporter.problem) == outcome(by_staff.problem)
    assert outcome(by_reporter.problem)[:2] == (State.RECTIFYING, Satisfaction.UNSATISFIED)
    # the responsible unit hears of it as after a staff call-back
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["a_staff"]
    rating = ResidentRating.objects.get()
    assert (rating.feedback, rating.fixed, rating.satisfaction) == (by_reporter, False, "unsatisfied")
    assert "电话" in rating.comment
    event = list(ProblemEvent.objects.filter(problem=by_reporter.problem))[-1]
    assert event.data == {"satisfaction": "unsatisfied", "by": "reporter"}
    assert "电话" not in event.note  # the comment never reaches the public timeline
    html = client.get(reverse("public:track", args=[by_reporter.tracking_code])).content.decode()
    assert "重新整改" in html and "电话" not in html and 'id="rate"' not in html


@pytest.mark.parametrize("value", [Satisfaction.SATISFIED, Satisfaction.BASICALLY])
def test_satisfied_closes_it(client, lw, value):
    fb = lw.submit()
    resolved(lw, fb)
    assert rate(client, fb, fixed="yes", satisfaction=value).status_code == 302
    p = Problem.objects.get(pk=fb.problem_id)
    assert (p.state, p.satisfaction) == (State.CLOSED, value) and p.closed_at is not None


def test_the_rating_form_shows_only_once_resolved(client, lw):
    fb = lw.submit()
    url = reverse("public:track", args=[fb.tracking_code])
    assert 'id="rate"' not in client.get(url).content.decode()
    r = rate(client, fb, fixed="yes", satisfaction="satisfied")
    assert r.status_code == 200 and "办结后才能评价" in r.content.decode()
    resolved(lw, fb)
    assert 'id="rate"' in client.get(url).content.decode()


def test_one_rating_per_resolution_then_again_after_the_next(client, lw):
    fb = lw.submit()
    resolved(lw, fb)
    rate(client, fb, fixed="no", satisfaction="unsatisfied")
    fb.refresh_from_db()
    assert not can_rate(fb, fb.problem)
    with pytest.raises(DomainError) as err:
        resident_rate(feedback=fb, fixed=True, satisfaction="satisfied")
    assert err.value.code == ErrorCode.RATING_NOT_RESOLVED  # reopened: 整改中
    p = problem_transition(
        actor=lw.users["a_staff"],
        problem=fb.problem,
        action=Action.RESOLVE,
        resolution_kind=ResolutionKind.RECTIFIED,
    )
    fb.refresh_from_db()
    assert can_rate(fb, p)
    resident_rate(feedback=fb, fixed=True, satisfaction="satisfied")
    assert ResidentRating.objects.filter(feedback=fb).count() == 2
    with pytest.raises(DomainError) as err:  # closed now; the same resolution cannot be judged twice
        resident_rate(feedback=fb, fixed=True, satisfaction="basically_satisfied")
    assert err.value.code == ErrorCode.RATING_DONE


def test_a_rejected_fix_cannot_be_rated_satisfied(client, lw):
    fb = lw.submit()
    resolved(lw, fb)
    r = rate(client, fb, fixed="no", satisfaction="satisfied")
    assert r.status_code == 200 and "请选择“不满意”" in r.content.decode()
    with pytest.raises(DomainError):
        resident_rate(feedback=fb, fixed=False, satisfaction="satisfied")
    assert not ResidentRating.objects.exists()
    assert Problem.objects.get(pk=fb.problem_id).state == State.RESOLVED


def test_the_ratings_feed_the_satisfaction_rate(client, lw):
    import datetime as dt

    from django.utils import timezone

    from minqing.orgs.actors import SYSTEM
    from minqing.reports.metrics.registry import MetricContext, compute

    a, b, c = lw.submit(), lw.submit(), lw.submit()
    for fb in (a, b, c):
        resolved(lw, fb)
    rate(client, a, fixed="yes", satisfaction="satisfied")
    rate(client, b, fixed="no", satisfaction="unsatisfied")  # reopened, then resolved and judged again
    problem_transition(
        actor=lw.users["a_staff"],
        problem=b.problem,
        action=Action.RESOLVE,
        resolution_kind=ResolutionKind.RECTIFIED,
    )
    rate(client, b, fixed="yes", satisfaction="basically_satisfied")
    problem_transition(  # a staff call-back counts the same way
        actor=lw.users["county_intake"], problem=c.problem, action=Action.CALLBACK, satisfaction="unsatisfied"
    )
    ctx = MetricContext(lw.u["county"], timezone.localdate() + dt.timedelta(days=1), actor=SYSTEM)
    values = compute(ctx, ["problems.satisfaction.judged", "problems.satisfaction.rate"])
    assert values["problems.satisfaction.judged"].value == 3  # b once, by its last judgement
    assert values["problems.satisfaction.rate"].value == Decimal(2) / 3
    other = MetricContext(lw.u["town_b"], timezone.localdate(), actor=SYSTEM)
    assert compute(other, ["problems.satisfaction.judged"])["problems.satisfaction.judged"].value == 0


def test_staff_see_the_rating_and_its_comment_on_the_problem_page(client, lw):
    fb = lw.submit()
    resolved(lw, fb)
    rate(client, fb, fixed="no", satisfaction="unsatisfied", comment="路灯只亮了一天")
    client.force_login(lw.users["a_staff"])
    html = client.get(reverse("ledger:detail", args=[fb.problem.number])).content.decode()
    assert 'id="ratings"' in html and "路灯只亮了一天" in html and "不满意" in html


def test_the_dashboard_shows_the_satisfaction_rate(client, lw):
    import datetime as dt

    from django.utils import timezone

    from minqing.reports.dashboard.period import Period
    from minqing.reports.dashboard.selectors import dashboard

    a, b = lw.submit(), lw.submit()
    for fb in (a, b):
        resolved(lw, fb)
    rate(client, a, fixed="yes", satisfaction="satisfied")
    rate(client, b, fixed="no", satisfaction="unsatisfied")
    today = timezone.localdate()
    d = dashboard(lw.users["county_office"], lw.u["county"], Period(today - dt.timedelta(days=7), today))
    assert (d.satisfaction.counts.judged, d.satisfaction.rate_text) == (2, "50%")
    earlier = Period(today - dt.timedelta(days=30), today - dt.timedelta(days=8))
    assert dashboard(lw.users["county_office"], lw.u["county"], earlier).satisfaction.rate_text == "—"


def test_the_tracking_page_says_how_and_when_it_was_resolved_until_it_is_reopened(client, lw):
    """The reporter is asked to judge a resolution: the page names it (办结方式, 办结时间), as the
    public list does; a reopening clears it."""
    fb = lw.submit()
    url = reverse("public:track", args=[fb.tracking_code])
    assert 'id="tracking-resolution"' not in client.get(url).content.decode()  # not resolved yet
    p = resolved(lw, fb)
    html = client.get(url).content.decode()
    assert '<dd id="tracking-resolution">限期整改</dd>' in html
    assert f'<dd id="tracking-resolved-at">{localtime(p.resolved_at):%Y-%m-%d %H:%M}</dd>' in html
    rate(client, fb, fixed="no", satisfaction="unsatisfied")
    html = client.get(url).content.decode()
    assert "整改中" in html and 'id="tracking-resolution"' not in html and "限期整改" not in html
