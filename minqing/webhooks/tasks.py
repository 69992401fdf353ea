"""huey tasks of the webhooks (the consumer: ``minqing run_huey``; see config/huey.py).

``send_delivery`` is queued when a delivery's transaction commits; ``deliveries_due`` runs every
minute and queues every pending delivery whose next try has come, so a lost job, a restart or a
queue that was down loses nothing (the ``Delivery`` row, not the queue, is the truth). The claim
in ``sender.deliver`` keeps a delivery queued twice from being sent twice at once.
"""

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from minqing.webhooks import sender


@db_task()
def send_delivery(pk: int) -> str | None:
    """One attempt at delivery ``pk`` (nothing when it is not due or another worker sends it)."""
    return sender.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def deliveries_due() -> dict[str, Any]:
    """Queue every delivery that is due (first tries whose job was lost, and retries)."""
    ids = sender.due_ids()
    for pk in ids:
        send_delivery(pk)
    return {"queued": len(ids)}
