"""Placeholders in a bulletin template: parse, validate against the registry, render.

A placeholder is ``{name}`` or ``{name:万}``: ``name`` is a metric id of the registry
(``study.reading_class.sessions``) or one of the bulletin's facts ``unit`` (the unit's name),
``as_of`` (printed 2019年12月20日) and ``campaign`` (the campaign's name). ``{{`` and ``}}`` print
a literal brace. A template never holds a typed figure: every number comes from a placeholder.

A metric placeholder may choose its words by the value: ``{name|when zero|otherwise}`` prints the
first text when the value is 0 and the second otherwise, with ``#`` in it replaced by the value
(``{lectures.secretaries_without_lecture|全部结束|尚未讲的#人}``). Either text may be empty.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from minqing.core.errors import DomainError, ErrorCode
from minqing.reports.bulletins.formatting import MODIFIERS, format_value

FACTS = ("unit", "as_of", "campaign")
_NAME = re.compile(r"^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)(?::(\S+))?$")


@dataclass(frozen=True)
class Placeholder:
    name: str
    modifier: str = ""
    line: int = 0
    column: int = 0
    zero: str | None = None  # ``{name|zero|other}``: the words when the value is 0
    other: str | None = None  # ... and otherwise, ``#`` standing for the value

    @property
    def is_fact(self) -> bool:
        return self.name in FACTS


Segment = str | Placeholder


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def parse(text: str) -> tuple[list[Segment], list[DomainError]]:
    """The template as literal text and placeholders, and every syntax error found."""
    segments: list[Segment] = []
    errors: list[DomainError] = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "{}" and text[i : i + 2] == ch * 2:
            buf.append(ch)
            i += 2
            continue
        if ch == "}":
            line, column = _position(text, i)
            errors.append(
                DomainError(ErrorCode.BULLETIN_UNBALANCED_BRACE, line=line, column=column, brace="}")
            )
            i += 1
            continue
        if ch != "{":
            buf.append(ch)
            i += 1
            continue
        close = text.find("}", i + 1)
        reopen = text.find("{", i + 1)
        if close < 0 or (0 <= reopen < close) or "\n" in text[i:close]:
            line, column = _position(text, i)
            errors.append(
                DomainError(ErrorCode.BULLETIN_UNBALANCED_BRACE, line=line, column=column, brace="{")
            )
            i += 1
            continue
        inner = text[i + 1 : close].strip()
        head, *alternatives = inner.split("|")
        m = _NAME.match(head.strip())
        line, column = _position(text, i)
        if (
            m is None
            or (m.group(2) and (m.group(2) not in MODIFIERS or m.group(1) in FACTS))
            or (alternatives and (len(alternatives) != 2 or m.group(1) in FACTS))
        ):
            errors.append(DomainError(ErrorCode.BULLETIN_BAD_PLACEHOLDER, name=inner))
        else:
            if buf:
                segments.append("".join(buf))
                buf = []
            zero, other = alternatives if alternatives else (None, None)
            segments.append(Placeholder(m.group(1), m.group(2) or "", line, column, zero, other))
        i = close + 1
    if buf:
        segments.append("".join(buf))
    return segments, errors


def placeholders(texts: Iterable[str]) -> list[Placeholder]:
    return [s for t in texts for s in parse(t)[0] if isinstance(s, Placeholder)]


def metric_ids(texts: Iterable[str]) -> list[str]:
    """The metric ids the texts print, in order of first use."""
    seen: dict[str, None] = {}
    for p in placeholders(texts):
        if not p.is_fact:
            seen.setdefault(p.name, None)
    return list(seen)


def validate(text: str, known: Collection[str]) -> list[DomainError]:
    """Syntax errors, then every placeholder that names no registered metric (once each)."""
    segments, errors = parse(text)
    reported: set[str] = set()
    for s in segments:
        if isinstance(s, Placeholder) and not s.is_fact and s.name not in known and s.name not in reported:
            reported.add(s.name)
            errors.append(DomainError(ErrorCode.BULLETIN_UNKNOWN_METRIC, name=s.name))
    return errors


@dataclass(frozen=True)
class Figure:
    """What the renderer needs of a metric value."""

    value: int | float
    kind: str = "count"
    word: str = ""


def render(text: str, figures: Mapping[str, Figure], facts: Mapping[str, str]) -> str:
    """The text with every placeholder replaced; raises on the first error."""
    segments, errors = parse(text)
    if errors:
        raise errors[0]
    out: list[str] = []
    for s in segments:
        if isinstance(s, str):
            out.append(s)
        elif s.is_fact:
            out.append(facts[s.name])
        elif s.name in figures:
            f = figures[s.name]
            shown = format_value(f.value, f.kind, s.modifier, f.word)
            if s.zero is None or s.other is None:
                out.append(shown)
            else:
                out.append(s.zero if f.value == 0 else s.other.replace("#", shown))
        else:
            raise DomainError(ErrorCode.BULLETIN_UNKNOWN_METRIC, name=s.name)
    return "".join(out)
