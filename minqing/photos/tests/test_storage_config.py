"""The ``photos`` storage from the environment (``config/photos.py``): the file system under
var/ by default, S3-compatible storage when a bucket is named."""

from pathlib import Path

import environ
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from config.photos import FS_BACKEND, S3_BACKEND, photo_storage

S3_VARS = ("BUCKET", "ENDPOINT", "REGION", "ACCESS_KEY", "SECRET_KEY", "ADDRESSING", "PREFIX")


def _clear(monkeypatch):
    monkeypatch.delenv("MINQING_PHOTO_ROOT", raising=False)
    for name in S3_VARS:
        monkeypatch.delenv(f"MINQING_PHOTO_S3_{name}", raising=False)


def test_default_is_a_private_directory_under_var(monkeypatch, tmp_path):
    _clear(monkeypatch)
    conf = photo_storage(environ.Env(), tmp_path)
    assert conf["BACKEND"] == FS_BACKEND
    assert conf["OPTIONS"]["location"] == str(tmp_path / "media" / "photos")
    assert conf["OPTIONS"]["file_permissions_mode"] == 0o600
    monkeypatch.setenv("MINQING_PHOTO_ROOT", "/srv/minqing/photos")
    assert photo_storage(environ.Env(), tmp_path)["OPTIONS"]["location"] == "/srv/minqing/photos"


def test_s3_compatible_when_a_bucket_is_named(monkeypatch, tmp_path):
    _clear(monkeypatch)
    monkeypatch.setenv("MINQING_PHOTO_S3_BUCKET", "minqing-photos")
    monkeypatch.setenv("MINQING_PHOTO_S3_ENDPOINT", "https://minio.example.gov.cn:9000")
    monkeypatch.setenv("MINQING_PHOTO_S3_ACCESS_KEY", "ak")
    monkeypatch.setenv("MINQING_PHOTO_S3_SECRET_KEY", "sk")
    conf = photo_storage(environ.Env(), tmp_path)
    assert conf["BACKEND"] == S3_BACKEND == "storages.backends.s3.S3Storage"
    assert conf["OPTIONS"] == {
        "bucket_name": "minqing-photos",
        "location": "photos",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "endpoint_url": "https://minio.example.gov.cn:9000",
        "access_key": "ak",
        "secret_key": "sk",
    }


def test_the_settings_name_the_photos_alias():
    assert "photos" in settings.STORAGES
    from django.core.files.storage import storages

    storage = storages["photos"]
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location).is_absolute()
