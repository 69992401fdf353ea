"""A fingerprint of the audit trail: its row count, highest id and a SHA-256 over every row in id
order, read with a plain DB-API cursor so the same engine gives the same bytes before a backup
and after a restore.

On PostgreSQL a backup is taken while transactions are in flight: a row whose id was drawn before
the fingerprint's snapshot may commit after it and still be in the backup. The fingerprint
therefore records the ids missing below its highest id (``gaps``: rolled back, in flight) and a
check leaves those ids out. On SQLite the backup is one snapshot and is read itself.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

AUDIT_TABLE = "core_auditevent"
COUNTED_TABLES = ("ledger_problem", "ledger_feedback", "core_auditevent", "orgs_unit")


@dataclass
class Fingerprint:
    rows: int
    max_id: int
    sha256: str
    gaps: list[list[int]] = field(default_factory=list)  # [first, last] id ranges not in the snapshot

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Fingerprint":
        return cls(int(data["rows"]), int(data["max_id"]), str(data["sha256"]), list(data.get("gaps", [])))

    def skipped(self, row_id: int) -> bool:
        return any(first <= row_id <= last for first, last in self.gaps)


def _row_bytes(row: Sequence[Any]) -> bytes:
    return json.dumps([None if v is None else str(v) for v in row], ensure_ascii=False).encode()


def _ranges(missing: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in missing:
        if out and out[-1][1] == i - 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def take(cursor: Any) -> Fingerprint:
    """The audit trail as ``cursor``'s snapshot sees it (call it inside one read transaction)."""
    cursor.execute(f"SELECT * FROM {AUDIT_TABLE} ORDER BY id")
    digest = hashlib.sha256()
    rows, max_id, expected = 0, 0, None
    missing: list[int] = []
    for batch in iter(lambda: cursor.fetchmany(2000), []):
        for r in batch:
            row_id = int(r[0])
            if expected is not None:
                missing.extend(range(expected, row_id))
            expected = row_id + 1
            digest.update(_row_bytes(r))
            rows, max_id = rows + 1, row_id
    return Fingerprint(rows, max_id, digest.hexdigest(), _ranges(missing))


def check(cursor: Any, taken: Fingerprint) -> list[str]:
    """What differs between the restored audit trail and the fingerprint the backup took (empty:
    it verifies). Rows above ``taken.max_id`` are later ones (point-in-time restore) and ignored."""
    cursor.execute(f"SELECT * FROM {AUDIT_TABLE} WHERE id <= {int(taken.max_id)} ORDER BY id")
    digest = hashlib.sha256()
    rows = 0
    for batch in iter(lambda: cursor.fetchmany(2000), []):
        for r in batch:
            if taken.skipped(int(r[0])):
                continue
            digest.update(_row_bytes(r))
            rows += 1
    problems = []
    if rows != taken.rows:
        problems.append(
            f"审计记录 {rows} 条,备份时 {taken.rows} 条 / {rows} audit rows, the backup had {taken.rows}"
        )
    elif digest.hexdigest() != taken.sha256:
        problems.append("审计记录内容与备份时不一致 / the audit rows differ from the backup's")
    return problems


def counts(cursor: Any) -> dict[str, int]:
    out = {}
    for table in COUNTED_TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")
        out[table] = int(cursor.fetchone()[0])
    return out
