"""SECRET_KEY (issue 16, finding 12): never the public string that used to be the default.

The base settings take the environment's key, else this install's own, generated once into
VAR_DIR/secret_key (mode 0600); the production settings require one from the environment.
"""

import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.security import PUBLIC_DEV_KEY, install_secret_key, required_field_keys, required_secret_key
from minqing.core.tests.deploy_env import KEY, run_production

PRINT_KEY = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"


def test_each_install_generates_its_own_key_once(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    key = install_secret_key("", one)
    assert key != PUBLIC_DEV_KEY and len(key) >= 50
    assert (one / "secret_key").read_text().strip() == key
    assert stat.S_IMODE((one / "secret_key").stat().st_mode) == 0o600
    assert install_secret_key("", one) == key  # kept: sessions survive a restart
    assert install_secret_key("", two) != key  # another install, another key
    assert sorted(p.name for p in one.iterdir()) == ["secret_key"]  # no temporary file left


def test_the_environment_key_wins_but_never_the_public_one(tmp_path: Path) -> None:
    assert install_secret_key(KEY, tmp_path) == KEY
    assert not (tmp_path / "secret_key").exists()
    with pytest.raises(ImproperlyConfigured, match="公开的旧默认值") as refused:
        install_secret_key(PUBLIC_DEV_KEY, tmp_path)
    assert "published in the source" in str(refused.value)


def test_a_broken_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="delete the file"):
        install_secret_key("", tmp_path)


def test_the_base_settings_use_the_installs_own_key(tmp_path: Path) -> None:
    """Before the fix the base settings fell back to the public string."""
    done = run_production(["-c", PRINT_KEY], tmp_path, DJANGO_SETTINGS_MODULE="config.settings")
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert key != PUBLIC_DEV_KEY
    assert key == (tmp_path / "secret_key").read_text().strip()
    assert settings.SECRET_KEY != PUBLIC_DEV_KEY


@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("", "未设置环境变量 SECRET_KEY", "is not set"),
        ("too-short-0123456789", "太短或太简单", "too short"),
        ("a" * 60, "太短或太简单", "too simple"),
        (PUBLIC_DEV_KEY, "公开的旧默认值", "published in the source"),
        ("django-insecure-" + KEY, "startproject", "startproject"),
    ],
)
def test_production_refuses_an_unfit_key(key: str, zh: str, en: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        required_secret_key(key)
    assert zh in str(refused.value) and en in str(refused.value)
    assert "SECRET_KEY" in str(refused.value)


def test_production_does_not_start_without_a_key(tmp_path: Path) -> None:
    done = run_production(["-c", PRINT_KEY], tmp_path)
    assert done.returncode != 0
    assert "未设置环境变量 SECRET_KEY" in done.stderr and "is not set" in done.stderr
    done = run_production(["-c", PRINT_KEY], tmp_path, SECRET_KEY=KEY)
    assert done.returncode == 0 and done.stdout.strip() == KEY


@pytest.mark.parametrize(
    ("keys", "zh", "en"),
    [([], "未设置 MINQING_FIELD_KEYS", "is not set"), (["not-a-key"], "第 1 个密钥无效", "not a valid key")],
)
def test_production_refuses_missing_or_bad_field_keys(keys: list[str], zh: str, en: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        required_field_keys(keys)
    assert zh in str(refused.value) and en in str(refused.value)


def test_production_does_not_start_without_field_keys_in_the_environment(tmp_path: Path) -> None:
    """Not from the key file under var/: it would travel with every copy of the database."""
    done = run_production(["-c", PRINT_KEY], tmp_path, SECRET_KEY=KEY, MINQING_FIELD_KEYS="")
    assert done.returncode != 0
    assert "MINQING_FIELD_KEYS" in done.stderr and "is not set" in done.stderr
    assert not (tmp_path / "field_keys").exists()
