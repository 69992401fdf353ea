"""The code step of the sign-in: the same lock as the password step (core/lockout.py), every
failure audited as a failed login so that code guesses count towards it."""

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_otp.models import Device

from minqing.accounts.services.second_factor import code_match
from minqing.core.audit import audit, client_ip
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.lockout import Refusal, refusal
from minqing.core.models import AuditEvent

BAD_CODE_DETAIL = "bad_second_factor"


def code_check(user: User, token: str, request: HttpRequest) -> Device | None:
    """The device that accepts ``token`` for ``user``, or None (audited as a failed login).
    Raises the login's ``DomainError`` while the account or the address is locked."""
    username = user.get_username()
    refused = refusal(username, client_ip(request))
    if refused is not None:
        _failed(username, refused.value, request)
        code = ErrorCode.LOGIN_THROTTLED if refused is Refusal.THROTTLED else ErrorCode.LOGIN_LOCKED
        raise DomainError(code, minutes=settings.MINQING_LOGIN_LOCK_MINUTES)
    device = code_match(user, token)
    if device is None:
        _failed(username, BAD_CODE_DETAIL, request)
    return device


def code_accepted(user: User, device: Device, request: HttpRequest) -> None:
    """The sign-in is complete: audited as the login (this ends the lock's count here)."""
    audit(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        obj=user,
        detail=f"second_factor:{device._meta.model_name}",
        request=request,
    )


def _failed(username: str, detail: str, request: HttpRequest) -> None:
    audit(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_name=username,
        object_type="auth.user",
        detail=detail,
        request=request,
    )
