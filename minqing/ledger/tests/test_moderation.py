"""Moderation of what residents see (issue 14, part 3): nothing personal reaches the public list
or an anonymous Open311 answer before staff checked it; the delayed publication; staff notes
public only when ticked 公开; one claim shows once; who may moderate."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.models import AuditEvent
from minqing.ledger import selectors
from minqing.ledger.enums import Action, Channel, Moderation
from minqing.ledger.masking import mask_personal
from minqing.ledger.models import Feedback, Problem, ProblemEvent
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.services.moderation import moderation_publish_due, problem_moderate
from minqing.ledger.services.workflow import allowed_actions, problem_transition
from minqing.notify.models import OutboxMessage
from minqing.notify.services import subscribe
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

NAME, PHONE, ID_NUMBER = "赵小明", "13812345678", "150902199001011234"
RAW_TITLE = f"{NAME}反映村口路灯坏了"
RAW_TEXT = f"我是{NAME},电话 {PHONE},身份证 {ID_NUMBER},村口路灯坏了三个月没人修。"
PERSONAL = (NAME, PHONE, ID_NUMBER)


def _submit(client, lw) -> Feedback:
    form = {
        "title": RAW_TITLE,
        "content": RAW_TEXT,
        "unit_code": lw.u["village_a"].code,
        "name": NAME,
        "phone": PHONE,
    }
    assert client.post(reverse("public:submit"), form).status_code == 200
    return Feedback.objects.select_related("problem").latest("pk")


def _public_list(client) -> str:
    return client.get(reverse("public:problems")).content.decode()


def _open311_anonymous(client, lw) -> str:
    url = reverse("open311:requests", kwargs={"fmt": "json"})
    r = client.get(url, {"jurisdiction_id": lw.u["county"].code})
    assert r.status_code == 200, r.content
    return r.content.decode()


def test_mask_personal_hides_numbers_and_the_reporters_name() -> None:
    masked = mask_personal(RAW_TEXT, [NAME])
    for secret in PERSONAL:
        assert secret not in masked
    assert "赵某" in masked and "村口路灯坏了三个月没人修" in masked
    landline, mobile = "0474-8123456", "+86 138 1234 5678"
    masked = mask_personal(f"座机 {landline},手机 {mobile}")
    assert masked == f"座机 {'*' * len(landline)},手机 {'*' * len(mobile)}"
    assert mask_personal("门牌 12 号,3 户") == "门牌 12 号,3 户"  # short numbers stay


def test_nothing_personal_reaches_the_public_list_before_moderation(
    client, lw, django_capture_on_commit_callbacks
) -> None:
    fb = _submit(client, lw)
    problem = fb.problem
    assert problem is not None and problem.moderation == Moderation.PENDING and not problem.is_public
    # before moderation: neither the list nor an anonymous Open311 read shows it at all
    html, open311 = _public_list(client), _open311_anonymous(client, lw)
    assert "村口路灯" not in html and problem.number not in open311
    for secret in PERSONAL:
        assert secret not in html and secret not in open311

    # the moderator's form starts from the wording with personal details masked
    staff = client.__class__()
    staff.force_login(lw.users["county_office"])
    page = staff.get(reverse("ledger:detail", args=[problem.number]))
    form = page.context["moderation_form"]
    assert form is not None and 'id="moderate"' in page.content.decode()
    suggested = form.initial["public_text"]
    assert "赵某" in suggested and all(s not in suggested for s in PERSONAL)
    assert form.initial["public_title"] == "赵某反映村口路灯坏了"

    with django_capture_on_commit_callbacks(execute=True):  # the audit rows are written on commit
        r = staff.post(
            reverse("ledger:moderate", args=[problem.number]),
            {
                "moderation-public_title": "村口路灯损坏",
                "moderation-public_text": suggested,
                "moderation-note": "已核对",
                "moderation-decision": "approve",
            },
        )
    assert r.status_code == 302
    problem.refresh_from_db()
    assert problem.moderation == Moderation.APPROVED and problem.is_public
    html, open311 = _public_list(client), _open311_anonymous(client, lw)
    assert "村口路灯损坏" in html and "村口路灯坏了三个月没人修" in html  # the public title and text
    assert RAW_TITLE not in html and "村口路灯损坏" in open311 and problem.number in open311
    for secret in PERSONAL:
        assert secret not in html and secret not in open311
    # the decision is on the staff timeline (not the public one) and in the audit trail
    event = ProblemEvent.objects.get(problem=problem, action=Action.MODERATE)
    assert not event.public and event.note == "已核对" and event.data["decision"] == "approve"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="ledger.problem", object_id=str(problem.pk)
    ).exists()


def test_kept_private_leaves_the_list_and_staff_written_problems_are_checked_as_written(client, lw) -> None:
    fb = lw.submit()
    office = lw.users["county_office"]
    p = problem_moderate(actor=office, problem=fb.problem, decision="approve", public_title="路灯")
    assert selectors.public_problem_list().paginator.count == 1
    p = problem_moderate(actor=office, problem=p, decision="private")
    assert not p.is_public and p.moderation == Moderation.PRIVATE
    assert selectors.public_problem_list().paginator.count == 0
    with pytest.raises(DomainError) as bad:
        problem_moderate(actor=office, problem=p, decision="maybe")
    assert bad.value.code == ErrorCode.TRANSITION_BAD_VALUE


def test_a_staff_page_queue_filter_lists_what_waits_for_moderation(client, lw) -> None:
    waiting = lw.submit().problem
    checked = problem_moderate(
        actor=lw.users["county_office"], problem=lw.submit().problem, decision="approve"
    )
    client.force_login(lw.users["county_office"])
    page = client.get(reverse("ledger:queue"), {"moderation": "pending"})
    numbers = [p.number for p in page.context["page_obj"]]
    assert numbers == [waiting.number] and checked.number not in numbers
    assert 'id="f-moderation"' in page.content.decode()


# --- the delay -----------------------------------------------------------------------------


def _age(problem: Problem, hours: float) -> None:
    Problem.objects.filter(pk=problem.pk).update(moderation_at=timezone.now() - dt.timedelta(hours=hours))


def test_without_the_setting_nothing_is_published_automatically(lw, settings) -> None:
    settings.MINQING_PUBLIC_AUTO_PUBLISH_HOURS = 0
    p = lw.submit().problem
    _age(p, 24 * 365)
    assert moderation_publish_due() == 0
    assert Problem.objects.get(pk=p.pk).moderation == Moderation.PENDING


def test_after_the_delay_an_unchecked_report_shows_masked_and_a_kept_private_one_does_not(
    client, lw, settings
) -> None:
    settings.MINQING_PUBLIC_AUTO_PUBLISH_HOURS = 48
    reported = feedback_submit(
        actor=SYSTEM,
        channel=Channel.ONLINE,
        title="王大妈家门口路灯坏了 13900001111",
        content="王大妈反映:路灯坏了",
        unit=lw.u["village_a"],
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    old = reported.problem
    assert old is not None
    young = lw.submit().problem
    objected = problem_moderate(
        actor=lw.users["county_intake"], problem=lw.submit().problem, decision="private"
    )
    _age(old, 49)
    _age(young, 47)
    _age(objected, 49)
    assert moderation_publish_due() == 1
    assert moderation_publish_due() == 0  # idempotent
    shown = [p.pk for p in selectors.public_problem_list()]
    assert shown == [old.pk]
    html = _public_list(client)
    assert "王某家门口路灯坏了" in html and "王大妈" not in html and "13900001111" not in html
    event = ProblemEvent.objects.get(problem=old, action=Action.MODERATE)
    assert event.data["auto"] is True and not event.public
    assert Problem.objects.get(pk=young.pk).moderation == Moderation.PENDING
    assert Problem.objects.get(pk=objected.pk).moderation == Moderation.PRIVATE


# --- notes and claims on the public timeline ---------------------------------------------------


def _timeline(client, code: str) -> str:
    return client.get(reverse("public:track", args=[code])).content.decode()


def test_a_note_is_public_only_when_ticked_and_the_step_still_shows(client, lw) -> None:
    fb = lw.submit(unit_key="town_a")
    subscribe(feedback=fb, channel="email", address="wang@example.com")
    office, staff = lw.users["county_office"], lw.users["a_staff"]
    client.force_login(office)
    r = client.post(
        reverse("ledger:act", args=[fb.problem.number, "assign"]),
        {
            "assign-expected_version": fb.problem.version,
            "assign-unit_code": lw.u["town_a"].code,
            "assign-note": "内部:先联系张主任 13500000000",
        },
    )
    assert r.status_code == 302
    p = Problem.objects.get(pk=fb.problem_id)
    client.force_login(staff)
    r = client.post(
        reverse("ledger:act", args=[p.number, "accept"]),
        {"accept-expected_version": p.version, "accept-note": "三日内维修", "accept-public": "on"},
    )
    assert r.status_code == 302
    html = _timeline(client.__class__(), fb.tracking_code)
    assert "交办" in html and "受理" in html and "三日内维修" in html
    assert "张主任" not in html and "13500000000" not in html
    bodies = list(OutboxMessage.objects.order_by("pk").values_list("body", flat=True))
    # the confirmation, then one message per public step: both state changes, only one note
    assert len(bodies) == 3 and "交办" in bodies[1] and "受理" in bodies[2]
    assert "张主任" not in "".join(bodies) and "三日内维修" in bodies[2]
    assign, accept = (ProblemEvent.objects.get(problem=p, action=a) for a in (Action.ASSIGN, Action.ACCEPT))
    assert assign.public and not assign.note_public and accept.public and accept.note_public


def test_a_claim_shows_once(client, lw) -> None:
    fb = lw.submit(unit_key="town_a")
    leader = lw.users["county_leader"]
    p = problem_transition(
        actor=lw.users["county_office"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    p = problem_transition(actor=leader, problem=p, action=Action.CLAIM, note="作为必解问题")
    assert Action.CLAIM not in allowed_actions(leader, p)
    with pytest.raises(DomainError) as again:
        problem_transition(actor=leader, problem=p, action=Action.CLAIM)
    assert again.value.code == ErrorCode.ALREADY_CLAIMED
    client.force_login(leader)
    page = client.get(reverse("ledger:detail", args=[p.number])).content.decode()
    assert 'id="act-claim"' not in page
    html = _timeline(client.__class__(), fb.tracking_code)
    assert html.count("领导认领") == 1 and "作为必解问题" not in html  # the note was not ticked
    assert ProblemEvent.objects.filter(problem=p, action=Action.CLAIM).count() == 1


# --- who may moderate --------------------------------------------------------------------------


def test_moderation_is_refused_outside_the_subtree_and_to_other_roles(client, lw) -> None:
    p = lw.submit(unit_key="village_a").problem
    for name in ("b_staff", "b_office"):  # township B: the problem does not exist for them
        with pytest.raises(DomainError) as denied:
            problem_moderate(actor=lw.users[name], problem=p, decision="approve")
        assert denied.value.code == ErrorCode.PERMISSION_DENIED
        client.force_login(lw.users[name])
        r = client.post(reverse("ledger:moderate", args=[p.number]), {"moderation-decision": "approve"})
        assert r.status_code == 404
    for name in ("village_a_staff", "a_staff", "county_leader", "viewer"):  # in scope, not moderators
        with pytest.raises(DomainError) as refused:
            problem_moderate(actor=lw.users[name], problem=p, decision="approve")
        assert refused.value.code == ErrorCode.TRANSITION_ROLE
        client.force_login(lw.users[name])
        page = client.get(reverse("ledger:detail", args=[p.number]))
        assert page.context["moderation_form"] is None
        r = client.post(reverse("ledger:moderate", args=[p.number]), {"moderation-decision": "approve"})
        assert r.status_code == 403
    fresh = Problem.objects.get(pk=p.pk)
    assert fresh.moderation == Moderation.PENDING and not fresh.is_public
    assert not ProblemEvent.objects.filter(problem=p, action=Action.MODERATE).exists()
    with pytest.raises(Http404):
        selectors.problem_get(lw.users["b_staff"], p.number)
    # the intake clerk over the unit may
    assert problem_moderate(actor=lw.users["county_intake"], problem=p, decision="approve").is_public


# --- the migration of existing rows ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_existing_public_problems_stay_published_and_only_public_notes_stay_public() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from minqing.orgs.tests.factories import small_tree

    unit = small_tree()["village_a"]
    before, after = [("ledger", "0008_resident_rating")], [("ledger", "0009_moderation")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        OldProblem, OldEvent = old.get_model("ledger", "Problem"), old.get_model("ledger", "ProblemEvent")
        now = timezone.now()
        shown, _hidden = (
            OldProblem.objects.create(
                number=n,
                source="public",
                title="路灯",
                unit_id=unit.pk,
                path=unit.path,
                registered_at=now,
                is_public=pub,
            )
            for n, pub in (("M-1", True), ("M-2", False))
        )
        for action, note in (("note", "已安排维修"), ("accept", "内部:联系张主任"), ("register", "")):
            OldEvent.objects.create(problem_id=shown.pk, at=now, action=action, note=note, public=True)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        # then the later migrations too, so that today's models match the table they read
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert Problem.objects.get(number="M-1").moderation == Moderation.APPROVED
        assert Problem.objects.get(number="M-1").is_public
        assert Problem.objects.get(number="M-2").moderation == Moderation.PRIVATE
        assert [p.number for p in selectors.public_problem_list()] == ["M-1"]
        notes = dict(ProblemEvent.objects.filter(problem__number="M-1").values_list("action", "note_public"))
        assert notes == {"note": True, "accept": False, "register": False}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
