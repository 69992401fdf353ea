"""The permission matrix's table (``test_permission_matrix``): for every URL pattern, the answer
each persona gets to a GET and, for the pages that take a POST, to a POST.

Personas (``permission_world``): ``anon``, ``norole`` (signed in, no role), ``other`` (unit staff
of the sibling township B) and each role held on township A, where the objects are: ``office``,
``unit_staff``, ``leader``, ``inspector``, ``intake``, ``viewer``.

Answers: an HTTP status, or ``LOGIN`` (a redirect to the login page). A POST is sent with the
``data`` of its row (empty when none): for the pages that write, a refused POST (403, 404, 405,
``LOGIN``) must change nothing, and an allowed one answers its form (200) or its redirect (302).

Excluded by one rule: the ``admin`` namespace. Django generates its ~120 patterns from the
registered ModelAdmins and every one goes through ``AdminSite.admin_view`` (staff only, else
the admin's login page); four representative rows below cover that gate. There are no static
or media patterns (files are served by the web server, not by URL patterns).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minqing.core.tests.permission_world import PERSONAS, MatrixWorld

LOGIN = "login"
EXCLUDED_NAMESPACES = frozenset({"admin"})

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
    "public:track": lambda w: {"code": w.feedback.tracking_code},
    "activities:detail": _activity,
    "activities:check_in": _activity,
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
    "reports:template_edit": lambda w: {"kind": "themed"},
    "orgs:unit": _unit,
    "orgs:unit_people": _unit,
    "orgs:unit_households": _unit,
    "orgs:person": _pk("person"),
    "orgs:person_reveal": _pk("person"),
    "orgs:household": _pk("household"),
    "admin:orgs_unit_change": lambda w: {"object_id": w.u["town_a"].pk},
}
QUERY = {"reports:download": f"?unit={TOWN_A}&as_of=2019-12-20"}
DATA: dict[str, Callable[[MatrixWorld], dict[str, Any]]] = {
    # a valid assignment, so the refusal comes from the permission check, not the form
    "ledger:act": lambda w: {
        "assign-expected_version": w.problem.version,
        "assign-unit_code": w.u["village_a"].code,
    },
    "reports:publish": lambda w: {"unit": TOWN_A, "as_of": "2019-12-20", "campaign": w.campaign.pk},
    "reports:notes": lambda w: {
        "unit": TOWN_A,
        "as_of": "2019-12-20",
        "campaign": w.campaign.pk,
        "bulletin_notes": "甲",
    },
}
ALL = PERSONAS


def R(name: str, get: Answers, post: Answers | None = None, writes: tuple[str, ...] = ()) -> Row:
    return Row(name, get, post, KWARGS.get(name), QUERY.get(name, ""), DATA.get(name), writes)


# Answers as the code gives them today. A POST row is declared where the view takes a POST
# (forms and actions; a POST with empty data shows the form's errors, 200, to who may write).
ROWS: list[Row] = [
    # --- accounts and language (Django's views) ---
    R("set_language", A(302), post=A(302)),
    R("login", A(302, anon=200), post=A(302, anon=200)),
    R("logout", A(405), post=A(LOGIN)),
    # --- the ledger: staff pages; a problem of village A ---
    R("ledger:queue", A(200, anon=LOGIN)),  # without a role: an empty queue
    R(
        "ledger:intake",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200, intake=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200, intake=200),
    ),
    R("ledger:export", A(200, anon=LOGIN)),
    R("ledger:notifications", A(200, anon=LOGIN)),
    R("ledger:notification_read", A(405), post=A(404, anon=LOGIN, office=302), writes=("office",)),
    R("ledger:detail", A(200, anon=LOGIN, norole=404, other=404)),
    R("ledger:reveal", A(405), post=A(404, anon=LOGIN, office=200, intake=200), writes=("office", "intake")),
    # a valid assignment to village A: only the dispatchers (office, intake) may; others see the
    # form's refusal (200) and nothing changes
    R(
        "ledger:act",
        A(405),
        post=A(200, anon=LOGIN, norole=404, other=404, office=302, intake=302),
        writes=("office", "intake"),
    ),
    # --- the public pages: no login ---
    R("public:submit", A(200), post=A(200)),
    R("public:track_form", A(200)),
    R("public:track", A(200)),
    R("public:problems", A(200)),
    # --- activities, the phone check-in and the campaign page ---
    R("activities:list", A(200, anon=LOGIN)),
    R(
        "activities:new",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
    ),
    R("activities:counts", A(200, anon=LOGIN, norole=404)),  # its GET still refreshes rollups (item 4)
    R("activities:campaigns", A(200, anon=LOGIN), post=A(403, anon=LOGIN, office=200)),
    R("activities:detail", A(200, anon=LOGIN, norole=404, other=404)),
    R(
        "activities:check_in",
        A(405),
        post=A(403, anon=LOGIN, norole=404, other=404, office=302, unit_staff=302),
    ),
    R("checkin:form", A(200)),
    R("checkin:code", A(200), post=A(200), writes=ALL),  # every POST counts a rate-limit hit
    # --- outreach: research, visits, work plans, coverage ---
    R("outreach:research", A(200, anon=LOGIN, norole=404)),
    # the new-record forms open to any signed-in user (the lists answer 404 without a role); the
    # service refuses the write itself (403) once the form is valid
    R("outreach:topic_new", A(200, anon=LOGIN), post=A(200, anon=LOGIN)),
    R("outreach:topic", A(200, anon=LOGIN, norole=404, other=404)),
    R("outreach:interview_add", A(405), post=A(200, anon=LOGIN, norole=404, other=404)),
    R("outreach:report_add", A(405), post=A(200, anon=LOGIN, norole=404, other=404)),
    R("outreach:visits", A(200, anon=LOGIN, norole=404)),
    R("outreach:visit_new", A(200, anon=LOGIN), post=A(200, anon=LOGIN)),
    R("outreach:plans", A(200, anon=LOGIN, norole=404)),
    R("outreach:plan_new", A(200, anon=LOGIN), post=A(200, anon=LOGIN)),
    R("outreach:plan", A(200, anon=LOGIN, norole=404, other=404)),
    R("outreach:plan_review", A(405), post=A(403, anon=LOGIN, norole=404, other=404)),
    R("outreach:coverage", A(200, anon=LOGIN, norole=404)),
    # --- supervision: the county's guidance group over townships A and B; an inspection of A ---
    R("supervision:groups", A(200, anon=LOGIN)),
    R("supervision:group_new", A(403, anon=LOGIN, office=200), post=A(403, anon=LOGIN, office=200)),
    R("supervision:group", A(200, anon=LOGIN, norole=404)),
    # the group is the county's: township A's office may not edit it
    R("supervision:group_edit", A(403, anon=LOGIN, norole=404), post=A(403, anon=LOGIN, norole=404)),
    R("supervision:inspections", A(200, anon=LOGIN, norole=404)),
    R(
        "supervision:inspection_new",
        A(403, anon=LOGIN, office=200, inspector=200),
        post=A(403, anon=LOGIN, office=200, inspector=200),
    ),
    R("supervision:inspection", A(200, anon=LOGIN, norole=404, other=404)),
    R("supervision:unit_rounds", A(200, anon=LOGIN, norole=404)),
    R("supervision:never_inspected", A(200, anon=LOGIN, norole=404)),
    # --- programmes: owned by township A ---
    R("programmes:list", A(200, anon=LOGIN)),
    R("programmes:new", A(403, anon=LOGIN, office=200), post=A(403, anon=LOGIN, office=200)),
    R("programmes:detail", A(200, anon=LOGIN, norole=404, other=404)),
    R("programmes:export", A(200, anon=LOGIN, norole=404, other=404)),
    R(
        "programmes:targets",
        A(200, anon=LOGIN, norole=404, other=404),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200),
    ),
    R(
        "programmes:target",
        A(200, anon=LOGIN, norole=404, other=404),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200),
    ),
    R(
        "programmes:report",
        A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    R(
        "programmes:upload",
        A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    R("programmes:template", A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200)),
    R("programmes:reports", A(200, anon=LOGIN, norole=404, other=404)),
    # --- catalogues: items of township A ---
    R("catalogues:index", A(200, anon=LOGIN)),
    R("catalogues:powers", A(200, anon=LOGIN)),
    R(
        "catalogues:power_new",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
    ),
    R("catalogues:power_export", A(200, anon=LOGIN)),
    R("catalogues:power_import", A(403, anon=LOGIN, office=200), post=A(403, anon=LOGIN, office=200)),
    R(
        "catalogues:power",
        A(200, anon=LOGIN, norole=404, other=404),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    R("catalogues:reforms", A(200, anon=LOGIN)),
    R(
        "catalogues:reform_new",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
    ),
    R("catalogues:reform_export", A(200, anon=LOGIN)),
    R("catalogues:reform_import", A(403, anon=LOGIN, office=200), post=A(403, anon=LOGIN, office=200)),
    R(
        "catalogues:reform",
        A(200, anon=LOGIN, norole=404, other=404),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    R(
        "catalogues:reform_result_new",
        A(405),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    R("catalogues:commendations", A(200, anon=LOGIN)),
    R(
        "catalogues:commendation_new",
        A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
        post=A(403, anon=LOGIN, other=200, office=200, unit_staff=200),
    ),
    R("catalogues:commendation_export", A(200, anon=LOGIN)),
    R("catalogues:commendation_import", A(403, anon=LOGIN, office=200), post=A(403, anon=LOGIN, office=200)),
    R(
        "catalogues:commendation",
        A(200, anon=LOGIN, norole=404, other=404),
        post=A(403, anon=LOGIN, norole=404, other=404, office=200, unit_staff=200),
    ),
    # --- reports: bulletins (township A's published one) and the dashboard ---
    R("reports:index", A(200, anon=LOGIN)),
    R("reports:download", A(200, anon=LOGIN, norole=404, other=404)),
    R(
        "reports:publish",
        A(405),
        post=A(403, anon=LOGIN, norole=404, other=404, office=302),
        writes=("office",),
    ),
    R("reports:notes", A(405), post=A(403, anon=LOGIN, norole=404)),  # notes are the campaign's (county)
    R("reports:published", A(200, anon=LOGIN)),
    R("reports:published_export", A(200, anon=LOGIN)),
    R(
        "reports:published_check_all",
        A(405),
        post=A(302, anon=LOGIN),
        writes=("office", "unit_staff", "leader", "inspector", "intake", "viewer"),
    ),
    R("reports:published_detail", A(200, anon=LOGIN, norole=404, other=404)),
    R(
        "reports:published_check",
        A(405),
        post=A(302, anon=LOGIN, norole=404, other=404),
        writes=("office", "unit_staff", "leader", "inspector", "intake", "viewer"),
    ),
    R("reports:published_download", A(200, anon=LOGIN, norole=404, other=404)),
    R("reports:templates", A(200, anon=LOGIN)),
    R("reports:template_edit", A(403, anon=LOGIN), post=A(403, anon=LOGIN)),  # the templates are global
    R("reports:dashboard", A(200, anon=LOGIN, norole=404)),
    # --- the organisation network: township A, its person and a household of grid A ---
    R("orgs:home", A(302, anon=LOGIN)),  # to the user's first page
    R("orgs:tree", A(200, anon=LOGIN)),
    R("orgs:unit", A(200, anon=LOGIN, norole=404, other=404)),
    R("orgs:unit_people", A(200, anon=LOGIN, norole=404, other=404)),
    R("orgs:unit_households", A(200, anon=LOGIN, norole=404, other=404)),
    R("orgs:person", A(200, anon=LOGIN, norole=404, other=404)),
    R(
        "orgs:person_reveal",
        A(405),
        post=A(200, anon=LOGIN, norole=404, other=404, inspector=403, intake=403, viewer=403),
    ),
    R("orgs:household", A(200, anon=LOGIN, norole=404, other=404)),
    # --- the admin: representative rows of the one gate (no persona is staff) ---
    R("admin:index", A(302)),  # to the admin's own login page
    R("admin:login", A(200)),
    R("admin:orgs_unit_changelist", A(302)),
    R("admin:orgs_unit_change", A(302)),
]
