"""The permission matrix's table (``test_permission_matrix``): for every URL pattern, the answer
each persona gets to a GET and, for the pages that take a POST, to a POST.

Personas (``permission_world``): ``anon``, ``norole`` (signed in, no role), ``other`` (unit staff
of the sibling township B) and each role held on township A, where the objects are: ``office``,
``unit_staff``, ``leader``, ``inspector``, ``intake``, ``viewer``.

Answers: an HTTP status, or ``LOGIN`` (a redirect to the login page). A POST is sent with the
``data`` of its row (empty when none): for the pages that write, a refused POST (403, 404, 405,
``LOGIN``) must change nothing, and an allowed one answers its form (200) or its redirect (302).

Excluded by one rule: the ``admin`` namespace. Django generates its ~120 patterns from the
registered ModelAdmins and every one goes through ``AdminSite.admin_view`` (an active staff
account holding an administrator duty, else the admin's login page); four representative rows
below cover that gate, and ``orgs/tests/test_admin_duties.py`` is the admin's own matrix of the
three duties against every registered model. There are no static
or media patterns (files are served by the web server, not by URL patterns).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minqing.core.tests.permission_world import PERSONAS, MatrixWorld

LOGIN = "login"
# the API has its own matrix over its endpoints (minqing/api/tests/test_permission_matrix.py);
# Open311 signs in by api_key, not by session: minqing/open311/tests check every call
EXCLUDED_NAMESPACES = frozenset({"admin", "api-v1", "open311"})

Answers = dict[str, int | str]


def A(default: int | str, **cells: int | str) -> Answers:
    """Every persona answers ``default`` except those named."""
    assert set(cells) <= set(PERSONAS), cells
    return {p: cells.get(p, default) for p in PERSONAS}


@dataclass(frozen=True)
class Row:
    name: str
    get: Answers | None
    post: Answers | None = None
    kwargs: Callable[[MatrixWorld], dict[str, Any]] | None = None
    query: str = ""
    data: Callable[[MatrixWorld], dict[str, Any]] | None = None
    writes: tuple[str, ...] = ()  # who may change the database by this POST; nobody else does


def _problem(w: MatrixWorld) -> dict[str, Any]:
    return {"number": w.problem.number}


def _activity(w: MatrixWorld) -> dict[str, Any]:
    return {"number": w.activity.number}


def _pk(attr: str) -> Callable[[MatrixWorld], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attr).pk}


def _unit(w: MatrixWorld) -> dict[str, Any]:
    return {"pk": w.u["town_a"].pk}


TOWN_A = "150902001000"
KWARGS: dict[str, Callable[[MatrixWorld], dict[str, Any]]] = {
    "ledger:notification_read": _pk("notification"),
    "ledger:detail": _problem,
    "ledger:reveal": _problem,
    "ledger:act": lambda w: {"number": w.problem.number, "action": "assign"},
    "ledger:moderate": _problem,
    "public:track": lambda w: {"code": w.feedback.tracking_code},
    "public:follow": lambda w: {"code": w.feedback.tracking_code},
    "public:send_code": lambda w: {"code": w.feedback.tracking_code},
    "public:rate": lambda w: {"code": w.feedback.tracking_code},
    "public:track_qr": lambda w: {"code": w.feedback.tracking_code},
    "notify:unsubscribe": lambda w: {"token": "not-a-signed-token"},
    "activities:detail": _activity,
    "activities:check_in": _activity,
    "activities:qr": _activity,
    "activities:poster": _activity,
    "checkin:code": lambda w: {"code": w.activity.short_code},
    "outreach:topic": _pk("topic"),
    "outreach:interview_add": _pk("topic"),
    "outreach:report_add": _pk("topic"),
    "outreach:plan": _pk("plan"),
    "outreach:plan_review": _pk("plan"),
    "supervision:group": _pk("group"),
    "supervision:group_edit": _pk("group"),
    "supervision:inspection": _pk("inspection"),
    "programmes:detail": _pk("programme"),
    "programmes:export": _pk("programme"),
    "programmes:targets": _pk("programme"),
    "programmes:target": lambda w: {"pk": w.programme.pk, "key": w.target.key},
    "programmes:report": _pk("programme"),
    "programmes:upload": _pk("programme"),
    "programmes:template": _pk("programme"),
    "programmes:reports": _pk("programme"),
    "catalogues:power": _pk("power"),
    "catalogues:reform": _pk("reform"),
    "catalogues:reform_result_new": _pk("reform"),
    "catalogues:commendation": _pk("commendation"),
    "reports:download": lambda w: {"fmt": "txt"},
    "reports:published_detail": _pk("bulletin"),
    "reports:published_check": _pk("bulletin"),
    "reports:published_download": lambda w: {"pk": w.bulletin.pk, "fmt": "txt"},
    "reports:template_default_edit": lambda w: {"kind": "themed"},
    "reports:template_edit": lambda w: {"code": TOWN_A, "kind": "themed"},
    "reports:template_copy": lambda w: {"code": TOWN_A, "kind": "themed"},
    "reports:template_reset": lambda w: {"code": TOWN_A, "kind": "themed"},
    "orgs:unit": _unit,
    "orgs:unit_people": _unit,
    "orgs:unit_households": _unit,
    "orgs:person": _pk("person"),
    "orgs:person_reveal": _pk("person"),
    "orgs:household": _pk("household"),
    "admin:orgs_unit_change": lambda w: {"object_id": w.u["town_a"].pk},
    "api_clients:application": lambda w: {"pk": w.extra["application"].pk},
    "api_clients:key_issue": lambda w: {"pk": w.extra["application"].pk},
    "api_clients:key_revoke": lambda w: {"pk": w.extra["application"].pk, "key_pk": w.extra["app_key"].pk},
    "api_clients:subscription_new": lambda w: {"pk": w.extra["application"].pk},
    "api_clients:subscription_toggle": lambda w: {
        "pk": w.extra["application"].pk,
        "sub_pk": w.extra["subscription"].pk,
    },
    "api_clients:delivery_retry": lambda w: {
        "pk": w.extra["application"].pk,
        "delivery_pk": w.extra["delivery"].pk,
    },
    "api_clients:token_revoke": lambda w: {"key_pk": w.extra["token"].pk},
    "photos:serve": lambda w: {"key": w.extra["photo"].key, "variant": "thumb"},
    "photos:set_public": lambda w: {"key": w.extra["photo"].key},
}
QUERY = {"reports:download": f"?unit={TOWN_A}&as_of=2019-12-20"}
DATA: dict[str, Callable[[MatrixWorld], dict[str, Any]]] = {
    # a valid assignment, so the refusal comes from the permission check, not the form
    "ledger:act": lambda w: {
        "assign-expected_version": w.problem.version,
        "assign-unit_code": w.u["village_a"].code,
    },
    # a valid decision, so the refusal comes from the permission check, not the form
    "ledger:moderate": lambda w: {"moderation-decision": "approve", "moderation-public_title": "路灯不亮"},
    "reports:publish": lambda w: {"unit": TOWN_A, "as_of": "2019-12-20", "campaign": w.campaign.pk},
    "reports:notes": lambda w: {
        "unit": TOWN_A,
        "as_of": "2019-12-20",
        "campaign": w.campaign.pk,
        "bulletin_notes": "甲",
    },
    "reports:template_edit": lambda w: {"title": "{unit}简报", "body": "截至{as_of},{unit}。"},
    "reports:template_default_edit": lambda w: {"title": "{unit}简报", "body": "截至{as_of},{unit}。"},
    "api_clients:key_issue": lambda w: {"name": "k2"},
    "api_clients:subscription_new": lambda w: {
        "url": "https://example.org/hook",
        "event_types": ["problem.registered"],
    },
    "api_clients:subscription_toggle": lambda w: {"active": "0"},
    "photos:set_public": lambda w: {"public": "1"},
}
ALL = PERSONAS
SIGNED_IN_PERSONAS = tuple(p for p in PERSONAS if p != "anon")


def R(name: str, get: Answers, post: Answers | None = None, writes: tuple[str, ...] = ()) -> Row:
    return Row(name, get, post, KWARGS.get(name), QUERY.get(name, ""), DATA.get(name), writes)


# answers shared by many rows
SIGNED_IN = A(200, anon=LOGIN)  # any signed-in user
IN_SCOPE = A(200, anon=LOGIN, norole=404)  # any role anywhere (township B's staff sees its own subtree)
IN_A = A(200, anon=LOGIN, norole=404, other=404)  # any role over township A, where the object is
POST_ONLY = A(405)  # a GET on a POST-only view
A_WRITERS = A(
    403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200
)  # unit writers of township A's object
UNIT_WRITERS = A(
    403, anon=LOGIN, other=200, office=200, unit_staff=200
)  # unit writers anywhere (a form for their own unit)
OFFICE = A(403, anon=LOGIN, office=200)  # the office only

# Answers as the code gives them today. A POST row is declared where the view takes a POST
# (forms and actions; a POST with empty data shows the form's errors, 200, to who may write).
ROWS: list[Row] = [
    # --- accounts and language (Django's views) ---
    R("set_language", A(302), post=A(302)),
    R("login", A(302, anon=200), post=A(302, anon=200)),
    R("logout", POST_ONLY, post=A(LOGIN)),
    # --- identity (minqing.accounts; force_login also verifies the second factor: conftest) ---
    R("accounts:verify", A(302, anon=LOGIN), post=A(302, anon=LOGIN)),  # verified: on to the page
    # the enrollment page makes the pending device its secret is shown from
    R("accounts:enroll", SIGNED_IN, post=SIGNED_IN, writes=SIGNED_IN_PERSONAS),
    R("accounts:enroll_qr", SIGNED_IN),
    R("accounts:recovery_codes", SIGNED_IN, post=A(302, anon=LOGIN), writes=SIGNED_IN_PERSONAS),
    R("accounts:password_change", SIGNED_IN, post=SIGNED_IN),
    R("accounts:second_factor_reset", A(403, anon=LOGIN), post=A(403, anon=LOGIN)),  # security admin only
    R("admin_login", A(200), post=A(200)),  # the admin site's login, through minqing.accounts
    R("admin_password_change", A(302)),  # to accounts:password_change
    # the audit page: the audit administrator only (no persona holds that duty: test_audit_page)
    R("audit:events", A(403, anon=LOGIN)),
    # --- the ledger: staff pages; a problem of village A ---
    R("ledger:queue", SIGNED_IN),  # without a role: an empty queue
    R(
        "ledger:intake",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200, intake=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200, intake=200),
    ),
    R("ledger:export", SIGNED_IN),
    R("ledger:notifications", SIGNED_IN),
    R("nlp:acceptance", OFFICE),  # how often the intake suggestions were taken (the office's scope)
    R("ledger:notification_read", POST_ONLY, post=A(404, anon=LOGIN, office=302), writes=("office",)),
    R("ledger:detail", IN_A),
    R(
        "ledger:reveal",
        POST_ONLY,
        post=A(404, anon=LOGIN, office=200, intake=200),
        writes=("office", "intake"),
    ),
    # a valid assignment to village A: only the dispatchers (office, intake) may; others see the
    # form's refusal (200) and nothing changes
    R(
        "ledger:act",
        POST_ONLY,
        post=A(200, anon=LOGIN, norole=404, other=404, office=302, intake=302),
        writes=("office", "intake"),
    ),
    # 公开审核: the moderators (office, intake) over village A; other roles there are refused (403)
    R(
        "ledger:moderate",
        POST_ONLY,
        post=A(403, anon=LOGIN, norole=404, other=404, office=302, intake=302),
        writes=("office", "intake"),
    ),
    # --- the public pages: no login ---
    R("public:submit", A(200), post=A(200)),
    R("public:track_form", A(200)),
    R("public:track", A(200)),
    R("public:problems", A(200)),
    # the holder of the code (anyone: no login); an empty POST answers the page with its errors
    R("public:follow", POST_ONLY, post=A(200)),
    R("public:send_code", POST_ONLY, post=A(200)),
    R("public:rate", POST_ONLY, post=A(200)),
    R("public:track_qr", A(200)),
    # Prometheus figures: this machine only when no token is set (the test client is 127.0.0.1,
    # not proxied); minqing/ops/tests/test_metrics.py checks the refusals and the token
    R("metrics", A(200)),
    # --- photos (minqing/photos): a report's photo not approved for the public: who sees the
    # problem fetches it; approving it is the office's and intake's (the others are told no, 302)
    R(
        "photos:serve",
        A(404, office=200, unit_staff=200, leader=200, inspector=200, intake=200, viewer=200),
        post=A(405),
    ),
    R(
        "photos:set_public",
        POST_ONLY,
        post=A(302, anon=LOGIN, norole=404, other=404),
        writes=("office", "intake"),
    ),
    # the place picker's JSON (territorial units only); locating needs lat and lon (an empty POST: 400)
    R("public:places", A(200), post=A(405)),
    R("public:places_locate", POST_ONLY, post=A(400)),
    # --- messages (minqing/notify): a token not signed here stops nothing; one's own preference ---
    R("notify:unsubscribe", A(404), post=A(404)),
    R("notify:preferences", SIGNED_IN, post=SIGNED_IN),
    # --- activities, the phone check-in and the campaign page ---
    R("activities:list", SIGNED_IN),
    R("activities:new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("activities:counts", IN_SCOPE),  # its GET still refreshes rollups (item 4)
    R("activities:campaigns", SIGNED_IN, post=OFFICE),
    R("activities:detail", IN_A),
    R(
        "activities:check_in",
        POST_ONLY,
        post=A(403, anon=LOGIN, norole=404, other=404, office=302, unit_staff=302),
    ),
    R("activities:qr", IN_A),  # the check-in link as an SVG QR code
    R("activities:poster", IN_A),  # the printable QR page for the meeting hall
    R("checkin:form", A(200)),
    R("checkin:code", A(200), post=A(200), writes=ALL),  # every POST counts a rate-limit hit
    # --- outreach: research, visits, work plans, coverage ---
    R("outreach:index", IN_SCOPE),
    R("outreach:research", IN_SCOPE),
    # the new-record forms are for unit writers anywhere (a form for their own unit)
    R("outreach:topic_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("outreach:topic", IN_A),
    R("outreach:interview_add", POST_ONLY, post=IN_A),
    R("outreach:report_add", POST_ONLY, post=IN_A),
    R("outreach:visits", IN_SCOPE),
    R("outreach:visit_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("outreach:plans", IN_SCOPE),
    R("outreach:plan_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("outreach:plan", IN_A),
    R("outreach:plan_review", POST_ONLY, post=A(403, anon=LOGIN, norole=404, other=404)),
    R("outreach:coverage", IN_SCOPE),
    # --- supervision: the county's guidance group over townships A and B; an inspection of A ---
    R("supervision:groups", SIGNED_IN),
    R("supervision:group_new", OFFICE, post=OFFICE),
    R("supervision:group", IN_SCOPE),
    # the group is the county's: township A's office may not edit it
    R("supervision:group_edit", A(403, anon=LOGIN, norole=404), post=A(403, anon=LOGIN, norole=404)),
    R("supervision:inspections", IN_SCOPE),
    R(
        "supervision:inspection_new",
        A(403, anon=LOGIN, office=200, inspector=200),
        post=A(403, anon=LOGIN, office=200, inspector=200),
    ),
    R("supervision:inspection", IN_A),
    R("supervision:unit_rounds", IN_SCOPE),
    R("supervision:never_inspected", IN_SCOPE),
    # --- programmes: owned by township A ---
    R("programmes:list", SIGNED_IN),
    R("programmes:new", OFFICE, post=OFFICE),
    R("programmes:detail", IN_A),
    R("programmes:export", IN_A),
    R("programmes:targets", IN_A, post=A(403, anon=LOGIN, norole=404, other=404, office=200)),
    R("programmes:target", IN_A, post=A(403, anon=LOGIN, norole=404, other=404, office=200)),
    R("programmes:report", A_WRITERS, post=A_WRITERS),
    R("programmes:upload", A_WRITERS, post=A_WRITERS),
    R("programmes:template", A_WRITERS),
    R("programmes:reports", IN_A),
    # --- catalogues: items of township A ---
    R("catalogues:index", SIGNED_IN),
    R("catalogues:powers", SIGNED_IN),
    R("catalogues:power_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("catalogues:power_export", SIGNED_IN),
    R("catalogues:power_import", OFFICE, post=OFFICE),
    R("catalogues:power", IN_A, post=A_WRITERS),
    R("catalogues:reforms", SIGNED_IN),
    R("catalogues:reform_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("catalogues:reform_export", SIGNED_IN),
    R("catalogues:reform_import", OFFICE, post=OFFICE),
    R("catalogues:reform", IN_A, post=A_WRITERS),
    R("catalogues:reform_result_new", POST_ONLY, post=A_WRITERS),
    R("catalogues:commendations", SIGNED_IN),
    R("catalogues:commendation_new", UNIT_WRITERS, post=UNIT_WRITERS),
    R("catalogues:commendation_export", SIGNED_IN),
    R("catalogues:commendation_import", OFFICE, post=OFFICE),
    R("catalogues:commendation", IN_A, post=A_WRITERS),
    # --- reports: bulletins (township A's published one) and the dashboard ---
    R("reports:index", SIGNED_IN),
    R("reports:download", IN_A),
    R(
        "reports:publish",
        POST_ONLY,
        post=A(403, anon=LOGIN, norole=404, other=404, office=302),
        writes=("office",),
    ),
    R("reports:notes", POST_ONLY, post=A(403, anon=LOGIN, norole=404)),  # notes are the campaign's (county)
    R("reports:published", SIGNED_IN),
    R("reports:published_export", SIGNED_IN),
    R(
        "reports:published_check_all",
        POST_ONLY,
        post=A(302, anon=LOGIN),
        writes=("office", "unit_staff", "leader", "inspector", "intake", "viewer"),
    ),
    R("reports:published_detail", IN_A),
    R(
        "reports:published_check",
        POST_ONLY,
        post=A(302, anon=LOGIN, norole=404, other=404),
        writes=("office", "unit_staff", "leader", "inspector", "intake", "viewer"),
    ),
    R("reports:published_download", IN_A),
    R("reports:templates", SIGNED_IN),
    # a unit's templates: its own office only (township A's); the default: the system administrator
    R("reports:template_default_edit", A(403, anon=LOGIN), post=A(403, anon=LOGIN)),
    R(
        "reports:template_edit",
        A(403, anon=LOGIN, norole=404, other=404, office=200),
        post=A(403, anon=LOGIN, norole=404, other=404, office=302),
        writes=("office",),
    ),
    R(
        "reports:template_copy",
        POST_ONLY,
        post=A(403, anon=LOGIN, norole=404, other=404, office=302),
        writes=("office",),
    ),
    R("reports:template_reset", POST_ONLY, post=A(403, anon=LOGIN, norole=404, other=404, office=302)),
    R("reports:dashboard", IN_SCOPE),
    # hot topics: the office and leaders of the unit (each persona's own unit by default)
    R("reports:hot_topics", A(403, anon=LOGIN, norole=404, office=200, leader=200)),
    # --- the organisation network: township A, its person and a household of grid A ---
    R("orgs:home", SIGNED_IN),  # 我的工作: the blocks the user's roles call for
    R("orgs:tree", SIGNED_IN),
    R("orgs:unit_lookup", SIGNED_IN),  # JSON, scoped: a user without a role gets no results
    R("orgs:unit", IN_A),
    R("orgs:unit_people", IN_A),
    R("orgs:unit_households", IN_A),
    R("orgs:person", IN_A),
    R(
        "orgs:person_reveal",
        POST_ONLY,
        post=A(200, anon=LOGIN, norole=404, other=404, inspector=403, intake=403, viewer=403),
    ),
    R("orgs:household", IN_A),
    # --- the open API's management pages: township A's application, the office's own token ---
    R("api_clients:applications", OFFICE),
    R("api_clients:application_new", OFFICE, post=OFFICE),  # empty data: the form again
    R("api_clients:application", A(404, anon=LOGIN, office=200)),
    R("api_clients:key_issue", POST_ONLY, post=A(404, anon=LOGIN, office=200), writes=("office",)),
    R("api_clients:key_revoke", POST_ONLY, post=A(404, anon=LOGIN, office=302), writes=("office",)),
    R("api_clients:subscription_new", POST_ONLY, post=A(404, anon=LOGIN, office=200), writes=("office",)),
    R("api_clients:subscription_toggle", POST_ONLY, post=A(404, anon=LOGIN, office=302), writes=("office",)),
    R("api_clients:delivery_retry", POST_ONLY, post=A(404, anon=LOGIN, office=302), writes=("office",)),
    R("api_clients:tokens", SIGNED_IN, post=SIGNED_IN),  # empty data: the form again
    R("api_clients:token_revoke", POST_ONLY, post=A(404, anon=LOGIN, office=302), writes=("office",)),
    # --- the admin: representative rows of the one gate (no persona is staff) ---
    R("admin:index", A(302)),  # to the admin's own login page
    R("admin:login", A(200)),
    R("admin:orgs_unit_changelist", A(302)),
    R("admin:orgs_unit_change", A(302)),
]
