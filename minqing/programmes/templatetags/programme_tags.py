"""Filters of the programme pages: quantities and funds as the pages print them."""

from decimal import Decimal

from django import template

from minqing.programmes.rollup import funds_text, funds_yi_text, quantity_text

register = template.Library()


@register.filter
def qty(value: Decimal | int | None) -> str:
    """``41,350``; ``—`` for no value (no plan)."""
    return quantity_text(value)


@register.filter
def wan(value: Decimal | int) -> str:
    """万元 with two decimal places."""
    return funds_text(value)


@register.filter
def yi(value: Decimal | int) -> str:
    """The same sum in 亿元: ``17.75``."""
    return funds_yi_text(value)
