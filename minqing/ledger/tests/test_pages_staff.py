"""Staff ledger pages: queue, intake, detail and actions; allowed, denied, out of subtree."""

import pytest
from django.urls import reverse

from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, State
from minqing.ledger.models import Extension, Feedback, FeedbackIdentity, Problem, ProblemEvent
from minqing.ledger.services.workflow import problem_transition
from minqing.ledger.tests.pages import assigned_problem, login, post_act, snapshot

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, lw):
    p = lw.submit().problem
    urls = [
        reverse("ledger:queue"),
        reverse("ledger:intake"),
        reverse("ledger:notifications"),
        reverse("ledger:detail", args=[p.number]),
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and reverse("login") in r["Location"], url
    before = snapshot(p)
    r = client.post(reverse("ledger:act", args=[p.number, "assign"]), {"assign-expected_version": 0})
    assert r.status_code == 302
    assert snapshot(p) == before


# --- queue ---------------------------------------------------------------------------------


def test_queue_is_scoped_to_the_subtree(client, lw):
    pa = assigned_problem(lw, "town_a", "town_a")
    pb = lw.submit(unit_key="village_b").problem
    r = login(client, lw.users["a_staff"]).get(reverse("ledger:queue") + "?tab=unit")
    html = r.content.decode()
    assert r.status_code == 200
    assert pa.number in html and pb.number not in html
    r = login(client, lw.users["county_office"]).get(reverse("ledger:queue") + "?tab=unit")
    html = r.content.decode()
    assert pa.number in html and pb.number in html


def test_queue_tabs_mine_overdue_claimed(client, lw):
    p = assigned_problem(lw)
    staff = lw.users["a_staff"]
    p = problem_transition(actor=staff, problem=p, action=Action.ACCEPT)  # owner = a_staff
    other = assigned_problem(lw)
    c = login(client, staff)
    mine = c.get(reverse("ledger:queue") + "?tab=mine").content.decode()
    assert p.number in mine and other.number not in mine
    assert c.get(reverse("ledger:queue") + "?tab=claimed").context["page_obj"].paginator.count == 0
    Problem.objects.filter(pk=other.pk).update(overdue=True)  # what the deadline job sets
    overdue = c.get(reverse("ledger:queue") + "?tab=overdue").content.decode()
    assert other.number in overdue and p.number not in overdue
    problem_transition(actor=lw.users["county_leader"], problem=p, action=Action.CLAIM)
    c = login(client, lw.users["county_leader"])
    claimed = c.get(reverse("ledger:queue") + "?tab=claimed").content.decode()
    assert p.number in claimed and other.number not in claimed


def test_queue_filters_and_state_counts(client, lw):
    p1 = assigned_problem(lw)
    p2 = lw.submit(channel=Channel.CALL, unit_key="village_a", actor=lw.users["county_intake"]).problem
    p3 = lw.submit(unit_key="village_b").problem
    c = login(client, lw.users["county_office"])
    page = c.get(reverse("ledger:queue")).context["page_obj"]
    assert page.state_counts == {State.ASSIGNED: 1, State.REGISTERED: 2}
    assert page.paginator.count == 3

    def numbers(query: str) -> set[str]:
        return {p.number for p in c.get(reverse("ledger:queue") + query).context["page_obj"]}

    assert numbers("?state=registered") == {p2.number, p3.number}
    assert numbers("?channel=call") == {p2.number}
    assert numbers("?source=public&channel=online") == {p1.number, p3.number}
    assert numbers(f"?unit={lw.u['town_b'].code}") == {p3.number}
    assert numbers(f"?q={p1.number}") == {p1.number}
    assert numbers("?q=路灯") == {p1.number, p2.number, p3.number}
    assert numbers("?state=bogus") == {p1.number, p2.number, p3.number}  # ignored, not an error
    r = c.get(reverse("ledger:queue") + "?state=registered")
    assert r.context["page_obj"].paginator.count == 2
    # a unit outside the scope filters to nothing and says so
    r = login(client, lw.users["a_staff"]).get(reverse("ledger:queue") + f"?unit={lw.u['town_b'].code}")
    assert r.context["unit_error"] and r.context["page_obj"].paginator.count == 0


def test_queue_export_links_carry_the_filters(client, lw):
    lw.submit()
    r = login(client, lw.users["county_office"]).get(reverse("ledger:queue") + "?tab=overdue&state=assigned")
    html = r.content.decode()
    export = reverse("ledger:export")
    assert f"{export}?tab=overdue&amp;state=assigned&amp;format=xlsx" in html
    assert f"{export}?tab=overdue&amp;state=assigned&amp;format=csv" in html


def test_queue_query_count_does_not_grow_with_rows(client, lw, django_assert_max_num_queries):
    for _ in range(3):
        assigned_problem(lw)
    c = login(client, lw.users["county_office"])
    c.get(reverse("ledger:queue"))  # warm the session
    with django_assert_max_num_queries(12):
        c.get(reverse("ledger:queue"))
    for _ in range(10):
        assigned_problem(lw)
    with django_assert_max_num_queries(12):
        r = c.get(reverse("ledger:queue"))
    assert r.context["page_obj"].paginator.count == 13


# --- intake --------------------------------------------------------------------------------


def _intake(client, channel: str, **extra):
    data = {"title": "井盖丢失", "content": "小区门口井盖丢失", "urgency": "normal", **extra}
    return client.post(reverse("ledger:intake") + f"?channel={channel}", data)


@pytest.mark.parametrize(
    ("channel", "fields"),
    [
        (Channel.LETTER, {"letter_date": "2025-09-28", "address": "泉山社区 3 号楼"}),
        (Channel.VISIT, {"visitors": "6", "group_visit": "on"}),
        (Channel.CALL, {"caller": "0474-8888888"}),
    ],
)
def test_intake_each_channel(client, lw, channel, fields):
    c = login(client, lw.users["county_intake"])
    assert c.get(reverse("ledger:intake") + f"?channel={channel}").status_code == 200
    r = _intake(c, channel, unit_code=lw.u["town_a"].code, name="赵六", **fields)
    fb = Feedback.objects.get()
    assert fb.problem is not None
    assert r.status_code == 302 and r["Location"] == reverse("ledger:detail", args=[fb.problem.number])
    assert fb.channel == channel and fb.problem.channel == channel and fb.unit == lw.u["town_a"]
    assert fb.created_by == lw.users["county_intake"]
    page = c.get(r["Location"]).content.decode()
    assert fb.tracking_code in page  # in the success message and for the clerk's own use
    ident = FeedbackIdentity.objects.get(feedback=fb)
    assert ident.name == "赵六"
    if channel == Channel.LETTER:
        assert str(fb.letter_date) == "2025-09-28" and ident.address == "泉山社区 3 号楼"
    if channel == Channel.VISIT:
        assert fb.visitors == 6 and fb.group_visit
    if channel == Channel.CALL:
        assert ident.phone == "0474-8888888"


def test_intake_unit_by_select_and_anonymous(client, lw):
    c = login(client, lw.users["county_intake"])
    r = _intake(
        c, Channel.CALL, unit=str(lw.u["village_b"].pk), name="钱七", phone="13811112222", anonymous="on"
    )
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert fb.unit == lw.u["village_b"] and fb.anonymous
    assert not FeedbackIdentity.objects.exists()


def test_intake_validation_and_scope(client, lw):
    c = login(client, lw.users["a_staff"])  # unit staff may record, within town A only
    r = _intake(c, Channel.CALL, unit_code=lw.u["town_b"].code)
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    r = _intake(c, Channel.CALL, unit=str(lw.u["town_b"].pk))
    assert r.status_code == 200 and r.context["form"].errors["unit"]
    r = _intake(c, Channel.LETTER, unit_code=lw.u["town_a"].code)  # the letter's date is required
    assert r.status_code == 200 and r.context["form"].errors["letter_date"]
    r = _intake(c, Channel.CALL, unit_code=lw.u["town_a"].code, id_number="12345")
    assert r.context["form"].errors["id_number"]
    r = _intake(c, Channel.CALL, unit_code=lw.u["town_a"].code, phone="call me")
    assert r.context["form"].errors["phone"]
    assert not Feedback.objects.exists() and not Problem.objects.exists()


def test_intake_denied_without_an_intake_role(client, lw):
    for user in ("viewer", "county_leader"):
        c = login(client, lw.users[user])
        assert c.get(reverse("ledger:intake")).status_code == 403
        assert _intake(c, Channel.CALL, unit_code=lw.u["town_a"].code).status_code == 403
    assert not Feedback.objects.exists()


def test_intake_double_submit_creates_one(client, lw):
    c = login(client, lw.users["county_intake"])
    token = c.get(reverse("ledger:intake") + "?channel=call").context["form"].initial["token"]
    for _ in range(2):
        r = _intake(c, Channel.CALL, unit_code=lw.u["town_a"].code, token=token)
        assert r.status_code == 302
    assert Feedback.objects.count() == 1 and Problem.objects.count() == 1


def test_intake_merge_into_existing(client, lw):
    p = lw.submit().problem
    c = login(client, lw.users["county_intake"])
    r = _intake(c, Channel.VISIT, unit_code=lw.u["village_a"].code, visitors="1", merge_number=p.number)
    assert r.status_code == 302 and r["Location"] == reverse("ledger:detail", args=[p.number])
    assert Problem.objects.count() == 1 and Feedback.objects.filter(problem=p).count() == 2
    # a problem out of the clerk's scope cannot be merged into
    pb = lw.submit(unit_key="village_b").problem
    c = login(client, lw.users["a_staff"])
    r = _intake(c, Channel.CALL, unit_code=lw.u["town_a"].code, merge_number=pb.number)
    assert r.status_code == 200 and r.context["form"].errors["merge_number"]
    assert Feedback.objects.filter(problem=pb).count() == 1


# --- detail and actions ----------------------------------------------------------------------


def test_detail_allowed_denied_missing(client, lw):
    p = assigned_problem(lw)
    assert (
        login(client, lw.users["a_staff"]).get(reverse("ledger:detail", args=[p.number])).status_code == 200
    )
    assert login(client, lw.users["root"]).get(reverse("ledger:detail", args=[p.number])).status_code == 200
    for user in ("b_staff", "b_office"):
        assert login(client, lw.users[user]).get(reverse("ledger:detail", args=[p.number])).status_code == 404
    assert login(client, lw.users["a_staff"]).get(reverse("ledger:detail", args=["NOPE"])).status_code == 404


def test_detail_shows_exactly_the_allowed_action_forms(client, lw):
    p = assigned_problem(lw)
    html = login(client, lw.users["a_staff"]).get(reverse("ledger:detail", args=[p.number])).content.decode()
    for action in ("accept", "return", "resolve", "note"):
        assert f'id="act-{action}"' in html, action
    for action in ("assign", "claim", "close", "callback", "merge", "grant_extension"):
        assert f'id="act-{action}"' not in html, action
    html = (
        login(client, lw.users["county_leader"])
        .get(reverse("ledger:detail", args=[p.number]))
        .content.decode()
    )
    assert 'id="act-claim"' in html and 'id="act-accept"' not in html


def test_a_viewer_gets_no_note_form_and_cannot_add_a_note(client, lw):
    """Issue 16, finding 10: 只读用户 read, they do not write notes (public or not)."""
    p = assigned_problem(lw)
    c = login(client, lw.users["viewer"])
    html = c.get(reverse("ledger:detail", args=[p.number])).content.decode()
    assert 'id="act-note"' not in html
    before = p.events.count()
    post_act(c, p, "note", note="公开备注", public="on")
    assert p.events.count() == before


def test_actions_through_the_pages_to_closure(client, lw):
    p = lw.submit().problem
    office, staff, leader, intake = (
        lw.users[k] for k in ("county_office", "a_staff", "county_leader", "county_intake")
    )
    r = post_act(login(client, office), p, "assign", unit_code=lw.u["town_a"].code, owner="a_staff")
    assert r.status_code == 302 and r["Location"] == reverse("ledger:detail", args=[p.number])
    p.refresh_from_db()
    assert p.state == State.ASSIGNED and p.responsible_unit == lw.u["town_a"] and p.owner == staff
    assert post_act(login(client, staff), p, "accept").status_code == 302
    assert post_act(login(client, leader), p, "claim", must_solve="on").status_code == 302
    p.refresh_from_db()
    assert p.claimed_by == lw.leader_person and p.must_solve
    c = login(client, staff)
    assert post_act(c, p, "start").status_code == 302
    assert post_act(c, p, "request_extension", days="5", reason="需要协调供电公司").status_code == 302
    due = Problem.objects.get(pk=p.pk).due_date
    r = login(client, office).get(reverse("ledger:detail", args=[p.number]))
    assert 'id="act-grant_extension"' in r.content.decode()
    assert post_act(login(client, office), p, "grant_extension").status_code == 302
    p.refresh_from_db()
    assert p.due_date > due and Extension.objects.get().state == "granted"
    r = post_act(
        login(client, staff), p, "resolve", resolution_kind=ResolutionKind.RECTIFIED, measures="换灯"
    )
    assert r.status_code == 302
    assert (
        post_act(login(client, intake), p, "callback", satisfaction=Satisfaction.SATISFIED).status_code == 302
    )
    p.refresh_from_db()
    assert p.state == State.CLOSED and p.satisfaction == Satisfaction.SATISFIED
    actions = list(ProblemEvent.objects.filter(problem=p).values_list("action", flat=True))
    assert actions == [
        "register",
        "assign",
        "accept",
        "claim",
        "start",
        "request_extension",
        "grant_extension",
        "resolve",
        "callback",
    ]


def test_return_merge_and_note(client, lw):
    p = assigned_problem(lw)
    c = login(client, lw.users["a_staff"])
    r = post_act(c, p, "return")  # a note is required
    assert r.status_code == 200 and r.context["action_forms"]
    assert Problem.objects.get(pk=p.pk).state == State.ASSIGNED
    r = post_act(c, p, "note", note="已联系社区", public="on")
    assert (
        r.status_code == 302 and ProblemEvent.objects.filter(problem=p, action="note", public=True).exists()
    )
    r = post_act(c, p, "return", note="不属于本街道")
    assert r.status_code == 302 and Problem.objects.get(pk=p.pk).state == State.RETURNED
    target = lw.submit().problem
    r = post_act(login(client, lw.users["county_office"]), p, "merge", into=target.number)
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.state == State.MERGED and p.merged_into == target


def test_stale_version_is_refused_politely(client, lw):
    p = assigned_problem(lw)
    old = Problem.objects.get(pk=p.pk).version
    c = login(client, lw.users["a_staff"])
    assert post_act(c, p, "accept", version=old).status_code == 302
    before = snapshot(p)
    r = post_act(c, p, "return", version=old, note="晚了一步")
    assert r.status_code == 409
    assert "该问题已被他人处理,请刷新后重试" in r.content.decode()
    assert snapshot(p) == before


def test_actions_denied_change_nothing(client, lw):
    p = assigned_problem(lw)
    before = snapshot(p)
    # out of the subtree: 404, as if missing
    r = post_act(login(client, lw.users["b_staff"]), p, "accept")
    assert r.status_code == 404
    # in scope but the wrong role: refused with the reason
    r = post_act(login(client, lw.users["viewer"]), p, "assign", unit_code=lw.u["town_b"].code)
    assert r.status_code in (200, 403)
    r = post_act(login(client, lw.users["viewer"]), p, "accept")
    assert r.status_code == 403 and "您的角色不能对该问题执行" in r.content.decode()
    # a unit the dispatcher may not reach
    r = post_act(login(client, lw.users["county_office"]), p, "assign", unit_code=lw.u["province"].code)
    assert r.status_code == 200 and r.context["action_forms"]
    # an action the state does not allow
    r = post_act(login(client, lw.users["county_office"]), p, "close")
    assert "不能执行" in r.content.decode()
    # an unknown action
    assert post_act(login(client, lw.users["county_office"]), p, "explode").status_code == 404
    assert snapshot(p) == before


def test_menu_and_login_links(client, lw):
    r = client.get(reverse("login"))
    html = r.content.decode()
    for name in ("public:submit", "public:track_form", "public:problems"):
        assert reverse(name) in html
    html = login(client, lw.users["a_staff"]).get(reverse("ledger:queue")).content.decode()
    assert (
        f'href="{reverse("ledger:intake")}"' in html and f'href="{reverse("ledger:notifications")}"' in html
    )


@pytest.mark.parametrize("tab", ["unit", "mine", "overdue", "claimed"])
def test_queue_plans_give_the_same_rows(lw, monkeypatch, tab):
    """The time-ordered scan used for big tabs returns exactly what the indexed plan returns."""
    from minqing.ledger import selectors

    for key in ("town_a", "village_a", "town_b"):
        p = assigned_problem(lw, key, key)
        p = problem_transition(actor=lw.users["county_office"], problem=p, action=Action.NOTE, note="x")
    Problem.objects.update(overdue=True, owner=lw.users["county_office"], claimed_by=lw.leader_person)
    for user in ("county_office", "a_staff", "county_leader"):
        for filters in ({}, {"state": "assigned"}, {"unit": lw.u["village_a"].code}, {"q": "路灯"}):
            monkeypatch.setattr(selectors, "TIME_SCAN_MIN", 10_000)
            slow = selectors.problem_queue(lw.users[user], tab=tab, filters=filters)
            monkeypatch.setattr(selectors, "TIME_SCAN_MIN", 0)
            fast = selectors.problem_queue(lw.users[user], tab=tab, filters=filters)
            assert [p.pk for p in slow] == [p.pk for p in fast]
            assert slow.state_counts == fast.state_counts and slow.paginator.count == fast.paginator.count
