"""huey tasks of the core (the consumer: ``minqing run_huey``; see config/huey.py)."""

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from minqing.core.audit_archive import archive_old_rows


@db_periodic_task(crontab(hour="2", minute="40"))
def audit_archive_daily() -> dict[str, Any]:
    """Archive, verify and only then delete the audit rows past the retention (docs/audit.md)."""
    result = archive_old_rows()
    return {"rows": result.rows, "file": str(result.path or ""), "sha256": result.sha256}
