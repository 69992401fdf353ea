"""The secret key and the headers' settings, for ``config.settings`` and ``config.production``.

No Django application is imported here: the settings modules import this before Django is set
up. See docs/deploy-security.md.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from minqing.core.secret_file import read_or_make

# the key every install used before it had its own (published in the source: never accepted)
PUBLIC_DEV_KEY = "minqing-dev-only-change-me-in-production-0123456789"
KEY_FILE = "secret_key"
# Django's own deployment check (security.W009) wants at least this many characters, of at
# least 5 different ones, and not the prefix of a key made by startproject
MIN_KEY_LENGTH = 50
MIN_KEY_CHARS = 5
INSECURE_PREFIX = "django-insecure-"


def secret_key_problem(key: str) -> tuple[str, str] | None:
    """What is wrong with ``key`` as a production secret key, in Chinese and English; or None."""
    if not key:
        return "未设置环境变量 SECRET_KEY", "The environment variable SECRET_KEY is not set"
    if key == PUBLIC_DEV_KEY:
        return "SECRET_KEY 是源代码中公开的旧默认值", "SECRET_KEY is the old default published in the source"
    if key.startswith(INSECURE_PREFIX):
        return (
            f"SECRET_KEY 以 {INSECURE_PREFIX} 开头(startproject 生成的开发用密钥)",
            f"SECRET_KEY starts with {INSECURE_PREFIX} (a development key made by startproject)",
        )
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_KEY_CHARS:
        return (
            f"SECRET_KEY 太短或太简单(至少 {MIN_KEY_LENGTH} 个字符,其中至少 {MIN_KEY_CHARS} 种不同字符)",
            f"SECRET_KEY is too short or too simple (at least {MIN_KEY_LENGTH} characters, "
            f"at least {MIN_KEY_CHARS} different ones)",
        )
    return None


MAKE_ONE = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def _refusal(problem: tuple[str, str], zh: str, en: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{problem[0]}。{zh}\n{problem[1]}. {en}")


def required_secret_key(key: str) -> str:
    """``key`` when it is fit for production; otherwise refuse to start, saying how to fix it."""
    problem = secret_key_problem(key)
    if problem:
        raise _refusal(
            problem,
            f"请生成一个({MAKE_ONE}),写入环境变量 SECRET_KEY 或 .env 文件。",
            f"Make one ({MAKE_ONE}) and set it as the environment variable SECRET_KEY or in the .env file.",
        )
    return key


def install_secret_key(key: str, var_dir: Path) -> str:
    """The base settings' key: ``key`` (from the environment) if set, else this install's own,
    generated once into ``var_dir/secret_key`` (mode 0600) and read from there afterwards."""
    path = var_dir / KEY_FILE
    if key:
        if key == PUBLIC_DEV_KEY:
            raise _refusal(
                (secret_key_problem(key) or ("", "")),
                f"请删除该设置(每个安装会自动生成自己的密钥,存于 {path}),或换成新生成的密钥({MAKE_ONE})。",
                f"Remove the setting (each install then generates its own key, kept in {path}) "
                f"or set a newly made one ({MAKE_ONE}).",
            )
        return key
    stored = read_or_make(path, get_random_secret_key).strip()
    problem = secret_key_problem(stored)
    if problem:
        raise _refusal(
            problem,
            f"{path} 中的密钥不可用,删除该文件即重新生成。",
            f"The key in {path} is unfit; delete the file to generate a new one.",
        )
    return stored


def proxy_ssl_header(header: str) -> tuple[str, str] | None:
    """``SECURE_PROXY_SSL_HEADER`` for a proxy (nginx) that terminates TLS and sets ``header``
    (e.g. ``X-Forwarded-Proto``) to ``https``; None when ``header`` is blank (no proxy)."""
    header = header.strip()
    if not header:
        return None
    return ("HTTP_" + header.upper().replace("-", "_"), "https")


def content_security_policy() -> dict[str, Any]:
    """django-csp's policy (4.x format): our own files only, no inline script or style, nothing
    may frame the pages. The same for the base and the production settings."""
    self_, none = "'self'", "'none'"
    return {
        "DIRECTIVES": {
            "default-src": [self_],
            "script-src": [self_],
            "style-src": [self_],
            "img-src": [self_, "data:"],
            "font-src": [self_],
            "connect-src": [self_],
            "object-src": [none],
            "base-uri": [self_],
            "form-action": [self_],
            "frame-ancestors": [none],
        }
    }


MAKE_FIELD_KEY = "minqing rotate_field_keys --generate-key"


def required_field_keys(keys: list[str]) -> list[str]:
    """Production's field-encryption keys (``MINQING_FIELD_KEYS``, docs/privacy.md): from the
    environment, each a valid Fernet key; otherwise refuse to start. A key file beside the
    database would travel with every copy of it."""
    from cryptography.fernet import Fernet

    if not keys:
        raise _refusal(
            (
                "未设置 MINQING_FIELD_KEYS(个人信息加密密钥)",
                "MINQING_FIELD_KEYS (the personal-data keys) is not set",
            ),
            f"请生成一个({MAKE_FIELD_KEY}),写入环境变量 MINQING_FIELD_KEYS,并与数据库分开备份。",
            f"Make one ({MAKE_FIELD_KEY}), set it as MINQING_FIELD_KEYS; back it up apart from the data.",
        )
    for i, key in enumerate(keys, 1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise _refusal(
                (
                    f"MINQING_FIELD_KEYS 第 {i} 个密钥无效",
                    f"key {i} of MINQING_FIELD_KEYS is not a valid key",
                ),
                f"请用 {MAKE_FIELD_KEY} 生成。",
                f"Make keys with {MAKE_FIELD_KEY}.",
            ) from None
    return keys
