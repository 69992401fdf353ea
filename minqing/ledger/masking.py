"""Masking personal details a resident typed into a report, for the suggested public wording
(``services/moderation.py``)."""

import re
from collections.abc import Iterable

MASK = "*"
# an 18-digit (or old 15-digit) resident ID number; a mainland mobile (with +86 and separators);
# a landline with its area code
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)")


def _stars(m: re.Match[str]) -> str:
    return MASK * len(m.group(0))


def mask_personal(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with ID numbers, phone numbers and the given people's names hidden: numbers
    become stars, a name its surname and 某 (王大妈 → 王某). A suggestion for the moderator, who
    still reads the result: it cannot know every personal detail a resident may type."""
    out = ID_NUMBER_RE.sub(_stars, text or "")
    out = MOBILE_RE.sub(_stars, out)
    out = LANDLINE_RE.sub(_stars, out)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        out = out.replace(name, f"{name[0]}某")
    return out
