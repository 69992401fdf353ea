"""huey tasks of activities (the consumer: ``minqing run_huey``; see config/huey.py).

The counting rollups are refreshed here (and by the commands, importers and the demo), never by
a reader: every ten minutes whatever waits, and every minute once more than
``JOB_REFRESH_ROWS`` rows wait, so that a burst of check-ins or a bulk write not followed by a
refresh leaves the tail that readers count from the tables short (well below ``TAIL_ROWS``).
"""

from dataclasses import asdict
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from minqing.activities.services.rollups import refresh_if_behind, rollups_refresh


@db_periodic_task(crontab(minute="*/10"))
def rollups_every_ten_minutes() -> dict[str, Any]:
    """Fold new activities and attendance into the counting rollups."""
    return asdict(rollups_refresh())


@db_periodic_task(crontab(minute="*"))
def rollups_when_behind() -> dict[str, Any] | None:
    """Fold them in at once when many wait (a bulk write or a burst of check-ins)."""
    done = refresh_if_behind()
    return asdict(done) if done is not None else None
