"""Answers in the two GeoReport formats, chosen by the path's extension (``services.xml``,
``requests.json``): JSON (an array or an object) and XML (``<?xml … encoding="UTF-8"?>``, a root
element, lists as repeated child elements named by the spec). Errors are the spec's error list:
``[{"code": 400, "description": "…"}]`` / ``<errors><error><code>400</code>…``."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# the element each item of a list is written as, by the list's own element
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "service_request_updates": "request_update",
}


class Open311Error(Exception):
    """An answer with the spec's error list (one or more errors, one HTTP status)."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def w3c(value: dt.datetime | None) -> str | None:
    """A datetime in the W3C subset of ISO 8601, with its offset (local time)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, Mapping):
        for key, child in value.items():
            node.append(_element(key, child))
    elif isinstance(value, list):
        item = ITEM_TAGS.get(tag, "item")
        for child in value:
            node.append(_element(item, child))
    else:
        node.text = _text(value)
    return node


def to_xml(root: str, payload: Any) -> bytes:
    body = ET.tostring(_element(root, payload), encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        content = to_xml(root, payload)
    else:
        content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": d} for d in error.descriptions]
    return respond(fmt if fmt in FORMATS else "xml", "errors", errors, status=error.status)
