"""``manifest.json``: what a backup holds and how to check it."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minqing.core.backup.errors import BackupError
from minqing.core.backup.fingerprint import Fingerprint

NAME = "manifest.json"
FORMAT = 1


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass
class Manifest:
    engine: str  # "sqlite" or "postgresql"
    created_at: str
    audit: Fingerprint
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    database: str = ""  # PostgreSQL: the database's name
    keys: str = ""  # a fingerprint of the field-encryption keys in use (never the keys)
    extra: dict[str, Any] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        data = {
            "format": FORMAT,
            "engine": self.engine,
            "created_at": self.created_at,
            "database": self.database,
            "keys": self.keys,
            "counts": self.counts,
            "audit": self.audit.as_json(),
            "files": self.files,
            "extra": self.extra,
        }
        path = folder / NAME
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = folder / NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise BackupError(f"备份目录中没有 {NAME} / no {NAME} in {folder}") from exc
        except (OSError, ValueError) as exc:
            raise BackupError(f"无法读取 {path} / cannot read {path}: {exc}") from exc
        if data.get("format") != FORMAT:
            raise BackupError(f"不支持的备份格式 / unsupported backup format: {data.get('format')}")
        return cls(
            engine=data["engine"],
            created_at=data["created_at"],
            audit=Fingerprint.from_json(data["audit"]),
            counts={k: int(v) for k, v in data["counts"].items()},
            files=dict(data["files"]),
            database=data.get("database", ""),
            keys=data.get("keys", ""),
            extra=dict(data.get("extra", {})),
        )

    def check_files(self, folder: Path) -> None:
        """Every file is there with the checksum it had when the backup was taken."""
        for name, sha in self.files.items():
            path = folder / name
            if not path.is_file():
                raise BackupError(f"备份文件缺失 / backup file missing: {path}")
            if file_sha256(path) != sha:
                raise BackupError(f"备份文件已损坏(校验和不符)/ backup file corrupt (checksum): {path}")


def keys_fingerprint(keys: list[str]) -> str:
    """Which keys encrypt the personal fields, without revealing them: restore warns when the
    keys configured differ (the restored names and phones would not decrypt)."""
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
