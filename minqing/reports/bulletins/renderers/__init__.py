"""Renderers of a ``BulletinDoc``: each returns bytes and has a content type and file suffix."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext

from minqing.core.errors import DomainError, ErrorCode
from minqing.reports.bulletins.document import BulletinDoc


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    render: Callable[[BulletinDoc], bytes]


def _text(doc: BulletinDoc) -> bytes:
    from minqing.reports.bulletins.renderers.text import render_txt

    return render_txt(doc)


def _json(doc: BulletinDoc) -> bytes:
    from minqing.reports.bulletins.renderers.text import render_json

    return render_json(doc)


def _docx(doc: BulletinDoc) -> bytes:
    from minqing.reports.bulletins.renderers.docx import render_docx

    return render_docx(doc)


def _pdf(doc: BulletinDoc) -> bytes:
    try:
        from minqing.reports.bulletins.renderers.pdf import render_pdf

        return render_pdf(doc)
    except (ImportError, OSError) as exc:  # WeasyPrint without the system's pango libraries
        raise DomainError(ErrorCode.BULLETIN_PDF_UNAVAILABLE, reason=str(exc)[:200]) from exc


def _xlsx(doc: BulletinDoc) -> bytes:
    from minqing.reports.bulletins.renderers.xlsx import render_xlsx

    return render_xlsx(doc)


FORMATS: dict[str, Format] = {
    "txt": Format("txt", "text/plain; charset=utf-8", _text),
    "json": Format("json", "application/json", _json),
    "docx": Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx),
    "pdf": Format("pdf", "application/pdf", _pdf),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx),
}


def render(doc: BulletinDoc, fmt: str) -> bytes:
    return FORMATS[fmt].render(doc)


def filename(doc: BulletinDoc, fmt: str) -> str:
    """简报-150900-2015-06-30.docx (ASCII-safe apart from the first word, in the page's language)."""
    number = f"-{doc.number}" if doc.number else ""
    return f"{gettext('简报')}-{doc.unit_code}-{doc.as_of.isoformat()}{number}.{fmt}"
