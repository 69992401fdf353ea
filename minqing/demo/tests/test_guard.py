"""The demo's published password outside a demo (issue 16, finding 12): refused at start-up.

``make run`` creates ``admin`` (and the other demo accounts) with the password printed in the
README. With DEBUG off and no demo load recorded, the web application (``config/wsgi.py``) and
the system check refuse; a loaded demo starts; DEBUG on only warns.
"""

import dataclasses
import importlib
import io
import sys
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from minqing.demo import guard
from minqing.demo.models import DemoLoad
from minqing.demo.stages.users import DEMO_PASSWORD
from minqing.demo.tests.conftest import TINY, load

pytestmark = pytest.mark.django_db

NO_STAGES = dataclasses.replace(TINY, name="guard_no_stages", expected_stages=())


def account(username: str, password: str = DEMO_PASSWORD, **fields: Any) -> Any:
    user = get_user_model()(username=username, **fields)
    user.set_password(password)
    user.save()
    return user


def start_wsgi() -> Any:
    """Import config.wsgi afresh, as gunicorn does at start-up."""
    sys.modules.pop("config.wsgi", None)
    return importlib.import_module("config.wsgi").application


def test_refused_when_the_demo_is_not_loaded() -> None:
    account("admin", is_superuser=True, is_staff=True)
    with pytest.raises(ImproperlyConfigured) as refused:
        start_wsgi()
    message = str(refused.value)
    assert "admin" in message
    assert "minqing changepassword admin" in message
    assert "没有载入演示数据" in message and "has not loaded the demo" in message
    [found] = guard.check_published_password(None)
    assert isinstance(found, Error) and found.id == "demo.E001"
    with pytest.raises(SystemCheckError, match=r"demo\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_every_demo_account_is_named_and_the_hash_checked_once() -> None:
    admin = account("admin", is_superuser=True, is_staff=True)
    for name in ("wlcb_office", "wlht_leader"):
        get_user_model().objects.create(username=name, password=admin.password)  # as the demo does
    with mock.patch.object(guard, "check_password", wraps=guard.check_password) as checked:
        assert guard.published_password_accounts() == ["admin", "wlcb_office", "wlht_leader"]
    assert checked.call_count == 1


def test_a_loaded_demo_starts() -> None:
    account("admin", is_superuser=True, is_staff=True)
    load(NO_STAGES)
    assert DemoLoad.objects.filter(tier="guard_no_stages").exists()
    assert start_wsgi() is not None
    assert guard.check_published_password(None) == []
    call_command("check", stdout=io.StringIO())


def test_the_demo_command_marks_the_load_but_not_a_skipped_one() -> None:
    load(NO_STAGES, if_empty=True)  # an empty database: loads
    assert DemoLoad.objects.count() == 1
    DemoLoad.objects.all().delete()
    account("admin", is_superuser=True, is_staff=True)
    from minqing.orgs.tests.factories import small_tree

    small_tree()
    report, _ = load(NO_STAGES, if_empty=True)  # a database with units: skipped, not a demo
    assert report.skipped and not DemoLoad.objects.exists()
    with pytest.raises(ImproperlyConfigured):
        start_wsgi()


def test_debug_only_warns(settings: Any) -> None:
    settings.DEBUG = True
    account("admin", is_superuser=True, is_staff=True)
    # (django.setup() in config.wsgi reconfigures logging, so caplog would lose the record)
    with mock.patch.object(guard.logger, "warning") as warned:
        assert start_wsgi() is not None
    [(message,), _] = warned.call_args
    assert "minqing changepassword admin" in message
    [found] = guard.check_published_password(None)
    assert isinstance(found, CheckWarning) and found.id == "demo.W001"


@pytest.mark.parametrize(
    "fields",
    [
        {"password": "a-password-of-its-own-2718"},  # changed with minqing changepassword
        {"is_active": False},  # deactivated
    ],
)
def test_a_changed_password_or_a_deactivated_account_starts(fields: dict[str, Any]) -> None:
    account("admin", **{"is_superuser": True, "is_staff": True, **fields})
    assert start_wsgi() is not None
    assert guard.check_published_password(None) == []


def test_only_the_demos_account_names_are_checked() -> None:
    """Keep it cheap: an account the demo never creates is not hashed at every start-up."""
    account("alice", is_superuser=True, is_staff=True)
    assert guard.published_password_accounts() == []
