"""What the catalogue pages share: the export download and the upload (import) page."""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from minqing.catalogues.formats import CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, FileFormat
from minqing.catalogues.forms import UPLOAD_MAX_MB, UploadForm
from minqing.catalogues.permissions import is_office
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.importing import ImportFailed, ImportIssue, get_importer
from minqing.core.models import AuditEvent
from minqing.core.tabular import XLSX_SUFFIXES


def fail_status(form: Any, err: DomainError) -> int:
    """Put the service's refusal on the form; a permission refusal is a 403."""
    form.add_error(None, err.message)
    return 403 if isinstance(err, PermissionDeniedError) else 200


def export_query(request: HttpRequest) -> str:
    """The list's filters as a query string for its export links (without page and format)."""
    q = request.GET.copy()
    for name in ("page", "format"):
        q.pop(name, None)
    return q.urlencode()


def export_response(
    request: HttpRequest,
    *,
    fmt: FileFormat,
    object_type: str,
    build: Callable[[ExportFormat], bytes],
) -> HttpResponse:
    """``?format=xlsx|csv`` (default xlsx): the file, audited; ``build`` writes the visible rows."""
    kind = request.GET.get("format") or "xlsx"
    if kind not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    export_kind: ExportFormat = "csv" if kind == "csv" else "xlsx"
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        detail=f"format={kind} {export_query(request)}".strip(),
        request=request,
    )
    response = HttpResponse(build(export_kind), content_type=CONTENT_TYPES[kind])
    filename = f"{fmt.sheet}-{timezone.localdate():%Y%m%d}.{kind}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


def _run_import(kind: str, upload: Any, actor: Any) -> tuple[str, list[str], list[ImportIssue], str]:
    """(summary, notes, issues, error) of importing the uploaded file as ``kind``."""
    name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
    suffix = Path(name).suffix.lower()
    if suffix != ".csv" and suffix not in XLSX_SUFFIXES:
        return "", [], [], DomainError(ErrorCode.IMPORT_UNSUPPORTED_FILE, value=suffix or name).message
    if upload.size > UPLOAD_MAX_MB * 1024 * 1024:
        return "", [], [], DomainError(ErrorCode.CATALOGUE_UPLOAD_TOO_LARGE, max=UPLOAD_MAX_MB).message
    with tempfile.TemporaryDirectory(prefix="minqing-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            result = get_importer(kind)(path, actor=actor)
        except ImportFailed as exc:
            return "", [], exc.issues, ""
        except DomainError as exc:
            return "", [], [], exc.message
    return result.summary(), result.notes, [], ""


def upload_page(
    request: HttpRequest, *, kind: str, fmt: FileFormat, title: str, back: str, help_text: str
) -> HttpResponse:
    """The office's upload page: a bad file lists every row error and imports nothing."""
    if not is_office(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form, "title": title, "fmt": fmt, "back": back, "help_text": help_text}
    if request.method == "POST" and form.is_valid():
        summary, notes, issues, error = _run_import(kind, form.cleaned_data["file"], request.user)
        ctx.update(summary=summary, notes=notes, issues=issues, error=error)
    return render(request, "catalogues/upload.html", ctx)
