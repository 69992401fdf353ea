"""PDF through WeasyPrint from ``reports/bulletin_pdf.html``, in the GB/T 9704-2012 layout.

The fonts are the Noto CJK fonts installed on the machine (Debian fonts-noto-cjk), found by
fontconfig and embedded (subset) in the file; the renderer fetches nothing: any URL other than
a local file is refused.
"""

from typing import Any

from django.template.loader import render_to_string

from minqing.reports.bulletins.document import BulletinDoc
from minqing.reports.bulletins.renderers import docx as layout_source

LINE_PITCH = layout_source.LINE_PITCH_PT


def _layout() -> dict[str, Any]:
    m = layout_source.MARGINS_MM
    pitch = layout_source.type_width_pt() / layout_source.CHARS_PER_LINE  # 15.79 pt per character
    body = layout_source.BODY_SIZE.pt
    return {
        **m,
        "line_pitch": LINE_PITCH,
        "letter_spacing": round(pitch - body, 3),
        "indent": round(pitch * 2, 2),
        "sign_right": round(pitch * 4, 2),
    }


def _local_only_fetcher() -> Any:
    """A URL fetcher for file: and data: URLs only (the document refers to nothing else anyway)."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # WeasyPrint 66 and later
        return urls.URLFetcher(allowed_protocols=("file", "data"))

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # older releases take a function
        if not url.startswith(("file:", "data:")):
            raise ValueError(f"bulletin PDF fetches nothing from the network: {url}")
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch


def render_html(doc: BulletinDoc) -> str:
    context = {"doc": doc, "layout": _layout(), "title_lines": doc.title.splitlines() or [""]}
    return render_to_string("reports/bulletin_pdf.html", context)


def render_pdf(doc: BulletinDoc) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_html(doc), url_fetcher=_local_only_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
