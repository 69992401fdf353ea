"""Encryption at rest for personal data (issue 16: informants' and people's identity).

Fernet (AES-128-CBC with HMAC-SHA256, from PyPI ``cryptography``) under a ``MultiFernet``: the
keys come from ``MINQING_FIELD_KEYS`` (comma-separated; the first encrypts, every one decrypts,
so a new key goes first and the old one stays until ``minqing rotate_field_keys`` has run). Without
it (the embedded default: ``make run``, the tests) one random key is made once and kept in
``VAR_DIR/field_keys`` (mode 0600); ``check --deploy`` warns that production needs the variable.

A value that no key opens raises ``FieldKeyError``: never garbage, never the ciphertext.
"""

import functools
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from minqing.core.secret_file import read_or_make

# every Fernet token starts so (version byte 0x80, then a 64-bit timestamp whose top bytes are 0)
TOKEN_PREFIX = "gAAAAA"


class FieldKeyError(RuntimeError):
    """A stored value that none of the configured keys decrypts (wrong or missing key)."""


def token_length(plain_chars: int) -> int:
    """The longest Fernet token for ``plain_chars`` characters (4 UTF-8 bytes each at most):
    57 bytes of version, time, IV and HMAC plus the padded ciphertext, in base64."""
    padded = (plain_chars * 4 // 16 + 1) * 16
    return (57 + padded + 2) // 3 * 4


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and len(value) >= token_length(0)


def _file_keys(path: Path) -> list[str]:
    """The keys in ``path``, made (one random key, mode 0600) if the file does not exist yet."""
    text = read_or_make(path, lambda: Fernet.generate_key().decode())
    return [line.strip() for line in text.splitlines() if line.strip()]


def configured_keys() -> list[str]:
    """The keys in use, first the one that encrypts: the environment's, else the file's."""
    keys = [k.strip() for k in settings.MINQING_FIELD_KEYS if k.strip()]
    return keys or _file_keys(Path(settings.MINQING_FIELD_KEYS_FILE))


@functools.cache
def _fernets() -> tuple[MultiFernet, Fernet]:
    keys = configured_keys()
    try:
        fernets = [Fernet(k.encode()) for k in keys]
    except ValueError as exc:
        raise ImproperlyConfigured(
            "MINQING_FIELD_KEYS: each key must be 32 url-safe base64-encoded bytes "
            "(make one with `minqing rotate_field_keys --generate-key`)"
        ) from exc
    if not fernets:
        raise ImproperlyConfigured("MINQING_FIELD_KEYS: no key")
    return MultiFernet(fernets), fernets[0]


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("MINQING_FIELD_KEYS", "MINQING_FIELD_KEYS_FILE"):
        _fernets.cache_clear()


def encrypt(plain: str) -> str:
    return _fernets()[1].encrypt(plain.encode()).decode()


def decrypt(token: str, *, where: str = "") -> str:
    """The plain text of ``token``; ``FieldKeyError`` when no configured key opens it."""
    try:
        return _fernets()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        raise FieldKeyError(
            f"cannot decrypt {where or 'a value'}: no key in MINQING_FIELD_KEYS (or "
            f"{settings.MINQING_FIELD_KEYS_FILE}) opens it; is the old key still listed?"
        ) from None


def is_current(token: str) -> bool:
    """Whether ``token`` is encrypted with the first key already (rotation can skip it)."""
    try:
        _fernets()[1].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str, *, where: str = "") -> str:
    """``token`` re-encrypted with the first key."""
    return encrypt(decrypt(token, where=where))


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """In production (``DEBUG`` off) the keys must come from the environment, not a file
    beside the database."""
    if settings.DEBUG or any(k.strip() for k in settings.MINQING_FIELD_KEYS):
        return []
    return [
        checks.Warning(
            "MINQING_FIELD_KEYS is not set: personal data is encrypted with a key kept in "
            f"{settings.MINQING_FIELD_KEYS_FILE}, beside the data.",
            hint=(
                "Set MINQING_FIELD_KEYS in the environment to a key made by "
                "`minqing rotate_field_keys --generate-key` (when you move from the file, put the "
                "file's key second and run `minqing rotate_field_keys`); see docs/privacy.md."
            ),
            id="minqing.W101",
        )
    ]
