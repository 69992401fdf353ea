"""One IMPORT audit row per file, whatever happens to it: imported (success), refused (a
permission or a cap: refused) or not imported (row issues, a bad file: failure), with the file's
name, its counts and the importer's own notes. Every upload page and ``minqing import`` goes
through ``audited_import`` (``get_importer`` wraps each importer in it)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minqing.core.audit_context import bulk_writes, current
from minqing.core.errors import DomainError, ErrorCode

if TYPE_CHECKING:
    from minqing.core.importing import ImportResult
    from minqing.orgs.actors import Actor

# refused before or instead of reading: who may not, or a file past the caps
REFUSALS = frozenset(
    {
        ErrorCode.PERMISSION_DENIED,
        ErrorCode.IMPORT_UNKNOWN_USER,
        ErrorCode.IMPORT_TOO_MANY_ROWS,
        ErrorCode.IMPORT_TOO_LARGE,
        ErrorCode.CATALOGUE_UPLOAD_TOO_LARGE,
    }
)


@dataclass
class ImportAudit:
    result: "ImportResult | None" = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # the importer's (object type, detail)


def _row(actor: "Actor", kind: str, filename: str, outcome: str, detail: str) -> None:
    from minqing.core.audit import audit
    from minqing.core.models import AuditEvent

    audit(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        object_type=kind,
        detail=f"{filename}: {detail}",
        outcome=outcome,
    )


def refuse_import(kind: str, filename: str, *, actor: "Actor", code: ErrorCode) -> None:
    """The IMPORT row of a file a page refused before importing it (its type, its size)."""
    from minqing.core.models import AuditEvent

    _row(actor, kind, filename, AuditEvent.Outcome.REFUSED, f"refused: {code.name}")


def _not_imported(exc: Exception) -> tuple[str, str]:
    """The outcome and detail of a file that was not imported because of ``exc``."""
    from minqing.core.importing import ImportFailed
    from minqing.core.models import AuditEvent

    if isinstance(exc, ImportFailed):
        first = str(exc.issues[0])[:200] if exc.issues else ""
        return AuditEvent.Outcome.FAILURE, f"not imported, {len(exc.issues)} issues; {first}"
    if isinstance(exc, DomainError):
        outcome = AuditEvent.Outcome.REFUSED if exc.code in REFUSALS else AuditEvent.Outcome.FAILURE
        return outcome, f"not imported: {exc.code.name}"
    return AuditEvent.Outcome.FAILURE, f"not imported: {type(exc).__name__}"


@contextmanager
def audited_import(kind: str, filename: str, *, actor: "Actor") -> Iterator[ImportAudit]:
    from minqing.core.models import AuditEvent

    ctx = current()
    outer, ctx.imports = ctx.imports, []
    state = ImportAudit(notes=ctx.imports)
    nested = outer is not None
    try:
        with bulk_writes(f"import {kind}", summary=False):
            yield state
    except Exception as exc:
        ctx.imports = outer  # first: the row below is written, not kept as a note
        if not nested:
            _row(actor, kind, filename, *_not_imported(exc))
        raise
    ctx.imports = outer
    if nested:
        return
    r = state.result
    counts = f"created {r.created}, updated {r.updated}, unchanged {r.unchanged}" if r is not None else ""
    object_type = next((t for t, _d in state.notes if t), kind)
    details = [counts, *(d for _t, d in state.notes)]
    _row(actor, object_type, filename, AuditEvent.Outcome.SUCCESS, "; ".join(details)[:450])


def audited(kind: str, importer: Any) -> Any:
    """``importer`` whose every call is one ``audited_import``."""

    def run(path: Any, *, actor: "Actor", progress: bool = False) -> "ImportResult":
        with audited_import(kind, path.name, actor=actor) as state:
            state.result = importer(path, actor=actor, progress=progress)
        return state.result

    return run
