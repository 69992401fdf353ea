"""huey task of the Open311 intake: a queued request (``MINQING_OPEN311_QUEUE``) is recorded as
feedback after its answer; ``tokens/{token}`` then names its service request."""

from huey.contrib.djhuey import db_task

from minqing.open311.services import request_record_queued


@db_task(retries=3, retry_delay=10)
def open311_intake(pk: int) -> None:
    request_record_queued(pk)
