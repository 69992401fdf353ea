"""Where an audit row comes from when its caller does not say: the current request (who, from
which address and browser), or the command or job running (the ``SYSTEM`` actor).

``AuditMiddleware`` opens one context per request; ``minqing`` commands and huey jobs run
without one and so act as ``SYSTEM``. ``bulk_writes`` marks a bulk load (the demo, an import):
inside it the per-record write rows (``audit_writes``) are only counted, and one summary row
is written at its end. The context also keeps what the export audit needs: the export announced
by the view and the number of rows written through ``exports.safe_row``.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from minqing.orgs.actors import Actor

Key = tuple[str, str, str]  # object type, object id, action
MAX_REMEMBERED = 10_000  # keys of explicit rows kept to skip the matching automatic row


@dataclass
class PendingExport:
    object_type: str
    object_id: str
    details: list[str]


@dataclass
class AuditContext:
    request: HttpRequest | None = None
    source: str = "system"  # web, cli, job, system
    bulk: str = ""  # the name of the bulk load running, if any
    bulk_counts: Counter[str] = field(default_factory=Counter)
    written: set[Key] = field(default_factory=set)
    export: PendingExport | None = None
    rows: int = 0
    responded: bool = False  # the response is out: an export row is written, not deferred
    # inside ``importing.audited_import``: the importer's own IMPORT rows (object type, detail)
    imports: list[tuple[str, str]] | None = None

    @property
    def actor(self) -> "Actor":
        from minqing.orgs.actors import SYSTEM

        if self.request is not None:
            # an API call names who its key signs in (minqing.api.auth), not the session's user
            api_actor = getattr(self.request, "api_actor", None)
            if api_actor is not None:
                return api_actor
            return getattr(self.request, "user", None) or SYSTEM
        return SYSTEM

    def remember(self, key: Key) -> None:
        if len(self.written) >= MAX_REMEMBERED:
            self.written.clear()
        self.written.add(key)


_current: ContextVar[AuditContext | None] = ContextVar("minqing_audit_context", default=None)


def current() -> AuditContext:
    """The running context; outside any, a ``SYSTEM`` one kept for this thread."""
    ctx = _current.get()
    if ctx is None:
        ctx = AuditContext()
        _current.set(ctx)
    return ctx


def active_request() -> HttpRequest | None:
    ctx = _current.get()
    return ctx.request if ctx is not None else None


@contextmanager
def audit_context(*, request: HttpRequest | None = None, source: str = "web") -> Iterator[AuditContext]:
    ctx = AuditContext(request=request, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def bulk_writes(name: str, *, summary: bool = True) -> Iterator[Counter[str]]:
    """Per-record write rows are only counted inside; ``summary``: one row at the end naming the
    counts (an import writes its own IMPORT row instead)."""
    ctx = current()
    outer, ctx.bulk = ctx.bulk, ctx.bulk or name
    counts_before = Counter(ctx.bulk_counts)
    try:
        yield ctx.bulk_counts
    finally:
        ctx.bulk = outer
        if summary and not outer:
            done = ctx.bulk_counts - counts_before
            ctx.bulk_counts.clear()
            if done:
                _summary_row(name, done)


def _summary_row(name: str, counts: Counter[str]) -> None:
    from minqing.core.audit import audit
    from minqing.core.models import AuditEvent

    text = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
    audit(
        actor=current().actor,
        action=AuditEvent.Action.IMPORT,
        object_type="bulk",
        detail=f"{name}: {sum(counts.values())} writes ({text})",
    )


def count_rows(n: int = 1) -> None:
    ctx = _current.get()
    if ctx is not None:
        ctx.rows += n


def defer_export(object_type: str, object_id: str, detail: str) -> bool:
    """Inside a request, the view's export audit waits for the response (to add the file and the
    rows); False outside one (the caller writes the row at once)."""
    ctx = _current.get()
    if ctx is None or ctx.request is None or ctx.responded:
        return False
    if ctx.export is None:
        ctx.export = PendingExport(object_type, object_id, [detail] if detail else [])
    elif detail:
        ctx.export.details.append(detail)
    return True
