"""Text typed by people, cleaned once where it comes in: control characters dropped.

A title or a letter pasted from another program may carry control characters (``\\x01``,
``\\x0b`` ...): invisible on a page, refused by xlsx. Forms that take free text use
``PlainCharField``, which keeps only line feeds and tabs (a carriage return becomes a line feed).
Exports clean every cell again (``minqing.core.exports.safe_cell``) for text stored before.
"""

import re
from typing import Any

from django import forms

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and no control character other than ``\\n`` and ``\\t``."""
    return CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class PlainCharField(forms.CharField):
    """A ``CharField`` whose value is cleaned by ``strip_control`` (then trimmed again)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str) and value:
            value = strip_control(value)
            if self.strip:
                value = value.strip()
        return value
