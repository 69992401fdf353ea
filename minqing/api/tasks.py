"""huey tasks of the queued registrations (``minqing.api.queued``): ``drain_registrations`` is
queued after an accepted one (at most one per process every few seconds); ``registrations_due``
runs every minute and drains whatever a lost job, a restart or a queue that was down left."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from minqing.api import queued


@db_task()
def drain_registrations() -> dict[str, int]:
    return queued.drain()


@db_periodic_task(crontab(minute="*"))
def registrations_due() -> dict[str, int]:
    return queued.drain()
