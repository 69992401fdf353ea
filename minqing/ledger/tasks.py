"""huey tasks of the ledger (the consumer: ``minqing run_huey``; see config/huey.py)."""

from dataclasses import asdict
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from minqing.ledger.jobs import run_deadlines
from minqing.ledger.rollup import refresh_if_waiting
from minqing.ledger.services.moderation import moderation_publish_due


@db_periodic_task(crontab(minute="*/30"))
def deadlines_every_half_hour() -> dict[str, Any]:
    """Mark overdue, escalate, warn and notify: ``run_deadlines`` every 30 minutes."""
    return run_deadlines().as_dict()


@db_periodic_task(crontab(minute="*/10"))
def moderation_every_ten_minutes() -> int:
    """Publish the reports left unchecked past ``MINQING_PUBLIC_AUTO_PUBLISH_HOURS`` (nothing when
    it is 0, the default): ``moderation_publish_due``."""
    return moderation_publish_due()


@db_periodic_task(crontab(minute="*"))
def problem_rollup_every_minute() -> dict[str, Any] | None:
    """Fold the problems changed since the last refresh into the figures' rollup (``ledger.rollup``):
    readers count what waits from the problems, so the job keeps it short."""
    done = refresh_if_waiting()
    return asdict(done) if done is not None else None
