"""Bilingual messages for the bulletin errors (Chinese first, then English).

The English catalogue is regenerated after the code lands; until a message has its English
entry, ``bilingual`` falls back to the English text below, so the command line and the
template form always say both.
"""

from django.utils.translation import override

from minqing.core.errors import DomainError, ErrorCode

ENGLISH: dict[ErrorCode, str] = {
    ErrorCode.BULLETIN_UNKNOWN_METRIC: (
        "placeholder “{{{name}}}” is not a registered metric "
        "(use {{unit}}, {{as_of}}, {{campaign}} or a metric id)"
    ),
    ErrorCode.BULLETIN_BAD_PLACEHOLDER: (
        "placeholder “{{{name}}}” is malformed: a metric id (lower-case letters, digits, _ and .), "
        "optionally followed by “:万”"
    ),
    ErrorCode.BULLETIN_UNBALANCED_BRACE: (
        "unmatched brace “{brace}” at line {line}, character {column}; write a literal brace as {{{{ or }}}}"
    ),
    ErrorCode.BULLETIN_BAD_DATE: "bad date “{value}”: write YYYY-MM-DD, e.g. 2019-12-20",
    ErrorCode.BULLETIN_NO_CAMPAIGN: (
        "no campaign covering unit “{unit}” is running on {date}; name one (--campaign)"
    ),
    ErrorCode.BULLETIN_NO_TEMPLATE: (
        "campaigns of kind “{kind}” have no bulletin template yet; create one first"
    ),
    ErrorCode.BULLETIN_FUTURE_DATE: (
        "as-of date {value} is after today; a bulletin cannot be published for it"
    ),
    ErrorCode.PERMISSION_DENIED: "you may not act on this unit or the units under it",
}


def english(err: DomainError) -> str:
    with override("en"):
        text = err.message
    with override("zh-hans"):
        chinese = err.message
    if text == chinese and err.code in ENGLISH:
        text = ENGLISH[err.code].format(**err.params)
    return text


def bilingual(err: DomainError) -> str:
    """“中文 (English)”; just the Chinese when no English exists at all."""
    with override("zh-hans"):
        chinese = err.message
    eng = english(err)
    return chinese if eng == chinese else f"{chinese} ({eng})"
