"""The code step of the sign-in: the same lock as the password step (core/lockout.py), every
failure audited as a failed login so that code guesses count towards it."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_otp.models import Device

from minqing.accounts.services.second_factor import code_match
from minqing.core.audit import audit, client_ip
from minqing.core.lockout import audit_failure, refusal, refusal_error
from minqing.core.models import AuditEvent

BAD_CODE_DETAIL = "bad_second_factor"


def code_check(user: User, token: str, request: HttpRequest) -> Device | None:
    """The device that accepts ``token`` for ``user``, or None (audited as a failed login).
    Raises the login's ``DomainError`` while the account or the address is locked."""
    username = user.get_username()
    refused = refusal(username, client_ip(request))
    if refused is not None:
        audit_failure(username, refused.value, request)
        raise refusal_error(refused)
    device = code_match(user, token)
    if device is None:
        audit_failure(username, BAD_CODE_DETAIL, request)
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
