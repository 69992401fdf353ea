"""One audit context per request (``audit_context``), and the rows a response itself calls for:

- a download (``Content-Disposition: attachment``): one EXPORT row naming what the view said it
  exported (``audit(action=EXPORT)``, deferred), the file, and the rows written through
  ``exports.safe_row`` (header rows included; a streamed csv is counted by its view);
- an export the view announced but did not send (an error instead): one EXPORT row, failure;
- a 403: one ACCESS_DENIED row (refused), method and path. No rate limit: one insert per 403,
  which costs no more than the page that refused.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from minqing.core.audit import audit
from minqing.core.audit_context import AuditContext, audit_context
from minqing.core.models import AuditEvent


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with audit_context(request=request) as ctx:
            response = self.get_response(request)
            _after(request, response, ctx)
        return response


def _filename(response: HttpResponseBase) -> str:
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith("attachment"):
        return ""
    return (
        disposition.partition("filename")[2].lstrip("*=\"'").removeprefix("utf-8''").rstrip("\"'")[:120]
        or "-"
    )


def _after(request: HttpRequest, response: HttpResponseBase, ctx: AuditContext) -> None:
    ctx.responded = True
    actor = getattr(request, "user", None)
    filename = _filename(response)
    pending, ctx.export = ctx.export, None
    if filename or pending is not None:
        rows = "stream" if getattr(response, "streaming", False) else str(ctx.rows)
        details = pending.details if pending is not None else [request.path]
        ok = bool(filename) and response.status_code == 200
        audit(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            object_type=pending.object_type if pending is not None else "",
            object_id=pending.object_id if pending is not None else "",
            detail=f"{' '.join(details)} file={filename or '-'} rows={rows} status={response.status_code}",
            request=request,
            outcome=AuditEvent.Outcome.SUCCESS if ok else AuditEvent.Outcome.FAILURE,
        )
    if response.status_code == 403:
        audit(
            actor=actor,
            action=AuditEvent.Action.ACCESS_DENIED,
            object_type="url",
            detail=f"{request.method} {request.get_full_path()}",
            request=request,
            outcome=AuditEvent.Outcome.REFUSED,
            actor_name="anonymous",
        )
