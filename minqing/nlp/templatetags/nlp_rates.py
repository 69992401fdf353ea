from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.8333 -> 83.3%; no value (nothing counted) -> —."""
    return "—" if value is None else f"{value * 100:.1f}%"
