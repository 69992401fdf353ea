"""Signing in to the API: ``Authorization: Bearer mq_…`` (an application's key or a personal
token). ``request.auth`` is then a ``Credential``; ``actor_of(request)`` is who acts."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from minqing.api import limits
from minqing.api.errors import ApiError
from minqing.api.keys import Credential, credential_for
from minqing.orgs.actors import Actor


class KeyAuth(HttpBearer):
    openapi_description = (
        "个人令牌或接入应用的密钥:Authorization: Bearer mq_… (a personal token or an application key)"
    )

    def authenticate(self, request: HttpRequest, token: str) -> Credential | None:
        credential = credential_for(token)
        if credential is None:
            return None
        wait = limits.take(f"key:{credential.key.prefix}")
        if wait is not None:
            raise ApiError("RATE_LIMITED", 429, headers={"Retry-After": str(wait)}, seconds=wait)
        request.api_actor = credential.actor  # type: ignore[attr-defined]  # the audit names it
        return credential


def credential_of(request: HttpRequest) -> Credential:
    credential: Any = getattr(request, "auth", None)
    if not isinstance(credential, Credential):
        raise ApiError("UNAUTHENTICATED", 401)
    return credential


def actor_of(request: HttpRequest) -> Actor:
    return credential_of(request).actor


def require_scope(request: HttpRequest, scope: str) -> Actor:
    """The acting credential's actor, when its key carries ``scope``; else 403."""
    credential = credential_of(request)
    if not credential.allows(scope):
        raise ApiError("SCOPE_MISSING", 403, scope=scope)
    return credential.actor
