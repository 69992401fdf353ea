"""huey, the task queue for the deadline job (and later jobs); read by ``huey.contrib.djhuey``.

SQLite storage at ``var/huey.sqlite3`` by default, so one office needs nothing else; Redis when
``MINQING_HUEY_REDIS_URL`` is set (e.g. ``redis://127.0.0.1:6379/0``). The consumer runs in its
own process: ``minqing run_huey``. ``MINQING_HUEY_IMMEDIATE=1`` runs tasks in-process at once
(the tests switch it on in ``minqing/conftest.py``).
"""

from pathlib import Path
from typing import Any


def huey_settings(env: Any, var_dir: Path) -> dict[str, Any]:
    redis_url = env.str("MINQING_HUEY_REDIS_URL", default="")
    common: dict[str, Any] = {
        "name": "minqing",
        "immediate": env.bool("MINQING_HUEY_IMMEDIATE", default=False),
        "utc": True,
        "consumer": {"workers": env.int("MINQING_HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
    if redis_url:
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(var_dir / "huey.sqlite3")}
