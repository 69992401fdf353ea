"""How a bulletin prints a figure and a date: the one place with these rules.

- count: a plain integer without thousands separators (the articles write 59282); a count that
  is not whole (a length in 公里) keeps at most two decimals, trailing zeros dropped;
- share: a fraction printed as a percentage with one decimal, a trailing ".0" dropped
  (0.796 → 79.6%, 0.84 → 84%);
- amount: money (亿元, 万元, 元, or their English words) with two decimals (17.75 亿元); any
  other amount (a quantity in 户, 间, 公里 …) like a count: whole numbers plain, else at most two
  decimals;
- the ``万`` modifier (``{demonstration.households:万}``): in ten thousands, one decimal, a
  trailing ".0" dropped (560000 → 56);
- a date: 2019年12月20日 in Chinese (every bulletin's text), June 30, 2019 on an English page;
- thousands grouping (a template's choice, GB/T 15835-2011 4.1.4): none (59282, as the articles
  write), 千分撇 (59,282) or 千分空 (59 282, a thin space); only the whole part of a count or an
  amount of 1000 or more, never a share;
- a Chinese bulletin's punctuation is full-width (，。；：（）？！): ``full_width`` turns a
  half-width mark next to a Chinese character into its full-width form; a comma between digits
  (1,550) or a decimal point stays as it is.

Rounding is half-up on the decimal value, so 0.7955 prints 79.6%, never a binary artefact.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils.translation import get_language, gettext, override

Number = int | float | Decimal

KINDS = ("count", "share", "amount")
MODIFIERS = {"万": 10_000}
MONEY_WORDS = ("亿元", "万元", "元")
GROUPINGS = {"none": "", "comma": ",", "space": "\u2009"}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@cache
def money_words() -> frozenset[str]:
    """The money words in Chinese and as the English catalogue translates them (a figure's word
    is frozen in Chinese, but a caller may hold the word in the active language)."""
    with override("en"):
        english = {gettext(w) for w in MONEY_WORDS}
    return frozenset(MONEY_WORDS) | english


def as_decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def _fixed(value: Decimal, places: int, trim: bool) -> str:
    q = Decimal(1).scaleb(-places)
    text = f"{value.quantize(q, rounding=ROUND_HALF_UP):f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def group_thousands(text: str, grouping: str = "none") -> str:
    """``text`` (a plain decimal number) with its whole part grouped by threes (``GROUPINGS``)."""
    mark = GROUPINGS[grouping]
    sign, rest = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = rest.partition(".")
    if not mark or len(whole) < 4:
        return text
    head = len(whole) % 3 or 3
    parts = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return sign + mark.join(parts) + dot + fraction


def format_value(
    value: Number, kind: str = "count", modifier: str = "", word: str = "", grouping: str = "none"
) -> str:
    """``value`` as the bulletin prints it (see the module's rules)."""
    d = as_decimal(value)
    if modifier:
        return group_thousands(_fixed(d / MODIFIERS[modifier], 1, trim=True), grouping)
    if kind == "share":
        return _fixed(d * 100, 1, trim=True) + "%"
    if kind == "amount" and word in money_words():
        return group_thousands(_fixed(d, 2, trim=False), grouping)
    return group_thousands(_fixed(d, 2, trim=True), grouping)


def format_date(day: dt.date, language: str | None = None) -> str:
    """2019年12月20日 (no leading zeros); in English (``language``, else the active one) December 20, 2019."""
    if (language or get_language() or "").startswith("en"):
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def _cjk(ch: str) -> bool:
    """A Chinese character, or a full-width mark or quote (what Chinese text is made of)."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’"


FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}


def full_width(text: str) -> str:
    """Half-width , ; : ? ! ( ) and a sentence-final . next to Chinese text as full-width marks."""
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in FULL_WIDTH:
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == ".":
            convert = _cjk(before) and (not after or after.isspace() or _cjk(after))
        elif ch == "(":
            convert = _cjk(after) or _cjk(before)
        elif ch == ")":
            convert = _cjk(before) or _cjk(after)
        else:
            convert = (_cjk(before) or _cjk(after)) and not (before.isdigit() and after.isdigit())
        if convert:
            out[i] = FULL_WIDTH[ch]
    return "".join(out)


def json_number(value: Number, kind: str = "count") -> int | float:
    """The value for JSON: a share as a float fraction; anything else an int when whole, else a float."""
    if kind == "share":
        return float(value)
    d = as_decimal(value)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def same_value(a: Number | None, b: Number | None) -> bool:
    """Equal as numbers (a share recomputed as a float equals its stored float)."""
    if a is None or b is None:
        return a is b
    da, db = as_decimal(a), as_decimal(b)
    return abs(da - db) <= Decimal("1e-9") * max(Decimal(1), abs(da))
