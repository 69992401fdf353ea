"""The second factor (TOTP with django-otp, recovery codes as an otp_static device): who must
have one, enrollment, checking a code, and the security administrator's reset."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty, Role

BAD_CODE = _("验证码不正确或已过期,请重新输入。")
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10


class CodeRefused(Exception):
    """The code did not match (wrong, expired, already used, or the device is throttled)."""


def required_roles() -> frozenset[str]:
    """``MINQING_OTP_REQUIRED_ROLES``: the roles whose holders must use a second factor."""
    return frozenset(r for r in settings.MINQING_OTP_REQUIRED_ROLES if r in Role.values)


def is_admin_site_user(user: User) -> bool:
    """Staff, superusers and holders of an administrator duty (三员)."""
    return bool(user.is_staff or user.is_superuser or any(policy.has_duty(user, d) for d in Duty))


def second_factor_required(user: User) -> bool:
    """Every admin-site user, and holders of the required roles (default: the office)."""
    if not user.is_active:
        return False
    if is_admin_site_user(user):
        return True
    roles = required_roles()
    return bool(roles) and policy.has_role(user, roles)


def is_verified(user: User) -> bool:
    """The session was verified by a second factor (django-otp's OTPMiddleware sets this)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_device_pending(user: User) -> TOTPDevice:
    """The user's not yet confirmed TOTP device (made on first call): its secret is shown once
    on the enrollment page until the user confirms it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_NAME)
    return device


@transaction.atomic
def totp_confirm(*, actor: Actor, user: User, token: str, request: HttpRequest | None) -> list[str]:
    """Confirm the pending TOTP device with a code from the app; replaces any earlier device and
    issues fresh recovery codes (returned: shown once)."""
    device = totp_device_pending(user)
    if not device.verify_token(normalize_code(token)):
        raise CodeRefused
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=device,
        detail="second_factor_enrolled",
        request=request,
    )
    return recovery_codes_issue(actor=actor, user=user, request=request)


def recovery_codes_issue(*, actor: Actor, user: User, request: HttpRequest | None) -> list[str]:
    """Ten new single-use recovery codes; earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=device,
        detail="recovery_codes_issued",
        request=request,
    )
    return codes


def normalize_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def code_match(user: User, token: str) -> Device | None:
    """The confirmed device that accepts ``token`` (a TOTP code, or a recovery code, which is
    then used up), or None. django-otp also throttles each device after failures."""
    token = normalize_code(token)
    if not token:
        return None
    device: Device | None = match_token(user, token)
    return device


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User, request: HttpRequest | None) -> int:
    """The security administrator removes ``user``'s second factor (a lost phone): the user
    enrols again at the next sign-in. Returns the number of devices removed; anyone else gets
    ``PermissionDenied``."""
    policy.require_duty(actor, Duty.SECURITY)
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=user,
        detail=f"second_factor_reset devices={removed}",
        request=request,
    )
    return removed
