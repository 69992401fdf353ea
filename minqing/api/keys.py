"""Issuing, finding and revoking API keys (``ApiKey``): the secret is shown once and kept only as
a SHA-256 digest. A key reads ``mq_<prefix>_<secret>``; the prefix finds the row, the digest of
the whole key is compared in constant time."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from minqing.api.models import ApiKey
from minqing.api.scopes import ALL_SCOPES
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.short_cache import ShortCache
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_system, user_of
from minqing.orgs.enums import Role
from minqing.orgs.models import Application, Unit

KEY_PREFIX = "mq_"
# last_used_at is written at most this often per key (a read API must not write on every call)
TOUCH_EVERY_SECONDS = 300


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # shown once; never stored


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _clean_scopes(scopes: list[str] | None, allowed: frozenset[str]) -> list[str]:
    chosen = sorted(set(scopes if scopes is not None else allowed))
    bad = [s for s in chosen if s not in allowed]
    if bad:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="scopes", value=", ".join(bad))
    return chosen


def can_manage_application(actor: Actor | None, application: Application) -> bool:
    """The office of the application's unit (or above it) manages its keys."""
    return is_system(actor) or policy.has_role(actor, policy.OFFICE, application.unit.path)


def application_create(
    *, actor: Actor, name: str, unit: Unit, roles: list[str], scopes: list[str]
) -> Application:
    """A new application on ``unit``, by the office of that unit (or above it): it acts with
    ``roles`` on the unit's subtree (the office's own reach, no further) and its keys carry at most
    ``scopes``. Audited as a permission change (``core.audit_writes``)."""
    if not (is_system(actor) or policy.has_role(actor, policy.OFFICE, unit.path)):
        raise PermissionDeniedError()
    name = name.strip()[:100]
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="name")
    if Application.objects.filter(name=name).exists():
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="name", value=name)
    chosen_roles = sorted(set(roles))
    bad = [r for r in chosen_roles if r not in Role.values]
    if bad or not chosen_roles:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="roles", value=", ".join(bad))
    return Application.objects.create(
        name=name, unit=unit, roles=chosen_roles, scopes=_clean_scopes(scopes, ALL_SCOPES)
    )


def application_key_issue(*, actor: Actor, application: Application, name: str) -> IssuedKey:
    """A new key for ``application``, by the office of its unit (or above)."""
    if not can_manage_application(actor, application):
        raise PermissionDeniedError()
    return _issue(
        application=application, user=None, name=name, scopes=list(application.scopes), by=user_of(actor)
    )


def personal_token_issue(
    *, actor: Actor, user: User, name: str, scopes: list[str] | None = None
) -> IssuedKey:
    """A personal token: it acts as ``user`` (with the user's roles), narrowed to ``scopes``.
    A user makes their own; the system makes any."""
    if not (is_system(actor) or (isinstance(actor, User) and actor.pk == user.pk)):
        raise PermissionDeniedError()
    return _issue(
        application=None,
        user=user,
        name=name,
        scopes=_clean_scopes(scopes, ALL_SCOPES),
        by=user_of(actor),
    )


def _issue(
    *, application: Application | None, user: User | None, name: str, scopes: list[str], by: User | None
) -> IssuedKey:
    name = name.strip()[:100]
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="name")
    for _attempt in range(5):
        prefix, secret = _new_secret()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    with transaction.atomic():
        key = ApiKey.objects.create(
            application=application,
            user=user,
            name=name,
            prefix=prefix,
            digest=_digest(secret),
            scopes=scopes,
            created_by=by,
        )
    return IssuedKey(key=key, secret=secret)


def key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    """Revoke a key at once: the application's office, or the token's own user."""
    allowed = (
        can_manage_application(actor, key.application)
        if key.application is not None
        else (is_system(actor) or (isinstance(actor, User) and actor.pk == key.user_id))
    )
    if not allowed:
        raise PermissionDeniedError()
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


@dataclass(frozen=True)
class Credential:
    """Who a key signs in, and what the key may be used for."""

    principal: User | Application
    key: ApiKey
    scopes: frozenset[str]

    @property
    def actor(self) -> Actor:
        return self.principal

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


def _parse(raw: str) -> str | None:
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix, sep, _rest = raw[len(KEY_PREFIX) :].partition("_")
    return prefix if sep and 0 < len(prefix) <= 16 else None


# Credentials found in the last few seconds, per process (by the digest of the secret): a key's
# row is read once per ``MINQING_API_KEY_CACHE_SECONDS`` instead of on every call. Any write of a
# key, an application, a user, a role or a duty in this process empties it (``ApiConfig.ready``);
# another process sees a revocation, a deactivation or a role taken away within those seconds.
# A key that signs nobody in is not kept. 0 turns it off.
CREDENTIALS = ShortCache("api-keys", lambda: float(settings.MINQING_API_KEY_CACHE_SECONDS))


def credential_for(raw: str) -> Credential | None:
    """The credential a presented key stands for, or ``None`` (unknown, wrong, revoked, expired,
    or its application or user is inactive)."""
    credential = CREDENTIALS.get(
        _digest(raw.strip()), lambda: _credential_read(raw), keep=lambda found: found is not None
    )
    expires = credential.key.expires_at if credential is not None else None
    if expires is not None and expires <= timezone.now():  # expired since it was kept
        return None
    return credential


def _credential_read(raw: str) -> Credential | None:
    prefix = _parse(raw.strip())
    if prefix is None:
        return None
    key = ApiKey.objects.select_related("application__unit", "user").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(raw.strip())):
        return None
    now = timezone.now()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    principal: User | Application
    if key.application is not None:
        if not key.application.is_active:
            return None
        principal = key.application
        scopes = frozenset(key.scopes) & frozenset(key.application.scopes)
    else:
        assert key.user is not None
        if not key.user.is_active:
            return None
        principal = key.user
        scopes = frozenset(key.scopes)
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > TOUCH_EVERY_SECONDS:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return Credential(principal=principal, key=key, scopes=scopes)
