"""huey tasks of the outbox (the consumer: ``minqing run_huey``; see config/huey.py)."""

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from minqing.notify import outbox


@db_task()
def deliver_message(pk: int) -> bool:
    """Send one outbox message (queued when its transaction committed)."""
    return outbox.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def outbox_sweep_every_minute() -> dict[str, Any]:
    """Send what is pending and due: retries, and whatever a stopped worker left behind."""
    return outbox.sweep()
