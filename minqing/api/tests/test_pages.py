"""The office's applications page and a user's personal tokens page: who may open them, what
they list, keys and secrets shown once, revocation, the audit rows of every write, and the
webhook parts (subscribe, deliveries with status, retry now)."""

from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from minqing.api.keys import application_key_issue, credential_for, personal_token_issue
from minqing.api.models import ApiKey
from minqing.api.scopes import Scope
from minqing.core.models import AuditEvent
from minqing.ledger.services.intake import ProblemFacts, problem_register
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, Unit
from minqing.orgs.tests.factories import UserFactory, grant
from minqing.webhooks.models import Delivery, DeliveryStatus, EventType, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what a request queued for its commit (the audit rows, the sends)."""
    return django_capture_on_commit_callbacks


def user_with(role: str, unit: Unit) -> User:
    user = cast(User, UserFactory())
    grant(user, role, unit)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def app_on(unit: Unit, name: str, scopes: tuple[str, ...] = (Scope.READ, Scope.WEBHOOKS)) -> Application:
    return Application.objects.create(name=name, unit=unit, roles=[Role.OFFICE], scopes=list(scopes))


def test_only_an_office_opens_the_applications_page_and_sees_its_subtree(tree: dict[str, Unit]) -> None:
    app_on(tree["town_a"], "a-hotline")
    app_on(tree["town_b"], "b-hotline")
    app_on(tree["county"], "county-platform")
    page = signed_in(user_with(Role.OFFICE, tree["town_a"])).get(reverse("api_clients:applications"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "a-hotline" in text and "b-hotline" not in text and "county-platform" not in text
    county = signed_in(user_with(Role.OFFICE, tree["county"])).get(reverse("api_clients:applications"))
    assert all(n in county.content.decode() for n in ("a-hotline", "b-hotline", "county-platform"))
    staff = signed_in(user_with(Role.UNIT_STAFF, tree["county"]))
    assert staff.get(reverse("api_clients:applications")).status_code == 403
    assert staff.get(reverse("api_clients:application_new")).status_code == 403


def test_an_application_outside_the_subtree_does_not_exist_for_the_office(tree: dict[str, Unit]) -> None:
    other = app_on(tree["town_b"], "b-hotline")
    client = signed_in(user_with(Role.OFFICE, tree["town_a"]))
    assert client.get(reverse("api_clients:application", args=[other.pk])).status_code == 404
    assert client.post(reverse("api_clients:key_issue", args=[other.pk]), {"name": "x"}).status_code == 404
    assert not ApiKey.objects.exists()


def test_the_office_creates_an_application_in_its_subtree_only(tree: dict[str, Unit], commits: Any) -> None:
    client = signed_in(user_with(Role.OFFICE, tree["town_a"]))
    form = {
        "name": "12345 热线",
        "unit": tree["village_b"].code,
        "roles": [Role.INTAKE],
        "scopes": [Scope.READ],
    }
    refused = client.post(reverse("api_clients:application_new"), form)
    assert refused.status_code == 200 and not Application.objects.exists()
    form["unit"] = tree["village_a"].code
    with commits(execute=True):
        done = client.post(reverse("api_clients:application_new"), form)
    app = Application.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("api_clients:application", args=[app.pk])
    assert (app.unit, app.roles, app.scopes) == (tree["village_a"], [Role.INTAKE], [Scope.READ])
    assert AuditEvent.objects.filter(object_type="orgs.application", object_id=str(app.pk)).exists()


def test_a_key_is_shown_once_works_and_is_revoked_with_audit_rows(
    tree: dict[str, Unit], commits: Any
) -> None:
    app = app_on(tree["town_a"], "a-hotline")
    office = user_with(Role.OFFICE, tree["town_a"])
    client = signed_in(office)
    with commits(execute=True):
        shown = client.post(reverse("api_clients:key_issue", args=[app.pk]), {"name": "生产环境"})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    key = ApiKey.objects.get(application=app)
    secret = shown.context["secret"]
    assert secret.startswith(f"mq_{key.prefix}_") and secret in shown.content.decode()
    assert credential_for(secret) is not None
    assert key.created_by == office
    detail = client.get(reverse("api_clients:application", args=[app.pk])).content.decode()
    assert key.prefix in detail and secret not in detail  # never shown again
    created = AuditEvent.objects.filter(action="create", object_type="api.apikey", object_id=str(key.pk))
    assert created.get().actor_name == office.get_username()
    with commits(execute=True):
        client.post(reverse("api_clients:key_revoke", args=[app.pk, key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None and credential_for(secret) is None
    assert AuditEvent.objects.filter(
        action="update", object_type="api.apikey", object_id=str(key.pk)
    ).exists()


def test_the_page_shows_a_keys_last_use(tree: dict[str, Unit]) -> None:
    app = app_on(tree["town_a"], "a-hotline")
    issued = application_key_issue(actor=SYSTEM, application=app, name="k")
    client = signed_in(user_with(Role.OFFICE, tree["town_a"]))
    assert "从未使用" in client.get(reverse("api_clients:applications")).content.decode()
    Client().get("/api/v1/units/", headers={"Authorization": f"Bearer {issued.secret}"})
    issued.key.refresh_from_db()
    assert issued.key.last_used_at is not None
    listing = client.get(reverse("api_clients:applications")).content.decode()
    assert issued.key.last_used_at.astimezone().strftime("%Y-%m-%d") in listing and "从未使用" not in listing


def test_subscribe_shows_the_secret_once_and_the_deliveries_are_listed(
    tree: dict[str, Unit], commits: Any
) -> None:
    app = app_on(tree["town_a"], "a-hotline")
    client = signed_in(user_with(Role.OFFICE, tree["town_a"]))
    url = reverse("api_clients:subscription_new", args=[app.pk])
    with commits(execute=True):
        shown = client.post(
            url, {"url": "http://127.0.0.1:9/hook", "event_types": [EventType.PROBLEM_REGISTERED]}
        )
    sub = Subscription.objects.get()
    assert shown.status_code == 200 and shown.context["secret"] == sub.secret
    assert sub.secret.startswith("whsec_")
    assert AuditEvent.objects.filter(object_type="webhooks.subscription", object_id=str(sub.pk)).exists()
    problem_register(actor=SYSTEM, facts=ProblemFacts(title="t", description="d", unit=tree["village_a"]))
    d = Delivery.objects.get()
    page = client.get(reverse("api_clients:application", args=[app.pk]))
    text = page.content.decode()
    assert sub.secret not in text and str(d.event_id) in text
    assert f'data-delivery="{d.pk}" data-status="pending"' in text
    failed = client.get(reverse("api_clients:application", args=[app.pk]), {"status": "failed"})
    assert f'data-delivery="{d.pk}"' not in failed.content.decode()


def test_retry_now_sends_a_failed_delivery_again(tree: dict[str, Unit], commits: Any) -> None:
    app = app_on(tree["town_a"], "a-hotline")
    Subscription.objects.create(
        application=app,
        url="http://127.0.0.1:9/",
        secret="x" * 20,
        event_types=[EventType.PROBLEM_REGISTERED],
    )
    problem_register(actor=SYSTEM, facts=ProblemFacts(title="t", description="d", unit=tree["village_a"]))
    d = Delivery.objects.get()
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED, next_attempt_at=None, attempts=16)
    other = signed_in(user_with(Role.OFFICE, tree["town_b"]))
    assert other.post(reverse("api_clients:delivery_retry", args=[app.pk, d.pk])).status_code == 404
    client = signed_in(user_with(Role.OFFICE, tree["town_a"]))
    with commits(execute=False) as queued:
        r = client.post(reverse("api_clients:delivery_retry", args=[app.pk, d.pk]))
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.next_attempt_at is not None
    for callback in queued:  # the send is queued on commit; nothing listens on port 9: tried again
        callback()
    d.refresh_from_db()
    assert d.attempts == 17 and d.status == DeliveryStatus.FAILED and d.last_error
    assert AuditEvent.objects.filter(
        object_type="webhooks.delivery", object_id=str(d.pk), detail="retry now"
    ).exists()


def test_personal_tokens_are_made_shown_once_and_revoked_by_their_user_only(
    tree: dict[str, Unit], commits: Any
) -> None:
    user = user_with(Role.UNIT_STAFF, tree["town_a"])
    client = signed_in(user)
    assert client.get(reverse("api_clients:tokens")).status_code == 200
    with commits(execute=True):
        shown = client.post(reverse("api_clients:tokens"), {"name": "脚本", "scopes": [Scope.READ]})
    token = ApiKey.objects.get(user=user)
    secret = shown.context["secret"]
    assert token.scopes == [Scope.READ] and credential_for(secret) is not None
    assert secret not in client.get(reverse("api_clients:tokens")).content.decode()
    assert AuditEvent.objects.filter(
        action="create", object_type="api.apikey", object_id=str(token.pk)
    ).exists()
    stranger = signed_in(user_with(Role.OFFICE, tree["county"]))
    assert stranger.post(reverse("api_clients:token_revoke", args=[token.pk])).status_code == 404
    assert credential_for(secret) is not None
    client.post(reverse("api_clients:token_revoke", args=[token.pk]))
    assert credential_for(secret) is None
    # the token page lists only one's own
    personal_token_issue(actor=SYSTEM, user=cast(User, UserFactory()), name="别人的")
    assert "别人的" not in client.get(reverse("api_clients:tokens")).content.decode()


def test_the_menu_links_the_applications_page_for_an_office_only(tree: dict[str, Unit]) -> None:
    office = signed_in(user_with(Role.OFFICE, tree["town_a"])).get(reverse("api_clients:tokens"))
    staff = signed_in(user_with(Role.UNIT_STAFF, tree["town_a"])).get(reverse("api_clients:tokens"))
    link = reverse("api_clients:applications")
    assert f'href="{link}"' in office.content.decode()
    assert f'href="{link}"' not in staff.content.decode()
