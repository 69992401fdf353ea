"""huey tasks of activities (the consumer: ``minqing run_huey``; see config/huey.py)."""

from dataclasses import asdict
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from minqing.activities.services.rollups import rollups_refresh


@db_periodic_task(crontab(minute="*/10"))
def rollups_every_ten_minutes() -> dict[str, Any]:
    """Fold new activities and attendance into the counting rollups."""
    return asdict(rollups_refresh())
