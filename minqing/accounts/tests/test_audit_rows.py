"""One audit row per change made by an account, role or duty service or the API clients'
admin, with the database in autocommit as in production (a test transaction would hold back
the automatic rows of ``core.audit_writes`` until the service's own row is written, and so hide
a second row)."""

from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from minqing.accounts.services.passwords import password_change
from minqing.core.audit_context import audit_context
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import Application
from minqing.orgs.services.accounts import account_create, account_set_access, account_update
from minqing.orgs.services.duties import duty_grant, duty_revoke
from minqing.orgs.services.roles import role_grant, role_revoke, role_save
from minqing.orgs.tests.factories import UserFactory, duty_user, small_tree

pytestmark = pytest.mark.django_db(transaction=True)


class Rows:
    def __init__(self) -> None:
        self.seen = AuditEvent.objects.count()

    def new(self) -> list[tuple[str, str]]:
        """The (object type, action) of the rows written since the last call."""
        rows = list(AuditEvent.objects.order_by("pk").values_list("object_type", "action")[self.seen :])
        self.seen += len(rows)
        return rows


def test_a_password_change_is_one_row() -> None:
    user = cast(User, UserFactory(username="changer"))
    request = RequestFactory().post("/")
    request.user = user
    request.session = SessionStore()
    rows = Rows()
    with audit_context(request=request):
        password_change(actor=user, user=user, password="Zq7!kettle-morning", request=request)
    assert rows.new() == [("auth.user", AuditEvent.Action.UPDATE)]  # detail password_changed


def test_each_account_role_and_duty_change_is_one_row() -> None:
    tree = small_tree()
    rows = Rows()
    user = account_create(actor=SYSTEM, username="newbie")
    assert rows.new() == [("auth.user", AuditEvent.Action.CREATE)]
    account_update(actor=SYSTEM, user=user, values={"first_name": "A"})
    assert rows.new() == [("auth.user", AuditEvent.Action.UPDATE)]
    account_set_access(actor=SYSTEM, user=user, values={"is_active": False})
    assert rows.new() == [("auth.user", AuditEvent.Action.PERMISSION)]
    ra = role_grant(actor=SYSTEM, user=user, role=Role.VIEWER, unit=tree["county"])
    assert rows.new() == [("orgs.roleassignment", AuditEvent.Action.PERMISSION)]
    ra.unit = tree["town_a"]
    role_save(actor=SYSTEM, assignment=ra)
    assert rows.new() == [("orgs.roleassignment", AuditEvent.Action.UPDATE)]  # stands in (stand_in_key)
    role_revoke(actor=SYSTEM, assignment=ra)
    assert rows.new() == [("orgs.roleassignment", AuditEvent.Action.PERMISSION)]
    duty = duty_grant(actor=SYSTEM, user=user, duty=Duty.AUDIT)
    # the duty, and the admin site it opens (is_staff): two objects, a row each
    assert rows.new() == [("orgs.adminduty", AuditEvent.Action.PERMISSION), ("auth.user", "permission")]
    duty_revoke(actor=SYSTEM, row=duty)
    assert rows.new() == [("orgs.adminduty", AuditEvent.Action.PERMISSION), ("auth.user", "permission")]


def test_each_admin_change_of_an_api_client_is_one_row(client: Any) -> None:
    tree = small_tree()
    client.force_login(duty_user("sysadmin", Duty.SYSTEM))
    rows = Rows()
    data = {"name": "12345热线", "unit": tree["county"].pk}
    assert client.post(reverse("admin:orgs_application_add"), data).status_code == 302
    app = Application.objects.get()
    assert rows.new() == [("orgs.application", AuditEvent.Action.PERMISSION)]
    change = reverse("admin:orgs_application_change", args=[app.pk])
    assert client.post(change, {**data, "name": "热线"}).status_code == 302
    assert rows.new() == [("orgs.application", AuditEvent.Action.PERMISSION)]
    delete = reverse("admin:orgs_application_delete", args=[app.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert rows.new() == [("orgs.application", AuditEvent.Action.PERMISSION)]
