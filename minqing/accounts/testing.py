"""For tests and benchmarks: sign a user in the way the two steps end, with a real TOTP device.

``verified_login(client, user)`` is ``client.force_login(user)`` followed by what the code step
does: a confirmed TOTP device of the user's (made if missing) becomes the session's verified
device (``django_otp.DEVICE_ID_SESSION_KEY``, as ``django_otp.login`` stores it), so the pages
see ``request.user.is_verified()`` exactly as after a real sign-in.
"""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minqing.accounts.services.second_factor import RECOVERY_NAME, TOTP_NAME


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device (made if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)


def mark_verified(client: Client, user: User) -> TOTPDevice:
    """Mark the client's signed-in session as verified by the user's TOTP device."""
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def verified_login(
    client: Client, user: User, force_login: Callable[[Client, User], None] | None = None
) -> None:
    """``force_login`` (Django's, unless given) and the second factor, verified with a real device."""
    (force_login or Client.force_login)(client, user)
    mark_verified(client, user)


def one_time_code(user: User) -> str:
    """A fresh recovery code of the user's (the recovery device is made if missing), for a test
    that signs in through the forms: typed at the code step, it is used up there."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    device = device or StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    code = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=code)
    return code
