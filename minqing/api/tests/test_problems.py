"""The problem ledger over the API: registering, reading, every workflow action, the reporter's
protection, and the errors (404 outside the subtree, role and scope refused, fields named)."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from minqing.api.scopes import Scope
from minqing.campaigns.models import Campaign
from minqing.core.models import AuditEvent
from minqing.ledger.enums import Channel, Source, State
from minqing.ledger.models import Category, Feedback, FeedbackIdentity, Problem, ProblemEvent
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message_zh", "message_en", "field"}
BASE = "/api/v1/problems/"
NAME, PHONE = "王大妈", "13900001111"


def call(unit_code: str, **extra: Any) -> dict[str, Any]:
    """A 12345 call as a hotline pushes it in."""
    body: dict[str, Any] = {
        "title": "路灯不亮",
        "content": "村口路灯坏了三个月",
        "unit_code": unit_code,
        "channel": Channel.CALL,
        "reporter": {"name": NAME, "phone": PHONE, "address": "泉山社区3号楼"},
    }
    body.update(extra)
    return body


def register(api: Any, unit_code: str, **extra: Any) -> dict[str, Any]:
    response = api.post(BASE, call(unit_code, **extra))
    assert response.status_code == 201, response.content
    return dict(response.json())


def act(api: Any, number: str, action: str, **body: Any) -> Any:
    return api.post(f"{BASE}{number}/{action}", body)


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == code, body
    assert body["message_zh"] and body["message_en"]
    if field is not None:
        assert body["field"] == field, body


@pytest.fixture
def hotline(app_client: Any) -> Any:
    """The county's 12345 hotline: an application with the intake role on the county."""
    return app_client(unit="county", roles=(Role.INTAKE,))


# --- registering ---------------------------------------------------------------------------


def test_a_call_is_registered_as_feedback_with_its_reporter_kept_apart(hotline: Any, tree: Any) -> None:
    answer = register(hotline, tree["village_a"].code)
    number, code = answer["number"], answer["tracking_code"]
    assert code and answer["problem"]["state"] == State.REGISTERED
    assert answer["problem"]["unit_code"] == tree["village_a"].code
    assert NAME not in str(answer) and PHONE not in str(answer)
    problem = Problem.objects.get(number=number)
    assert (problem.source, problem.channel) == (Source.PUBLIC, Channel.CALL)
    fb = Feedback.objects.get(problem=problem)
    assert fb.tracking_code == code
    identity = FeedbackIdentity.objects.get(feedback=fb)
    assert (identity.name, identity.phone, identity.address) == (NAME, PHONE, "泉山社区3号楼")
    # read it back: the detail, and its timeline
    detail = hotline.get(f"{BASE}{number}").json()
    assert detail["number"] == number and detail["feedback"][0]["channel"] == Channel.CALL
    assert "assign" in detail["allowed_actions"]
    events = hotline.get(f"{BASE}{number}/events").json()
    assert [e["action"] for e in events] == ["register"]


def test_anonymous_feedback_keeps_no_reporter(hotline: Any, tree: Any) -> None:
    answer = register(hotline, tree["village_a"].code, anonymous=True, channel=Channel.ONLINE)
    fb = Feedback.objects.get(problem__number=answer["number"])
    assert fb.anonymous and not FeedbackIdentity.objects.filter(feedback=fb).exists()


def test_a_problem_of_another_source_is_registered_without_feedback(hotline: Any, tree: Any) -> None:
    body = {"title": "台账不全", "content": "督导发现台账不全", "unit_code": tree["town_a"].code}
    response = hotline.post(BASE, {**body, "source": Source.SUPERVISION, "urgency": "urgent"})
    assert response.status_code == 201
    answer = response.json()
    assert answer["tracking_code"] is None
    problem = Problem.objects.get(number=answer["number"])
    assert (problem.source, problem.channel, problem.urgency) == (Source.SUPERVISION, "", "urgent")
    assert not Feedback.objects.filter(problem=problem).exists()
    # a reporter or a channel belongs to feedback only
    refused = hotline.post(BASE, {**body, "source": Source.RESEARCH, "reporter": {"name": NAME}})
    assert_error(refused, 422, "VALIDATION", "reporter")


