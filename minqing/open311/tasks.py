"""huey tasks of the Open311 intake: a queued request (``MINQING_OPEN311_QUEUE``, or a POST with
``Prefer: respond-async``) is recorded as feedback after its answer by ``open311_intake``
(queued at most once per process every few seconds: ``services.schedule_drain``); the minute job
``open311_due`` records whatever a lost job left. ``tokens/{token}`` then names its request."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from minqing.open311 import services


@db_task(retries=3, retry_delay=10)
def open311_intake() -> dict[str, int]:
    return services.drain()


@db_periodic_task(crontab(minute="*"))
def open311_due() -> dict[str, int]:
    return services.drain()
