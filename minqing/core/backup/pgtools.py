"""PostgreSQL's own programs (pg_basebackup, pg_ctl, initdb), found in ``MINQING_PG_BINDIR``, on
PATH, or in Debian's ``/usr/lib/postgresql/<version>/bin``; run as the ``postgres`` system user
when we are root (the server refuses to run as root)."""

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from minqing.core.backup.errors import BackupError

SERVER_USER = "postgres"


def program(name: str) -> str:
    bindir = os.environ.get("MINQING_PG_BINDIR", "")
    candidates = [str(Path(bindir) / name)] if bindir else []
    found = shutil.which(name)
    if found:
        candidates.append(found)
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    raise BackupError(
        f"找不到 PostgreSQL 程序 {name},请安装 postgresql 或设置 MINQING_PG_BINDIR / "
        f"PostgreSQL program {name} not found: install postgresql or set MINQING_PG_BINDIR"
    )


def as_server_user(argv: list[str]) -> list[str]:
    """``argv`` run as the ``postgres`` user when we are root, else as ourselves."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", SERVER_USER, "--", *argv]


def give_to_server_user(path: Path) -> None:
    """When root: hand ``path`` (recursively) to the server's system user."""
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(SERVER_USER)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.chown(Path(root) / name, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def run(argv: list[str], what: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        argv, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{what} 失败 / {what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )
    return result.stdout
