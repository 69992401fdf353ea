"""Photo tests: the ledger's small world, a fresh photo storage per test, images made by Pillow."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minqing.ledger.tests.conftest import fast_hasher, lw  # noqa: F401 (fixtures)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
GPS = {1: "N", 2: (40.0, 50.0, 10.5), 3: "E", 4: (111.0, 7.0, 30.0)}


@pytest.fixture
def photo_root(settings, tmp_path) -> Path:
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_with_gps(size=(1200, 900), orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, (30, 120, 200))
    img.paste((250, 200, 0), (0, 0, size[0] // 2, size[1] // 3))  # not uniform: orientation shows
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[GPS_IFD] = GPS
    if orientation is not None:
        exif[ORIENTATION] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=90)
    return buf.getvalue()


def image_bytes(fmt: str, size=(400, 300), mode: str = "RGB") -> bytes:
    img = Image.new(mode, size, (10, 200, 30, 128)[: len(mode)] if mode != "L" else 100)
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def attach(photo_root, django_capture_on_commit_callbacks):
    """Attach photos to a report as the public form does (files written at the commit)."""
    from minqing.orgs.actors import SYSTEM
    from minqing.photos.services import photos_attach_to_feedback, prepare_uploads

    def _attach(feedback, *datas: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return photos_attach_to_feedback(
                actor=SYSTEM,
                feedback=feedback,
                prepared=prepare_uploads([upload(d) for d in datas or [jpeg_with_gps()]]),
            )

    return _attach
