"""The sign-in between its two steps: after the right password, a user with a second factor is
not signed in yet; the session (under a new key) holds who is waiting for the code step."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import HttpRequest

PENDING_KEY = "minqing_signin_pending"
PENDING_SECONDS = 300  # the code step must follow within five minutes


def pending_begin(request: HttpRequest, user: User, backend: str, next_url: str) -> None:
    """Remember ``user`` for the code step; the session key changes here already."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "at": int(time.time()),
        "next": next_url,
    }


def pending_user(request: HttpRequest) -> tuple[User, str, str] | None:
    """The user waiting for the code step, with the backend and the page to go to, or None
    (nobody waiting, or too long ago)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    if user is None:
        return None
    return user, str(data.get("backend", "")), str(data.get("next", ""))


def pending_end(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)
