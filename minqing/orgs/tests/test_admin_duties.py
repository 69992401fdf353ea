"""三员分立 on the admin site: each duty against the changelist, add, change and delete pages of
every registered model, declared here by hand (not read from ``policy.ADMIN_MODELS``), plus a
superuser without a duty and an office user with ``is_staff``, whom the site itself refuses."""

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse

from minqing.core.admin_duties import DutyInlineMixin, DutyModelAdmin
from minqing.core.models import AuditEvent, WorkdayOverride
from minqing.ledger.models import Category, DeadlineRule
from minqing.open311.models import ServiceAttribute, ServiceOffer
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import AdminDuty, Application, Assignment, RoleAssignment
from minqing.orgs.tests.factories import UserFactory, grant

LOGIN = "login"  # the admin's own refusal: to its login page
PERSONAS = ("sysadmin", "secadmin", "auditadmin", "superuser", "office_staff")
PAGES = ("changelist", "add", "change", "delete")

# model -> persona -> the pages (c, a, h = change page, d) that answer 200; every other page 403
ALL = "cahd"
ALLOWED: dict[str, dict[str, str]] = {
    "orgs.unit": {"sysadmin": ALL},
    "orgs.household": {"sysadmin": ALL},
    "orgs.person": {"sysadmin": ALL},
    "orgs.assignment": {"sysadmin": ALL},
    "orgs.application": {"sysadmin": ALL, "secadmin": "ch"},
    "ledger.category": {"sysadmin": ALL},
    "ledger.deadlinerule": {"sysadmin": ALL},
    "open311.serviceoffer": {"sysadmin": ALL},
    "open311.serviceattribute": {"sysadmin": ALL},
    "core.workdayoverride": {"sysadmin": ALL},
    "auth.user": {"sysadmin": "cah", "secadmin": "ch"},
    "orgs.roleassignment": {"secadmin": ALL},
    "orgs.adminduty": {"secadmin": "cahd"},
    "core.auditevent": {"auditadmin": "ch"},
    # domain records: read and written through the pages, scoped by unit roles; no duty here
    "ledger.problem": {},
    "ledger.problemevent": {},
    "ledger.extension": {},
    "ledger.feedback": {},
    "ledger.notification": {},
    "reports.bulletin": {},
    "reports.bulletintemplate": {},
}
PAGE_LETTER = {"changelist": "c", "add": "a", "change": "h", "delete": "d"}


@pytest.fixture
def admins(world: Any) -> dict[str, Any]:
    superuser = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    office = UserFactory(username="office_staff", is_staff=True)
    grant(office, Role.OFFICE, world.u["county"])
    users = {name: world.users[name] for name in ("sysadmin", "secadmin", "auditadmin")}
    return {**users, "superuser": superuser, "office_staff": office}


def objects(world: Any) -> dict[str, Any]:
    """One object of each model the duties manage (the others answer 403 for any id)."""
    category = Category.objects.create(name="测试类别", full_name="测试类别", level=1)
    app = Application.objects.create(name="12345热线", unit=world.u["county"])
    return {
        "orgs.unit": world.u["village_a"],
        "orgs.household": world.households["a"][0],
        "orgs.person": world.people["town_a"],
        "orgs.assignment": Assignment.objects.first(),
        "orgs.application": app,
        "ledger.category": category,
        "ledger.deadlinerule": DeadlineRule.objects.first() or DeadlineRule.objects.create(),
        "open311.serviceoffer": ServiceOffer.objects.create(unit=world.u["county"], category=category),
        "open311.serviceattribute": ServiceAttribute.objects.create(
            category=category, code="c", description="d"
        ),
        "core.workdayoverride": WorkdayOverride.objects.create(date=dt.date(2030, 1, 2), is_workday=False),
        "auth.user": world.users["nobody"],
        "orgs.roleassignment": RoleAssignment.objects.first(),
        "orgs.adminduty": AdminDuty.objects.get(user=world.users["auditadmin"]),
        "core.auditevent": AuditEvent.objects.first(),
    }


def url(label: str, page: str, obj: Any) -> str:
    name = "admin:" + label.replace(".", "_") + "_" + page
    if page in ("change", "delete"):
        return reverse(name, args=[obj.pk if obj is not None else 1])
    return reverse(name)


def test_the_table_covers_every_registered_model() -> None:
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == set(ALLOWED)


def test_every_admin_asks_the_duties() -> None:
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, DutyModelAdmin), type(model_admin)
        for inline in model_admin.inlines:
            assert issubclass(inline, DutyInlineMixin), inline


def test_groups_and_django_permissions_are_not_in_the_admin() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_group_changelist")
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_user_password_change", args=[1])


@pytest.mark.django_db
def test_the_matrix(client: Any, world: Any, admins: dict[str, Any]) -> None:
    objs = objects(world)
    AuditEvent.objects.get_or_create(action=AuditEvent.Action.LOGIN, actor_name="x")
    objs["core.auditevent"] = AuditEvent.objects.first()
    wrong = []
    for persona in PERSONAS:
        client.force_login(admins[persona])
        for label, allowed in ALLOWED.items():
            for page in PAGES:
                if persona in ("superuser", "office_staff"):
                    expected: int | str = LOGIN
                else:
                    expected = 200 if PAGE_LETTER[page] in allowed.get(persona, "") else 403
                response = client.get(url(label, page, objs.get(label)))
                got: int | str = response.status_code
                if got == 302 and "/admin/login/" in response["Location"]:
                    got = LOGIN
                if got != expected:
                    wrong.append(f"{persona} {label} {page}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_index_lists_only_the_duty_s_models(client: Any, world: Any, admins: dict[str, Any]) -> None:
    client.force_login(admins["auditadmin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core_auditevent_changelist") in html
    assert reverse("admin:orgs_unit_changelist") not in html
    assert reverse("admin:orgs_roleassignment_changelist") not in html
    client.force_login(admins["secadmin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:orgs_roleassignment_changelist") in html
    assert reverse("admin:core_auditevent_changelist") not in html
    assert reverse("admin:orgs_unit_changelist") not in html
    for persona in ("superuser", "office_staff"):
        client.force_login(admins[persona])
        assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_duty_without_is_staff_or_inactive_does_not_open_the_site(client: Any, world: Any) -> None:
    sysadmin = world.users["sysadmin"]
    User.objects.filter(pk=sysadmin.pk).update(is_staff=False)
    client.force_login(User.objects.get(pk=sysadmin.pk))
    assert client.get(reverse("admin:index")).status_code == 302
    User.objects.filter(pk=sysadmin.pk).update(is_staff=True)
    assert client.get(reverse("admin:index")).status_code == 200
    assert AdminDuty.objects.get(user=sysadmin).duty == Duty.SYSTEM


@pytest.mark.django_db
def test_the_menu_links_the_admin_site_only_for_a_duty(client: Any, admins: dict[str, Any]) -> None:
    link = f'href="{reverse("admin:index")}"'
    client.force_login(admins["office_staff"])  # is_staff, no duty: the site would refuse them
    assert link not in client.get(reverse("orgs:tree")).content.decode()
    client.force_login(admins["sysadmin"])
    assert link in client.get(reverse("orgs:tree")).content.decode()
