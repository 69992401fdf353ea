"""Refuse to serve with the demo's published password outside a demo (issue 16, finding 12).

``make run`` loads the demo, whose accounts (``admin`` the superuser among them) share the
password printed in the README. On a demo that is the point; anywhere else it is an open door.
So when DEBUG is off and no demo load is recorded (``minqing.demo.models.DemoLoad``, written
by ``run_demo``), an active account named by the demo that still has the published password
stops the web application at start-up (``config/wsgi.py``) and fails the system check
(``minqing check``, ``check --deploy``, ``migrate``, ``runserver``). With DEBUG on it is only a
warning. Only the demo's account names are checked, and each distinct hash once, so the check
costs one query and at most a few password hashes.
"""

import functools
import logging
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from minqing.demo.marker import demo_loaded
from minqing.demo.stages.users import DEMO_PASSWORD, DEMO_USERS

logger = logging.getLogger(__name__)

ERROR_ID = "demo.E001"
WARNING_ID = "demo.W001"


def accounts_with_published_password() -> list[str]:
    """The active accounts named by the demo whose password is the demo's published one."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    rows = user_model._default_manager.filter(
        **{f"{field}__in": [d.username for d in DEMO_USERS]}, is_active=True
    ).values_list(field, "password")
    return sorted(username for username, encoded in rows if _is_published(encoded))


@functools.lru_cache(maxsize=64)
def _is_published(encoded: str) -> bool:
    """Whether ``encoded`` hashes the demo's password. Each distinct hash is checked once per
    process: the demo hashes its password once for all its accounts, and ``runserver`` runs both
    the system check and ``config/wsgi.py``'s start-up guard."""
    return is_password_usable(encoded) and check_password(DEMO_PASSWORD, encoded)


def published_password_accounts() -> list[str]:
    """The accounts to refuse: none when the demo is loaded or the database is not migrated yet
    (then no page can be served anyway, and ``migrate`` must be able to run)."""
    try:
        if demo_loaded():
            return []
        return accounts_with_published_password()
    except DatabaseError:
        return []


def published_password_message(usernames: Sequence[str]) -> str:
    names = ", ".join(usernames)
    first = usernames[0] if usernames else "admin"
    return (
        f"以下账号仍在使用随演示数据公开的密码,而本数据库没有载入演示数据:{names}。"
        f"请为每个账号设置自己的密码(如 minqing changepassword {first}),不用的账号请停用;"
        f"如果这确实是演示环境,请运行 minqing demo 载入演示数据。\n"
        f"These accounts still have the password published with the demo, and this database has not "
        f"loaded the demo: {names}. Give each its own password (e.g. minqing changepassword {first}) "
        f"and deactivate those not needed; if this really is a demo, load it with minqing demo."
    )


def refuse_published_password() -> None:
    """At the web application's start-up: refuse (DEBUG off) or warn (DEBUG on)."""
    usernames = published_password_accounts()
    if not usernames:
        return
    message = published_password_message(usernames)
    if settings.DEBUG:
        logger.warning(message)
        return
    raise ImproperlyConfigured(message)


@register(Tags.security)
def check_published_password(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if app_configs is not None and not any(a.label == "demo" for a in app_configs):
        return []
    usernames = published_password_accounts()
    if not usernames:
        return []
    message = published_password_message(usernames)
    hint = "minqing changepassword " + usernames[0]
    if settings.DEBUG:
        return [CheckWarning(message, hint=hint, id=WARNING_ID)]
    return [Error(message, hint=hint, id=ERROR_ID)]
