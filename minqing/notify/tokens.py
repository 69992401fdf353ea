"""Signed unsubscribe tokens: a resident's subscription (``s``) or a staff user's e-mail/SMS (``u``).

Signed with the site's secret (``django.core.signing``), so a token names one subscription and
cannot be forged or turned into another's; it does not expire (an old message's link still works).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "minqing.notify.unsubscribe"


def unsubscribe_token(*, subscription_id: int | None = None, user_id: int | None = None) -> str:
    if subscription_id is not None:
        return signing.dumps({"s": subscription_id}, salt=SALT, compress=True)
    if user_id is not None:
        return signing.dumps({"u": user_id}, salt=SALT, compress=True)
    raise ValueError("a token names a subscription or a user")


def read_token(token: str) -> tuple[str, int] | None:
    """``("s", id)`` or ``("u", id)``, or None for a token that was not made here."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or len(data) != 1:
        return None
    ((kind, value),) = data.items()
    if kind not in ("s", "u") or not isinstance(value, int):
        return None
    return kind, value


def site_url(path: str) -> str:
    return f"{settings.MINQING_SITE_URL}{path}"


def unsubscribe_url(token: str) -> str:
    return site_url(reverse("notify:unsubscribe", args=[token]))
