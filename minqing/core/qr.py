"""A QR code served as an image: made here with segno, never by a remote service."""

import io
from typing import Any

import segno
from django.http import HttpResponse


def qr_svg_response(data: str, **save_options: Any) -> HttpResponse:
    """``data`` as a QR code in a standalone SVG document (with its xmlns), for an <img> (no inline
    script or style: CSP); ``save_options`` go to segno (``border``, ``scale``, ``title`` ...)."""
    svg = io.BytesIO()
    segno.make(data, error="m").save(svg, kind="svg", xmldecl=False, **save_options)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")
