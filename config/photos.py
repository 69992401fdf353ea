"""Where photos (residents' reports, staff updates: ``minqing.photos``) are stored: the ``photos``
alias of Django's ``STORAGES``.

The file system under ``MINQING_PHOTO_ROOT`` (default ``var/media/photos``) by default, never
served as static files: every photo goes through the access-checking view. S3-compatible
storage (AWS S3, MinIO, Aliyun OSS, Tencent COS...) when ``MINQING_PHOTO_S3_BUCKET`` is set,
through django-storages (the optional extra ``pip install 'minqing[s3]'``); see docs/photos.md.
"""

from pathlib import Path
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"
FS_BACKEND = "django.core.files.storage.FileSystemStorage"


def photo_storage(env: Any, var_dir: Path) -> dict[str, Any]:
    """The ``STORAGES["photos"]`` entry from the environment."""
    bucket = env.str("MINQING_PHOTO_S3_BUCKET", default="")
    if bucket:
        options: dict[str, Any] = {
            "bucket_name": bucket,
            "location": env.str("MINQING_PHOTO_S3_PREFIX", default="photos"),
            "default_acl": None,  # the bucket's own (private): the files are never public URLs
            "querystring_auth": True,
            "file_overwrite": False,
        }
        for option, name in (
            ("endpoint_url", "MINQING_PHOTO_S3_ENDPOINT"),
            ("region_name", "MINQING_PHOTO_S3_REGION"),
            ("access_key", "MINQING_PHOTO_S3_ACCESS_KEY"),
            ("secret_key", "MINQING_PHOTO_S3_SECRET_KEY"),
            ("addressing_style", "MINQING_PHOTO_S3_ADDRESSING"),
        ):
            value = env.str(name, default="")
            if value:
                options[option] = value
        return {"BACKEND": S3_BACKEND, "OPTIONS": options}
    root = Path(env.str("MINQING_PHOTO_ROOT", default=str(var_dir / "media" / "photos")))
    # no URL pattern serves this directory (only minqing.photos.views.serve reads it); its
    # directories and files are private to the server's user
    return {
        "BACKEND": FS_BACKEND,
        "OPTIONS": {
            "location": str(root),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
