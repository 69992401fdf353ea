"""Running Django in a process of its own, as deployed: ``config.production`` (or the base
settings) with a given environment, on an empty VAR_DIR (no database tables)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

KEY = "production-test-key-" + "x7Qm2pR9vT4wZ8kL3nB6cF1hJ5dG0sY" * 2


FIELD_KEY = "5QDHDhObbJ0o9mebDMW-T19EOorM1rt2bV3ZmfsVneI="


def run_production(code: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.production",
        MINQING_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="minqing.example.cn,testserver",
        PYTHONPATH=str(settings.BASE_DIR),
        # production keeps the field keys in the environment (docs/privacy.md); a test-only key
        MINQING_FIELD_KEYS=FIELD_KEY,
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, *code],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