def test_feedback_can_join_an_existing_problem(hotline: Any, tree: Any) -> None:
    first = register(hotline, tree["village_a"].code)
    second = register(hotline, tree["village_a"].code, merge_into=first["number"])
    assert second["number"] == first["number"] and second["tracking_code"] != first["tracking_code"]
    assert Feedback.objects.filter(problem__number=first["number"]).count() == 2
    missing = hotline.post(BASE, call(tree["village_a"].code, merge_into="WT-NOPE"))
    assert_error(missing, 404, "NOT_FOUND", "merge_into")


def test_registering_validates_and_names_the_field(hotline: Any, tree: Any) -> None:
    code = tree["village_a"].code
    assert_error(hotline.post(BASE, call(code, channel=None)), 422, "VALIDATION", "channel")
    assert_error(hotline.post(BASE, call(code, channel="fax")), 422, "VALIDATION", "channel")
    assert_error(hotline.post(BASE, call(code, title="")), 422, "VALIDATION", "title")
    bad_phone = call(code, reporter={"name": NAME, "phone": "call me"})
    assert_error(hotline.post(BASE, bad_phone), 422, "VALIDATION", "reporter.phone")
    bad_id = call(code, reporter={"id_number": "12345"})
    assert_error(hotline.post(BASE, bad_id), 422, "VALIDATION", "reporter.id_number")
    letter = hotline.post(BASE, call(code, channel=Channel.LETTER))
    assert_error(letter, 422, "VALIDATION", "letter_date")
    assert "来信日期" in letter.json()["message_zh"] and "letter" in letter.json()["message_en"].lower()
    assert_error(hotline.post(BASE, call("999999999999")), 404, "NOT_FOUND", "unit_code")
    assert_error(hotline.post(BASE, call(code, category_id=999999)), 404, "NOT_FOUND", "category_id")
    assert_error(hotline.post(BASE, call(code, campaign_id=999999)), 404, "NOT_FOUND", "campaign_id")
    assert not Problem.objects.exists()


def test_registering_outside_the_subtree_or_without_the_role_or_scope_is_refused(
    app_client: Any, user_client: Any, tree: Any
) -> None:
    town_a = app_client(unit="town_a", roles=(Role.INTAKE,))
    assert_error(town_a.post(BASE, call(tree["town_b"].code)), 404, "NOT_FOUND", "unit_code")
    viewer = user_client(Role.VIEWER, "county")
    assert_error(viewer.post(BASE, call(tree["village_a"].code)), 403, "PERMISSION_DENIED")
    leader = user_client(Role.LEADER, "county")  # no intake role: the service refuses
    assert_error(leader.post(BASE, call(tree["village_a"].code)), 403, "PERMISSION_DENIED")
    read_only = app_client(unit="county", scopes=[Scope.READ])
    assert_error(read_only.post(BASE, call(tree["village_a"].code)), 403, "SCOPE_MISSING")
    assert not Problem.objects.exists()


# --- reading -------------------------------------------------------------------------------


