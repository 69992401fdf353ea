"""Every category the audit must record writes its row (who, what, outcome, from where): one
case per category, each failing when its row is missing (docs/audit.md).

One world (``permission_world``) for the module; each case runs in a savepoint rolled back, its
commit callbacks run (the automatic write rows are written when a transaction commits).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from minqing.core.models import AuditEvent
from minqing.core.tests.permission_world import MatrixWorld, make_matrix_world
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import AdminDuty, Application
from minqing.orgs.services.roles import role_grant
from minqing.reports.tests.test_bulletin_world import register_test_metrics

A = AuditEvent.Action
O = AuditEvent.Outcome  # noqa: E741
UA = "Mozilla/5.0 (audit test)"
IP = "203.0.113.9"


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    from minqing.reports.metrics import registry

    saved = dict(registry.METRICS)
    mp = pytest.MonkeyPatch()
    mp.setattr(registry, "MODULES", ())
    registry.METRICS.clear()
    register_test_metrics()
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_matrix_world()
        transaction.set_rollback(True)
    registry.METRICS.clear()
    registry.METRICS.update(saved)
    mp.undo()


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_as(w: MatrixWorld, persona: str | None) -> Client:
    c = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR=IP)
    if persona:
        c.force_login(w.users[persona])
    return c


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[MatrixWorld, Path], Any]
    action: str
    outcome: str = O.SUCCESS
    object_type: str = ""
    account: str = ""  # the actor_name expected ("" = any)
    web: bool = True  # from a request: the address and browser are recorded


def fresh(w: MatrixWorld, persona: str) -> Any:
    """The persona's user read again: a change rolled back must not stay on the world's object."""
    from django.contrib.auth.models import User

    return User.objects.get(pk=w.users[persona].pk)


def _login(w: MatrixWorld, tmp: Path) -> None:
    user = fresh(w, "office")
    user.set_password("pw-Secret-1")
    user.save()
    assert (
        client_as(w, None)
        .post(reverse("login"), {"username": "m_office", "password": "pw-Secret-1"})
        .status_code
        == 302
    )


def _login_failed(w: MatrixWorld, tmp: Path) -> None:
    client_as(w, None).post(reverse("login"), {"username": "m_office", "password": "wrong"})


def _logout(w: MatrixWorld, tmp: Path) -> None:
    client_as(w, "office").post(reverse("logout"))


def _get(
    name: str, persona: str, kwargs: Callable[[MatrixWorld], dict[str, Any]] | None = None, query: str = ""
) -> Callable[[MatrixWorld, Path], Any]:
    def run(w: MatrixWorld, tmp: Path) -> Any:
        r = client_as(w, persona).get(reverse(name, kwargs=kwargs(w) if kwargs else None) + query)
        return r

    return run


def _post(
    name: str,
    persona: str,
    kwargs: Callable[[MatrixWorld], dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> Callable[[MatrixWorld, Path], Any]:
    def run(w: MatrixWorld, tmp: Path) -> Any:
        return client_as(w, persona).post(reverse(name, kwargs=kwargs(w) if kwargs else None), data or {})

    return run


def _import_ok(w: MatrixWorld, tmp: Path) -> None:
    f = tmp / "campaigns.csv"
    f.write_text(
        f"专题名称,类型,范围单位代码,开始日期,结束日期\n新专题,主题教育,{w.u['county'].code},2020-01-01,2020-06-30\n",
        encoding="utf-8",
    )
    call_command("import_data", "campaigns", str(f), "--no-progress")


def _import_failed(w: MatrixWorld, tmp: Path) -> None:
    f = tmp / "bad.csv"
    f.write_text("专题名称,类型\n,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", "campaigns", str(f), "--no-progress")


def _import_refused(w: MatrixWorld, tmp: Path) -> None:
    f = tmp / "people.csv"
    f.write_text("x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", "people", str(f), "--user", "nobody-such", "--no-progress")


def _write_by_service(w: MatrixWorld, tmp: Path) -> None:
    # the household's page writes nothing; a notification is skipped; an application is a
    # permission row; a plain record write: a work-day override in the admin site
    from minqing.core.models import WorkdayOverride

    WorkdayOverride.objects.create(date="2020-01-01", is_workday=False, note="元旦")


def _write_in_admin(w: MatrixWorld, tmp: Path) -> None:
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("audit_root", password="x", is_staff=True)
    AdminDuty.objects.create(user=root, duty=Duty.SYSTEM)  # work-day overrides are the system duty's
    c = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR=IP)
    c.force_login(root)
    r = c.post(
        reverse("admin:core_workdayoverride_add"), {"date": "2020-01-02", "is_workday": "on", "note": "调休"}
    )
    assert r.status_code == 302


def _delete(w: MatrixWorld, tmp: Path) -> None:
    w.commendation.delete()


def _role(w: MatrixWorld, tmp: Path) -> None:
    from django.contrib.auth.models import User

    security = User.objects.create_user("audit_security", is_staff=True)
    AdminDuty.objects.create(user=security, duty=Duty.SECURITY)  # roles are the security duty's
    role_grant(actor=security, user=w.users["norole"], role=Role.VIEWER, unit=w.u["village_a"])


def _duty(w: MatrixWorld, tmp: Path) -> None:
    AdminDuty.objects.create(user=w.users["norole"], duty=Duty.AUDIT)


def _staff_flag(w: MatrixWorld, tmp: Path) -> None:
    user = fresh(w, "norole")
    user.is_superuser = True
    user.save()


def _group(w: MatrixWorld, tmp: Path) -> None:
    fresh(w, "norole").groups.add(Group.objects.create(name="审计组"))


def _application_roles(w: MatrixWorld, tmp: Path) -> None:
    Application.objects.create(name="12345", unit=w.u["county"], roles=[Role.INTAKE])


def _password(w: MatrixWorld, tmp: Path) -> None:
    user = fresh(w, "viewer")
    user.set_password("New-pass-2024")
    user.save()


_person = lambda w: {"pk": w.person.pk}  # noqa: E731
_household = lambda w: {"pk": w.household.pk}  # noqa: E731
_problem = lambda w: {"number": w.problem.number}  # noqa: E731
_programme = lambda w: {"pk": w.programme.pk}  # noqa: E731
_bulletin = lambda w: {"pk": w.bulletin.pk, "fmt": "txt"}  # noqa: E731
_fmt = lambda fmt: lambda w: {"fmt": fmt}  # noqa: E731


def _reveal_person(w: MatrixWorld, tmp: Path) -> Any:
    from minqing.orgs.tests.factories import PersonIdentityFactory

    PersonIdentityFactory(person=w.person)
    return _post("orgs:person_reveal", "office", _person)(w, tmp)


CASES = [
    Case("login", _login, A.LOGIN, account="m_office"),
    Case("login failed", _login_failed, A.LOGIN_FAILED, O.FAILURE, account="m_office"),
    Case("logout", _logout, A.LOGOUT, account="m_office"),
    Case("reveal a person", _reveal_person, A.VIEW_PERSONAL, object_type="orgs.person"),
    Case(
        "a household's page",
        _get("orgs:household", "office", _household),
        A.VIEW_PERSONAL,
        object_type="orgs.household",
    ),
    Case(
        "reveal a reporter",
        _post("ledger:reveal", "office", _problem),
        A.VIEW_PERSONAL,
        object_type="ledger.feedbackidentity",
    ),
    Case(
        "export the ledger",
        _get("ledger:export", "office", query="?format=csv"),
        A.EXPORT,
        object_type="ledger.problem",
    ),
    Case("export powers", _get("catalogues:power_export", "office", query="?format=xlsx"), A.EXPORT),
    Case("export reforms", _get("catalogues:reform_export", "office", query="?format=csv"), A.EXPORT),
    Case(
        "export commendations",
        _get("catalogues:commendation_export", "office", query="?format=csv"),
        A.EXPORT,
    ),
    Case("export programmes", _get("programmes:list", "office", query="?format=xlsx"), A.EXPORT),
    Case("export progress", _get("programmes:export", "office", _programme, "?format=csv"), A.EXPORT),
    Case(
        "export progress reports", _get("programmes:reports", "office", _programme, "?format=csv"), A.EXPORT
    ),
    Case("progress template", _get("programmes:template", "office", _programme), A.EXPORT),
    Case("export groups", _get("supervision:groups", "office", query="?format=csv"), A.EXPORT),
    Case("export inspections", _get("supervision:inspections", "office", query="?format=xlsx"), A.EXPORT),
    Case("export published bulletins", _get("reports:published_export", "office"), A.EXPORT),
    Case("a published bulletin", _get("reports:published_download", "office", _bulletin), A.EXPORT),
    Case(
        "a bulletin",
        _get("reports:download", "office", _fmt("txt"), "?unit=150902001000&as_of=2019-12-20"),
        A.EXPORT,
    ),
    Case("the dashboard's csv", _get("reports:dashboard", "office", query="?format=csv"), A.EXPORT),
    Case(
        "import a file", _import_ok, A.IMPORT, object_type="campaigns.campaign", account="system", web=False
    ),
    Case("an import that fails", _import_failed, A.IMPORT, O.FAILURE, account="system", web=False),
    Case("an import refused", _import_refused, A.IMPORT, O.REFUSED, account="system", web=False),
    Case(
        "a record written",
        _write_by_service,
        A.CREATE,
        object_type="core.workdayoverride",
        account="system",
        web=False,
    ),
    Case(
        "a record written in the admin",
        _write_in_admin,
        A.CREATE,
        object_type="core.workdayoverride",
        account="audit_root",
    ),
    Case(
        "a record deleted",
        _delete,
        A.DELETE,
        object_type="catalogues.commendation",
        account="system",
        web=False,
    ),
    Case(
        "a role granted",
        _role,
        A.PERMISSION,
        object_type="orgs.roleassignment",
        account="audit_security",
        web=False,
    ),
    Case("a duty granted", _duty, A.PERMISSION, object_type="orgs.adminduty", account="system", web=False),
    Case("a superuser flag", _staff_flag, A.PERMISSION, object_type="auth.user", web=False),
    Case("a group joined", _group, A.PERMISSION, object_type="auth.user", web=False),
    Case(
        "an application's roles", _application_roles, A.PERMISSION, object_type="orgs.application", web=False
    ),
    Case("a password changed", _password, A.PASSWORD_CHANGE, object_type="auth.user", web=False),
    Case(
        "a staff page refused",
        _get("programmes:new", "viewer"),
        A.ACCESS_DENIED,
        O.REFUSED,
        account="m_viewer",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_category_writes_its_row(
    world: MatrixWorld, case: Case, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with transaction.atomic():
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            case.run(world, tmp_path)
        rows = AuditEvent.objects.exclude(pk__in=before).filter(action=case.action, outcome=case.outcome)
        if case.object_type:
            rows = rows.filter(object_type=case.object_type)
        if case.account:
            rows = rows.filter(actor_name=case.account)
        found = list(rows)
        transaction.set_rollback(True)
    assert found, f"{case.name}: no {case.action}/{case.outcome} row"
    if case.action == A.EXPORT:
        assert len(found) == 1, f"{case.name}: {len(found)} export rows"
        assert "file=" in found[0].detail and "rows=" in found[0].detail, found[0].detail
        if "rows=stream" in found[0].detail:  # a streamed csv: its view counts the rows
            assert "problems=" in found[0].detail, found[0].detail
    if case.web:
        assert found[0].ip == IP and found[0].user_agent == UA
