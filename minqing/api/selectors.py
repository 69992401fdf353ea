"""Reads for the key-management pages: the applications an office manages, their keys, and a
user's own personal tokens."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from minqing.api.models import ApiKey
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Application
from minqing.orgs.scoping import scoped


def managed_applications(actor: Actor) -> QuerySet[Application]:
    """The applications of the units where the actor holds the office role (and below)."""
    qs = Application.objects.select_related("unit").order_by("unit__path", "name")
    return scoped(qs, actor, "unit__path", policy.OFFICE)


def managed_application(actor: Actor, pk: int) -> Application | None:
    """One of ``managed_applications``, or ``None`` (outside the actor's reach or missing)."""
    return managed_applications(actor).filter(pk=pk).first()


def application_keys(application: Application) -> list[ApiKey]:
    return list(application.keys.select_related("created_by").order_by("-created_at", "-pk"))


def personal_tokens(user: User) -> list[ApiKey]:
    return list(ApiKey.objects.filter(user=user).order_by("-created_at", "-pk"))
