"""The shared parts of every export: the two formats and their content types, the BOM that makes
Excel read a UTF-8 csv as UTF-8, the page's filters for its export links, and the download
response (dated file name, attachment, never cached). Each app writes its own rows."""

from collections.abc import Iterator
from typing import Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

Format = Literal["xlsx", "csv"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_BOM = "\ufeff"  # so Excel opens the UTF-8 file as UTF-8


def export_query(request: HttpRequest) -> str:
    """The page's filters as a query string for its export links (without page and format)."""
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return query.urlencode()


def _as_attachment(response: HttpResponse | StreamingHttpResponse, fmt: str, name: str) -> None:
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"


def download(body: bytes, fmt: str, name: str) -> HttpResponse:
    """``body`` as the file ``<name>-<today>.<fmt>``."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    _as_attachment(response, fmt, name)
    return response


def download_stream(chunks: Iterator[bytes], fmt: str, name: str) -> StreamingHttpResponse:
    """As ``download``, written while the rows are read (a long csv)."""
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    _as_attachment(response, fmt, name)
    return response
