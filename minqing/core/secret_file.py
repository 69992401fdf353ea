"""A secret made once into a file readable by its owner only (mode 0600), then read from there:
this install's ``SECRET_KEY`` (``config.security``) and its field-encryption key file
(``minqing.core.crypto``).

No Django application is imported here: the settings import this before Django is set up.
"""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def read_or_make(path: Path, make: Callable[[], str]) -> str:
    """The text of ``path``; if it does not exist yet, ``make()`` is written to it first.
    Two processes starting at once (two web workers) agree on one file: it appears whole (a hard
    link to a finished temporary file) or not at all, and the second keeps the first's."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(make() + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another process's, whole: keep it
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text(encoding="ascii")