def test_the_list_filters_and_pages(hotline: Any, tree: Any) -> None:
    roads = Category.objects.create(name="道路", full_name="测试类/道路", level=2)
    campaign = Campaign.objects.create(
        name="主题教育", scope=tree["county"], path=tree["county"].path, start_date=dt.date(2026, 1, 1)
    )
    a = register(hotline, tree["village_a"].code, category_id=roads.pk, campaign_id=campaign.pk)["number"]
    b = register(hotline, tree["village_b"].code, channel=Channel.ONLINE, title="垃圾清运")["number"]
    c = hotline.post(
        BASE, {"title": "台账", "content": "x", "unit_code": tree["town_a"].code, "source": "research"}
    ).json()["number"]
    Problem.objects.filter(number=c).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    Problem.objects.filter(number=b).update(registered_at=timezone.now() - dt.timedelta(days=10))

    def numbers(**params: Any) -> set[str]:
        response = hotline.get(BASE, **params)
        assert response.status_code == 200, response.content
        return {p["number"] for p in response.json()["items"]}

    assert numbers() == {a, b, c}
    assert numbers(unit=tree["town_a"].code) == {a, c}
    assert numbers(source="research") == {c}
    assert numbers(channel="online") == {b}
    assert numbers(category=Category.objects.create(name="测试类", full_name="测试类").pk) == {a}
    assert numbers(campaign=campaign.pk) == {a}
    assert numbers(overdue=True) == {c}
    assert numbers(overdue=False) == {a, b}
    week_ago = (timezone.now() - dt.timedelta(days=7)).isoformat()
    assert numbers(registered_after=week_ago) == {a, c}
    assert numbers(registered_before=week_ago) == {b}
    assert numbers(q="垃圾") == {b} and numbers(q=a[:12]) >= {a}
    assert numbers(state="registered") == {a, b, c} and numbers(state="closed") == set()
    # cursor pages cover every row once
    seen: list[str] = []
    cursor = None
    while True:
        page = hotline.get(BASE, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [p["number"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([a, b, c])
    assert_error(hotline.get(BASE, state="lost"), 422, "VALIDATION", "state")
    assert_error(hotline.get(BASE, unit="999999999999"), 404, "NOT_FOUND", "unit")
    assert_error(hotline.get(BASE, registered_after="yesterday"), 422, "VALIDATION", "registered_after")


def test_reads_outside_the_subtree_answer_404(
    hotline: Any, app_client: Any, user_client: Any, tree: Any
) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    town_b = user_client(Role.OFFICE, "town_b")
    assert town_b.get(BASE).json()["items"] == []
    for path in ("", "/events", "/reporter"):
        assert_error(town_b.get(f"{BASE}{number}{path}"), 404, "NOT_FOUND")
    assert_error(town_b.get(f"{BASE}WT-NOPE"), 404, "NOT_FOUND")
    no_read = app_client(unit="county", scopes=[Scope.PROBLEMS_WRITE])
    assert_error(no_read.get(f"{BASE}{number}"), 403, "SCOPE_MISSING")
    assert_error(no_read.get(BASE), 403, "SCOPE_MISSING")
    assert hotline.client.get(f"{BASE}{number}").status_code == 401


def test_the_timeline_shows_internal_notes_as_the_page_does(
    hotline: Any, user_client: Any, tree: Any
) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    office = user_client(Role.OFFICE, "county")
    assert act(office, number, "note", note="内部:先核实").status_code == 200
    assert act(office, number, "note", note="已安排人员", public=True).status_code == 200
    viewer = user_client(Role.VIEWER, "county")  # the page shows every event to whoever sees it
    notes = [e["note"] for e in viewer.get(f"{BASE}{number}/events").json()]
    assert notes == ["", "内部:先核实", "已安排人员"]
    public = viewer.get(f"{BASE}{number}/events", public_only=True).json()
    assert [e["note"] for e in public] == ["", "已安排人员"]
    last = ProblemEvent.objects.filter(problem__number=number).order_by("at", "id")[1]
    later = viewer.get(f"{BASE}{number}/events", since=last.at.isoformat()).json()
    assert [e["note"] for e in later] == ["已安排人员"]


def test_the_reporter_is_read_by_a_reporter_reader_and_audited(
    hotline: Any, user_client: Any, tree: Any
) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    office = user_client(Role.OFFICE, "county")
    revealed = office.get(f"{BASE}{number}/reporter")
    assert "no-store" in revealed["Cache-Control"]
    rows = revealed.json()
    assert [(r["name"], r["phone"]) for r in rows] == [(NAME, PHONE)]
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL, detail__contains=number)
    assert audited.count() == 1 and audited.get().actor == office.user
    staff = user_client(Role.UNIT_STAFF, "county")  # sees the problem, not a reporter reader
    assert staff.get(f"{BASE}{number}").status_code == 200
    assert_error(staff.get(f"{BASE}{number}/reporter"), 404, "NOT_FOUND")
    assert audited.count() == 1


def test_no_endpoint_shows_the_reporter_to_the_accused_unit(
    app_client: Any, user_client: Any, tree: Any
) -> None:
    """The problem concerns 新体育场街道 (town_a): its office and intake (reporter readers, but
    the accused) never see the reporter, by any endpoint; the county's office above it does."""
    accused_intake = app_client(unit="town_a", roles=(Role.INTAKE, Role.OFFICE))
    answer = accused_intake.post(BASE, call(tree["town_a"].code))  # registered by the accused unit itself
    assert answer.status_code == 201
    number = answer.json()["number"]
    accused_office = user_client(Role.OFFICE, "town_a")
    county_office = user_client(Role.OFFICE, "county")
    assert act(county_office, number, "assign", unit_code=tree["town_a"].code).status_code == 200
    accepted = act(accused_office, number, "accept", note="收到")
    assert accepted.status_code == 200
    answers = [answer, accepted]
    for accused in (accused_intake, accused_office):
        answers += [
            accused.get(BASE),
            accused.get(f"{BASE}{number}"),
            accused.get(f"{BASE}{number}/events"),
            act(accused, number, "note", note="处理中"),
        ]
        assert accused.get(f"{BASE}{number}").json()["feedback"][0]["tracking_code"] is None
        assert_error(accused.get(f"{BASE}{number}/reporter"), 404, "NOT_FOUND")
    for response in answers:
        assert response.status_code in (200, 201), response.content
        text = response.content.decode()
        assert NAME not in text and PHONE not in text
    # the reporter reader above the accused unit sees it
    detail = county_office.get(f"{BASE}{number}").json()
    assert detail["feedback"][0]["tracking_code"]
    rows = county_office.get(f"{BASE}{number}/reporter").json()
    assert (rows[0]["name"], rows[0]["phone"]) == (NAME, PHONE)


# --- the workflow ----------------------------------------------------------------------------


@pytest.fixture
def people(user_client: Any) -> dict[str, Any]:
    clients = {
        "intake": user_client(Role.INTAKE, "county"),
        "office": user_client(Role.OFFICE, "county"),
        "leader": user_client(Role.LEADER, "county"),
        "staff": user_client(Role.UNIT_STAFF, "town_a"),
        "viewer": user_client(Role.VIEWER, "county"),
        "outsider": user_client(Role.OFFICE, "town_b"),
    }
    leader = clients["leader"].user
    PersonFactory(unit=leader.unit_roles.get().unit, name="李书记", user=leader)
    return clients


def test_every_action_walks_the_problem_through_its_life(hotline: Any, people: Any, tree: Any) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    intake, office, leader, staff = people["intake"], people["office"], people["leader"], people["staff"]

    def ok(client: Any, action: str, **body: Any) -> dict[str, Any]:
        response = act(client, number, action, **body)
        assert response.status_code == 200, (action, response.content)
        answer = dict(response.json())
        assert answer["number"] == number and answer["action"] == action
        return answer

    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assigned = ok(intake, "assign", unit_code=tree["town_a"].code, due_date=due, note="请办理")
    assert (
        assigned["state"] == State.ASSIGNED
        and assigned["problem"]["responsible_unit_code"] == tree["town_a"].code
    )
    assert ok(leader, "claim", must_solve=True)["problem"]["must_solve"] is True
    assert ok(staff, "accept")["state"] == State.ACCEPTED
    assert ok(staff, "request_extension", days=3, reason="需协调")["state"] == State.ACCEPTED
    granted = ok(office, "grant_extension", note="同意")
    assert granted["problem"]["due_date"] > due
    ok(staff, "request_extension", days=2, reason="再协调")
    ok(leader, "deny_extension")
    assert ok(staff, "start")["state"] == State.RECTIFYING
    resolved = ok(staff, "resolve", resolution_kind="rectified", measures="已更换灯泡")
    assert resolved["state"] == State.RESOLVED
    assert ok(intake, "reopen", note="群众不满意")["state"] == State.RECTIFYING
    ok(staff, "resolve", resolution_kind="on_the_spot", measures="已修好")
    assert ok(office, "close")["state"] == State.CLOSED
    closed = ok(intake, "callback", satisfaction="satisfied")
    assert closed["problem"]["satisfaction"] == "satisfied"
    actions = [e["action"] for e in office.get(f"{BASE}{number}/events").json()]
    assert actions == [
        "register", "assign", "claim", "accept", "request_extension", "grant_extension",
        "request_extension", "deny_extension", "start", "resolve", "reopen", "resolve", "close", "callback",
    ]  # fmt: skip


def test_return_and_merge(hotline: Any, people: Any, tree: Any) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    other = register(hotline, tree["village_a"].code)["number"]
    act(people["intake"], number, "assign", unit_code=tree["town_a"].code)
    assert_error(act(people["staff"], number, "return"), 422, "VALIDATION", "note")
    returned = act(people["staff"], number, "return", note="不属于本单位职责")
    assert returned.status_code == 200 and returned.json()["state"] == State.RETURNED
    assert_error(act(people["intake"], number, "merge", into="WT-NOPE"), 422, "VALIDATION", "into")
    merged = act(people["intake"], number, "merge", into=other)
    assert merged.status_code == 200 and merged.json()["problem"]["merged_into"] == other
    assert Feedback.objects.filter(problem__number=other).count() == 2


def test_actions_are_refused_by_role_state_version_subtree_and_scope(
    hotline: Any, app_client: Any, people: Any, tree: Any
) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    version = hotline.get(f"{BASE}{number}").json()["version"]
    # a viewer reads, never acts; unit staff cannot dispatch
    assert_error(act(people["viewer"], number, "note", note="x"), 403, "TRANSITION_ROLE")
    assign = act(people["staff"], number, "assign", unit_code=tree["town_a"].code)
    assert_error(assign, 403, "TRANSITION_ROLE")
    assert_error(act(people["office"], number, "accept"), 409, "TRANSITION_NOT_ALLOWED")
    # outside the subtree: 404, as for a missing problem
    assert_error(act(people["outsider"], number, "note", note="x"), 404, "NOT_FOUND")
    assert_error(act(people["office"], "WT-NOPE", "note", note="x"), 404, "NOT_FOUND")
    # a key without problems:write
    reader = app_client(unit="county", roles=(Role.OFFICE,), scopes=[Scope.READ])
    assert_error(act(reader, number, "note", note="x"), 403, "SCOPE_MISSING")
    # fields named
    assert_error(act(people["office"], number, "assign"), 422, "VALIDATION", "unit_code")
    bad_unit = act(people["office"], number, "assign", unit_code=tree["town_b"].code + "9")
    assert_error(bad_unit, 422, "VALIDATION", "unit_code")
    assert_error(act(people["office"], number, "note"), 422, "VALIDATION", "note")
    assert_error(
        act(people["office"], number, "callback", satisfaction="meh"), 422, "VALIDATION", "satisfaction"
    )
    # the stale-version protection of the page
    assert act(people["office"], number, "note", note="一", expected_version=version).status_code == 200
    stale = act(people["office"], number, "note", note="二", expected_version=version)
    assert_error(stale, 409, "TRANSITION_STALE")
    fresh = act(people["office"], number, "note", note="二", expected_version=version + 1)
    assert fresh.status_code == 200 and fresh.json()["version"] == version + 2


def test_an_application_cannot_ask_for_an_extension_a_person_must(
    app_client: Any, hotline: Any, tree: Any
) -> None:
    number = register(hotline, tree["village_a"].code)["number"]
    town = app_client(unit="town_a", roles=(Role.OFFICE,))
    act(hotline, number, "assign", unit_code=tree["town_a"].code)
    assert act(town, number, "accept").status_code == 200
    refused = act(town, number, "request_extension", days=3, reason="x")
    assert_error(refused, 400, "TRANSITION_MISSING", "requested_by")


def test_every_action_of_the_pages_has_its_endpoint_in_the_openapi_document(client: Any) -> None:
    from minqing.ledger.forms import ACTION_FORMS

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    actions = {
        p.rsplit("/", 1)[1]
        for p in paths
        if p.startswith("/api/v1/problems/{number}/") and "post" in paths[p]
    }
    assert actions == {str(a) for a in ACTION_FORMS} | {"reopen"}
    for path in ("/api/v1/problems/", "/api/v1/problems/{number}", "/api/v1/problems/{number}/events"):
        assert "get" in paths[path]
    assert "201" in paths["/api/v1/problems/"]["post"]["responses"]


# The state each action is tried in, and a body the schema accepts: every refusal below comes from
# the caller (its key, its subtree, its role), never from the state or the input.
MATRIX: dict[str, tuple[str, dict[str, Any]]] = {
    "assign": (State.REGISTERED, {"unit_code": "150902001000"}),
    "accept": (State.ASSIGNED, {}),
    "return": (State.ASSIGNED, {"note": "不属于本单位"}),
    "claim": (State.ASSIGNED, {}),
    "start": (State.ACCEPTED, {}),
    "request_extension": (State.ACCEPTED, {"days": 2, "reason": "协调"}),
    "grant_extension": (State.ACCEPTED, {}),
    "deny_extension": (State.ACCEPTED, {}),
    "resolve": (State.ACCEPTED, {"resolution_kind": "rectified", "measures": "已修"}),
    "close": (State.RESOLVED, {}),
    "callback": (State.RESOLVED, {"satisfaction": "satisfied"}),
    "reopen": (State.RESOLVED, {}),
    "merge": (State.REGISTERED, {"into": "WT-OTHER"}),
    "note": (State.REGISTERED, {"note": "备注"}),
}


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_the_permission_matrix_of_every_action(
    action: str, hotline: Any, app_client: Any, user_client: Any, tree: Any
) -> None:
    from minqing.api.keys import key_revoke
    from minqing.orgs.actors import SYSTEM

    state, body = MATRIX[action]
    number = register(hotline, tree["village_a"].code)["number"]
    Problem.objects.filter(number=number).update(
        state=state, responsible_unit=tree["town_a"], responsible_path=tree["town_a"].path
    )
    before = Problem.objects.get(number=number).version
    outsider = user_client(Role.OFFICE, "town_b")
    assert_error(act(outsider, number, action, **body), 404, "NOT_FOUND")
    read_only = app_client(unit="county", roles=(Role.OFFICE, Role.INTAKE, Role.LEADER), scopes=[Scope.READ])
    assert_error(act(read_only, number, action, **body), 403, "SCOPE_MISSING")
    viewer = user_client(Role.VIEWER, "county")
    assert_error(act(viewer, number, action, **body), 403, "TRANSITION_ROLE")
    anonymous = app_client(unit="county")
    anonymous.headers = {}
    assert_error(act(anonymous, number, action, **body), 401, "UNAUTHENTICATED")
    revoked = app_client(unit="county", roles=(Role.OFFICE, Role.INTAKE))
    key_revoke(actor=SYSTEM, key=revoked.key)
    assert_error(act(revoked, number, action, **body), 401, "UNAUTHENTICATED")
    assert Problem.objects.get(number=number).version == before
    assert ProblemEvent.objects.filter(problem__number=number).count() == 1  # the registration only


@pytest.mark.parametrize("path", ["", "{n}", "{n}/events", "{n}/reporter"])
def test_the_permission_matrix_of_every_read(path: str, hotline: Any, app_client: Any, tree: Any) -> None:
    from minqing.api.keys import key_revoke
    from minqing.orgs.actors import SYSTEM

    number = register(hotline, tree["village_a"].code)["number"]
    url = BASE + path.format(n=number)
    anonymous = app_client(unit="county")
    anonymous.headers = {}
    assert_error(anonymous.get(url), 401, "UNAUTHENTICATED")
    revoked = app_client(unit="county", roles=(Role.OFFICE,))
    key_revoke(actor=SYSTEM, key=revoked.key)
    assert_error(revoked.get(url), 401, "UNAUTHENTICATED")
    assert_error(app_client(unit="county", scopes=[Scope.PROBLEMS_WRITE]).get(url), 403, "SCOPE_MISSING")
    inside = app_client(unit="county", roles=(Role.OFFICE,), scopes=[Scope.READ])
    assert inside.get(url).status_code == 200
    outside = app_client(unit="town_b", roles=(Role.OFFICE,), scopes=[Scope.READ])
    if path:
        assert_error(outside.get(url), 404, "NOT_FOUND")
    else:
        assert outside.get(url).json()["items"] == []


def test_an_action_note_is_public_only_with_the_public_flag(hotline: Any, people: Any, tree: Any) -> None:
    """The action endpoints take the pages' 公开 box (issue 14): the step shows on the public
    timeline, its note only when ``public`` is sent true; a leader claims once."""
    number = register(hotline, tree["village_a"].code)["number"]
    intake, leader, staff = people["intake"], people["leader"], people["staff"]
    assert act(intake, number, "assign", unit_code=tree["town_a"].code, note="内部:先核实").status_code == 200
    assert act(staff, number, "accept", note="三日内维修", public=True).status_code == 200
    assert act(leader, number, "claim").status_code == 200
    assert_error(act(leader, number, "claim"), 409, "ALREADY_CLAIMED")
    events = people["viewer"].get(f"{BASE}{number}/events", public_only=True).json()
    shown = [(e["action"], e["note"], e["note_public"]) for e in events]
    assert shown == [
        ("register", "", False),
        ("assign", "内部:先核实", False),
        ("accept", "三日内维修", True),
        ("claim", "", False),
    ]
