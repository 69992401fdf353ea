"""Cursor (keyset) pagination: a list answers ``{"items": [...], "next_cursor": "…" | null}``;
pass ``cursor`` back for the next page. The cursor holds the last row's key, so a page never
skips or repeats rows when others are added meanwhile, and no page counts the whole table."""

import base64
import binascii
import json
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema

from minqing.api.errors import ApiError

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": pk}).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["k"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError) as exc:
        raise ApiError("BAD_CURSOR", 400, field="cursor") from exc
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError("BAD_CURSOR", 400, field="cursor")
    return value


def keyset_page(queryset: QuerySet[M], cursor: str | None, limit: int | None) -> tuple[list[M], str | None]:
    """One page of ``queryset`` newest first (by primary key, descending)."""
    size = min(max(1, limit or DEFAULT_LIMIT), MAX_LIMIT)
    qs = queryset.order_by("-pk")
    if cursor:
        qs = qs.filter(pk__lt=_decode(cursor))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (_encode(rows[-1].pk) if more and rows else None)
