"""An uploaded file on disk for an importer: the one way the upload pages save what they are sent."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename


def upload_name(upload: UploadedFile) -> str:
    """The user's file name made safe, so an error names the file they sent."""
    return get_valid_filename(Path(upload.name or "upload").name) or "upload"


@contextmanager
def saved_upload(upload: UploadedFile) -> Iterator[Path]:
    """``upload`` written in chunks under ``upload_name`` in a temporary directory, removed after."""
    with tempfile.TemporaryDirectory(prefix="minqing-upload-") as tmp:
        path = Path(tmp) / upload_name(upload)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path
