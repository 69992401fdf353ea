"""What the catalogue pages share: the generic list, new, detail (edit), export and upload pages
of a ``CatalogueKind`` (``kinds``), which each catalogue module declares, and their helpers."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minqing.catalogues.formats import ExportFormat, FileFormat
from minqing.catalogues.forms import UPLOAD_MAX_MB, RecordForm, UploadForm
from minqing.catalogues.permissions import can_write_any, can_write_path, is_office
from minqing.catalogues.views.kinds import CatalogueKind, F, R
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.exports import FORMATS, download, export_query
from minqing.core.forms import fail
from minqing.core.importing import ImportFailed, ImportIssue, get_importer
from minqing.core.importing.audited import refuse_import
from minqing.core.importing.uploads import saved_upload, upload_name
from minqing.core.models import AuditEvent
from minqing.core.replica import replica_reads
from minqing.core.tabular import XLSX_SUFFIXES
from minqing.orgs.actors import Actor
from minqing.orgs.unit_filters import flag_unit_error, unit_error

V = TypeVar("V", bound=Callable[..., HttpResponse])
View = Callable[[HttpRequest], HttpResponse]
RecordView = Callable[[HttpRequest, int], HttpResponse]  # (request, pk)
Show = Callable[[RecordForm | None, int], HttpResponse]  # (the edit form, the status) -> the page


def _view(name: str) -> Callable[[V], V]:
    """A generic page, named as the module's own view would be, for logged-in users only."""

    def named(view: V) -> V:
        view.__name__ = view.__qualname__ = name
        return login_required(view)

    return named


# --- the pages of a kind ---------------------------------------------------------------------


def list_view(kind: CatalogueKind[R, F]) -> View:
    """The list: filters, counts, a page of rows, and the links the actor may follow."""

    @_view(f"{kind.name}_list")
    def view(request: HttpRequest) -> HttpResponse:
        flag_unit_error(request)
        f = kind.reads.filters(request.user, request.GET)
        ctx = {
            "f": f,
            **kind.choices(request.user),
            "summary": kind.reads.summary(kind.reads.rows(request.user, f)),
            "page_obj": kind.reads.page(request.user, f, request.GET.get("page")),
            "export_query": export_query(request),
            "can_write": can_write_any(request.user),
            "can_upload": is_office(request.user),
        }
        return render(request, f"catalogues/{kind.name}_list.html", ctx)

    return view


def new_view(kind: CatalogueKind[R, F]) -> View:
    """A new record, for those who may write some (its unit is then checked by the service)."""

    @_view(f"{kind.name}_new")
    def view(request: HttpRequest) -> HttpResponse:
        if not can_write_any(request.user):
            raise PermissionDenied
        form = kind.writes.form(request.POST or None, actor=request.user)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                record = kind.writes.create(actor=request.user, **form.arguments())
            except DomainError as err:
                status = fail(form, err)
            else:
                messages.success(request, str(kind.words.created))
                return redirect(f"catalogues:{kind.name}", pk=record.pk)
        ctx = kind.form_context(form=form, title=str(kind.words.new), back=f"catalogues:{kind.plural}")
        return render(request, "catalogues/form.html", ctx, status=status)

    return view


def edit_page(request: HttpRequest, kind: CatalogueKind[R, F], record: R, show: Show) -> HttpResponse:
    """``record``'s page (``show``), with its edit form for those who may write it (POST saves)."""
    writable = can_write_path(request.user, record.path)
    if request.method == "POST" and not writable:
        raise PermissionDenied
    if not writable:
        return show(None, 200)
    writes = kind.writes
    initial = writes.form.initial_for(record)
    form = writes.form(request.POST or None, actor=request.user, editing=True, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return show(form, 200)
    try:
        writes.update(actor=request.user, **{writes.record: record}, **form.arguments())
    except DomainError as err:
        return show(form, fail(form, err))
    messages.success(request, _("已保存"))
    return redirect(f"catalogues:{kind.name}", pk=record.pk)


def detail_view(kind: CatalogueKind[R, F], get: Callable[[Any, int], R], key: str) -> RecordView:
    """The record (in the context as ``key``) and its edit form (``edit_page``)."""

    @_view(f"{kind.name}_detail")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = get(request.user, pk)

        def show(form: RecordForm | None, status: int) -> HttpResponse:
            ctx = kind.form_context(**{key: record, "form": form})
            return render(request, f"catalogues/{kind.name}_detail.html", ctx, status=status)

        return edit_page(request, kind, record, show)

    return view


def export_view(kind: CatalogueKind[R, F]) -> View:
    """``?format=xlsx|csv`` (default xlsx): the list's rows under its filters, audited."""

    @_view(f"{kind.name}_export")
    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        if unit_error(request):  # a file never silently widens a bad filter to the whole scope
            raise Http404
        qs = kind.reads.rows(request.user, kind.reads.filters(request.user, request.GET))
        return export_response(
            request,
            fmt=kind.fmt,
            object_type=qs.model._meta.label_lower,
            build=lambda fmt: kind.export(qs, fmt),
        )

    return view


def upload_view(kind: CatalogueKind[R, F]) -> View:
    """The office's upload (import) page of the kind's file format."""

    @_view(f"{kind.name}_upload")
    def view(request: HttpRequest) -> HttpResponse:
        return upload_page(
            request,
            kind=kind.plural,
            fmt=kind.fmt,
            title=str(kind.words.upload),
            back=f"catalogues:{kind.plural}",
            help_text=str(kind.upload_help),
        )

    return view


# --- the export download and the upload page ------------------------------------------------


def export_response(
    request: HttpRequest,
    *,
    fmt: FileFormat,
    object_type: str,
    build: Callable[[ExportFormat], bytes],
) -> HttpResponse:
    """``?format=xlsx|csv`` (default xlsx): the file, audited; ``build`` writes the visible rows."""
    kind = request.GET.get("format") or "xlsx"
    if kind not in FORMATS:
        return HttpResponseBadRequest(_("不支持的导出格式"))
    export_kind: ExportFormat = "csv" if kind == "csv" else "xlsx"
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        detail=f"format={kind} {export_query(request)}".strip(),
        request=request,
    )
    return download(build(export_kind), kind, fmt.sheet)


def _run_import(
    kind: str, upload: UploadedFile, actor: Actor
) -> tuple[str, list[str], list[ImportIssue], str]:
    """(summary, notes, issues, error) of importing the uploaded file as ``kind``."""
    name = upload_name(upload)
    suffix = Path(name).suffix.lower()
    if suffix != ".csv" and suffix not in XLSX_SUFFIXES:
        refuse_import(kind, name, actor=actor, code=ErrorCode.IMPORT_UNSUPPORTED_FILE)
        return "", [], [], DomainError(ErrorCode.IMPORT_UNSUPPORTED_FILE, value=suffix or name).bilingual()
    if (upload.size or 0) > UPLOAD_MAX_MB * 1024 * 1024:
        refuse_import(kind, name, actor=actor, code=ErrorCode.CATALOGUE_UPLOAD_TOO_LARGE)
        return "", [], [], DomainError(ErrorCode.CATALOGUE_UPLOAD_TOO_LARGE, max=UPLOAD_MAX_MB).bilingual()
    with saved_upload(upload) as path:
        try:
            result = get_importer(kind)(path, actor=actor)
        except ImportFailed as exc:
            return "", [], exc.issues, ""
        except DomainError as exc:
            return "", [], [], exc.bilingual()
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
