"""Plain text (the sentences) and JSON (every metric id with its value) of a bulletin."""

import json
from typing import Any

from minqing.reports.bulletins.document import BulletinDoc


def render_txt(doc: BulletinDoc) -> bytes:
    lines = [doc.title, "", *doc.paragraphs, ""]
    return "\n".join(lines).encode("utf-8")


def as_json(doc: BulletinDoc) -> dict[str, Any]:
    """The keys with a dot are metric ids, each with a number (a share as a fraction); the others
    say what the bulletin is about: unit, as-of date, campaign, title, text, and the labels."""
    out: dict[str, Any] = {
        "unit": {"code": doc.unit_code, "name": doc.unit_name},
        "as_of": doc.as_of.isoformat(),
        "campaign": {"name": doc.campaign_name, "kind": doc.campaign_kind},
        "title": doc.title,
        "text": doc.paragraphs,
        "printed": doc.printed,
        "labels": {
            f.id: {"label": f.label, "word": f.word, "kind": f.kind, "definition": f.definition}
            for f in doc.figures
        },
    }
    if doc.number is not None:
        out["number"] = doc.number
    if doc.published_at is not None:
        out["published_at"] = doc.published_at.isoformat()
    for f in doc.figures:
        out[f.id] = f.value
    return out


def render_json(doc: BulletinDoc) -> bytes:
    return json.dumps(as_json(doc), ensure_ascii=False, indent=2).encode("utf-8")
