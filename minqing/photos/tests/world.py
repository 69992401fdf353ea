"""A photo on a report with its files written at once (for worlds built inside a transaction
that never commits, like the permission matrix's)."""

from django.test import TestCase

from minqing.ledger.models import Feedback
from minqing.orgs.actors import SYSTEM
from minqing.photos.models import Photo
from minqing.photos.services import photos_attach_to_feedback, prepare_uploads
from minqing.photos.tests.conftest import jpeg_with_gps, upload


def stored_photo(feedback: Feedback) -> Photo:
    with TestCase.captureOnCommitCallbacks(execute=True):
        (photo,) = photos_attach_to_feedback(
            actor=SYSTEM, feedback=feedback, prepared=prepare_uploads([upload(jpeg_with_gps())])
        )
    return photo
