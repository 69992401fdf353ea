"""Placeholders in a bulletin template: parse, validate against the registry, render.

A placeholder is ``{name}`` or ``{name:万}``: ``name`` is a metric id of the registry
(``study.reading_class.sessions``) or one of the bulletin's facts ``unit`` (the unit's name),
``as_of`` (printed 2019年12月20日), ``campaign`` (the campaign's name), ``level`` (旗, 县, 区, 市 ...),
``whole`` (全旗, 全县, 全区, 全市 ...: ``minqing.reports.bulletins.wording``) and ``hot_topics`` (a
sentence citing the top hot topics of the last 30 days: ``minqing.reports.bulletins.topics``).
``{{`` and ``}}`` print a literal brace. A template never holds a typed figure: every number comes
from a placeholder.

A metric placeholder may choose its words by the value: ``{name|when zero|otherwise}`` prints the
first text when the value is 0 and the second otherwise, with ``#`` in it replaced by the value
(``{lectures.secretaries_without_lecture|全部结束|尚未讲的#人}``). Either text may be empty.

A template may also leave out every sentence whose figures are all zero (``omit_zero``): a
sentence (up to 。！？) with at least one plain metric placeholder, all of them 0, and no
``{name|zero|other}`` placeholder (that one rewords itself) is not printed; a paragraph left
empty goes too.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from minqing.core.errors import DomainError, ErrorCode
from minqing.reports.bulletins.formatting import MODIFIERS, format_value

FACTS = ("unit", "as_of", "campaign", "level", "whole", "hot_topics")
SENTENCE_ENDS = "。！？"
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
    parsed = _parsed(text)
    return (list(parsed), []) if parsed is not None else _parse(text)


@lru_cache(maxsize=256)
def _parsed(text: str) -> tuple[Segment, ...] | None:
    """A valid template's segments, parsed once (a bulletin reads its template four times, and
    every bulletin of a kind the same one); None for a template with errors (not kept)."""
    segments, errors = _parse(text)
    return None if errors else tuple(segments)


def _parse(text: str) -> tuple[list[Segment], list[DomainError]]:
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


def _sentences(segments: list[Segment]) -> list[list[Segment]]:
    """The segments cut after each sentence end (``SENTENCE_ENDS``) in their literal text."""
    out: list[list[Segment]] = [[]]
    for s in segments:
        if isinstance(s, Placeholder):
            out[-1].append(s)
            continue
        start = 0
        for i, ch in enumerate(s):
            if ch in SENTENCE_ENDS:
                out[-1].append(s[start : i + 1])
                out.append([])
                start = i + 1
        if start < len(s):
            out[-1].append(s[start:])
    return [sentence for sentence in out if sentence]


def _all_zero(sentence: list[Segment], figures: Mapping[str, Figure]) -> bool:
    plain = [s for s in sentence if isinstance(s, Placeholder) and not s.is_fact]
    if not plain or any(s.zero is not None for s in plain):
        return False
    return all(s.name in figures and figures[s.name].value == 0 for s in plain)


def _segment(s: Segment, figures: Mapping[str, Figure], facts: Mapping[str, str], grouping: str) -> str:
    if isinstance(s, str):
        return s
    if s.is_fact:
        return facts[s.name]
    if s.name not in figures:
        raise DomainError(ErrorCode.BULLETIN_UNKNOWN_METRIC, name=s.name)
    f = figures[s.name]
    shown = format_value(f.value, f.kind, s.modifier, f.word, grouping)
    if s.zero is None or s.other is None:
        return shown
    return s.zero if f.value == 0 else s.other.replace("#", shown)


def render(
    text: str,
    figures: Mapping[str, Figure],
    facts: Mapping[str, str],
    *,
    grouping: str = "none",
    omit_zero: bool = False,
) -> str:
    """The text with every placeholder replaced (numbers grouped by ``grouping``, ``formatting``;
    all-zero sentences left out with ``omit_zero``); raises on the first error."""
    errors = parse(text)[1]
    if errors:
        raise errors[0]
    lines = []
    for line in text.split("\n"):
        kept = [
            sentence
            for sentence in _sentences(parse(line)[0])
            if not (omit_zero and _all_zero(sentence, figures))
        ]
        lines.append("".join(_segment(s, figures, facts, grouping) for sentence in kept for s in sentence))
    return "\n".join(lines)
