"""Front-end assets from the npm registry, served as ordinary static files (no CDN).

``make install`` runs ``npm ci`` (package.json / package-lock.json at the repository root), which
puts Apache ECharts in ``node_modules/``. ``VendorFinder`` (in ``STATICFILES_FINDERS``) exposes
only the files listed in ``VENDOR_FILES`` under their static names, so ``collectstatic`` copies
one 1 MB file, not the package's 51 MB ``dist/``, and whitenoise serves it like any other
static file. Without npm the finder finds nothing and the dashboard draws no charts: it shows
its tables and says why (``echarts_available``).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
ECHARTS = "vendor/echarts/echarts.min.js"

# static name -> file under node_modules/
VENDOR_FILES: dict[str, str] = {
    ECHARTS: "echarts/dist/echarts.min.js",
    "vendor/echarts/LICENSE": "echarts/LICENSE",
}


class _PrefixedStorage(FileSystemStorage):
    """A storage over one npm package directory whose files are collected under ``prefix``."""

    def __init__(self, location: Path, prefix: str) -> None:
        super().__init__(location=str(location))
        self.prefix = prefix


def _source(name: str) -> Path | None:
    rel = VENDOR_FILES.get(name)
    if rel is None:
        return None
    path = NODE_MODULES / rel
    return path if path.is_file() else None


class VendorFinder(BaseFinder):
    """Finds the files of ``VENDOR_FILES`` in ``node_modules/`` (absent ones are simply not found)."""

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []  # a missing npm install is not an error: the dashboard degrades to its tables

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        found = _source(path)
        if found is None:
            return []  # like Django's finders: "nothing" is an empty list, whatever find_all says
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name in VENDOR_FILES:
            found = _source(name)
            if found is not None:
                prefix, _, _ = name.rpartition("/")
                yield found.name, _PrefixedStorage(found.parent, prefix)


def echarts_available() -> bool:
    """Whether the ECharts file can be served: collected (production) or found (development, tests)."""
    return staticfiles_storage.exists(ECHARTS) or finders.find(ECHARTS) is not None
