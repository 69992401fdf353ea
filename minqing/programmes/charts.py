"""Progress over time as an inline SVG drawn on the server: no JavaScript, no CDN, prints well.

One stacked bar per report date (completed at the bottom, in progress above), a dashed line at the
plan, an axis with quantities and the dates below. Every text is escaped; colours are attributes
and the chart's max-width is in app.css (``svg.progress-chart``: the CSP allows no inline style).
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from minqing.programmes.rollup import ZERO, quantity_text
from minqing.programmes.selectors import SeriesPoint

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 32
COMPLETED, IN_PROGRESS, PLAN, AXIS, TEXT = "#2b6cb0", "#a3c8ee", "#c53030", "#999999", "#333333"
MAX_LABELS = 8


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def progress_chart(
    series: Sequence[SeriesPoint], plan: Decimal | None, name: str, measure: str
) -> SafeString:
    """The chart of ``series`` against ``plan``; an empty string when there is nothing to draw."""
    if not series:
        return mark_safe("")
    top_value = max([p.in_progress + p.completed for p in series] + [plan or ZERO])
    if top_value <= 0:
        top_value = Decimal(1)
    top_value *= Decimal("1.1")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value / top_value) * plot_h

    label = gettext("{name}进度变化图(完工、在建与计划,单位:{measure})").format(name=name, measure=measure)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(label)}" class="progress-chart">',  # max-width: app.css
        f"<title>{escape(label)}</title>",
    ]
    # axis and ticks
    for i in range(5):
        value = top_value * i / 4
        yy = y(value)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(yy)}" x2="{WIDTH - RIGHT}" y2="{_num(yy)}" '
            f'stroke="{AXIS}" stroke-width="{1 if i == 0 else 0.3}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{_num(yy + 4)}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{escape(quantity_text(value.quantize(Decimal(1))))}</text>"
        )
    # bars
    n = len(series)
    slot = plot_w / n
    bar = min(40.0, slot * 0.6)
    every = max(1, -(-n // MAX_LABELS))
    for i, p in enumerate(series):
        x = LEFT + slot * i + (slot - bar) / 2
        base = y(ZERO)
        done_top = y(p.completed)
        all_top = y(p.completed + p.in_progress)
        tip = gettext("{date}:完工 {done},在建 {ip}").format(
            date=p.date.isoformat(), done=quantity_text(p.completed), ip=quantity_text(p.in_progress)
        )
        out.append(f"<g><title>{escape(tip)}</title>")
        out.append(
            f'<rect x="{_num(x)}" y="{_num(done_top)}" width="{_num(bar)}" '
            f'height="{_num(base - done_top)}" fill="{COMPLETED}"/>'
        )
        if p.in_progress > 0:
            out.append(
                f'<rect x="{_num(x)}" y="{_num(all_top)}" width="{_num(bar)}" '
                f'height="{_num(done_top - all_top)}" fill="{IN_PROGRESS}"/>'
            )
        out.append("</g>")
        if i % every == 0 or i == n - 1:
            text = p.date.isoformat() if i in (0, n - 1) else p.date.strftime("%m-%d")
            out.append(
                f'<text x="{_num(x + bar / 2)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}">{escape(text)}</text>'
            )
    # plan line
    if plan is not None and plan > 0:
        yy = y(plan)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(yy)}" x2="{WIDTH - RIGHT}" y2="{_num(yy)}" stroke="{PLAN}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT}" y="{_num(yy - 5)}" text-anchor="end" font-size="11" fill="{PLAN}">'
            f"{escape(gettext('计划'))} {escape(quantity_text(plan))}</text>"
        )
    # legend
    legend = [(COMPLETED, gettext("完工")), (IN_PROGRESS, gettext("在建"))]
    x = LEFT
    for colour, name in legend:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="18" font-size="12" fill="{TEXT}">{escape(name)}</text>')
        x += 70
    out.append(f'<line x1="{x}" y1="14" x2="{x + 18}" y2="14" stroke="{PLAN}" stroke-dasharray="6 4"/>')
    out.append(f'<text x="{x + 22}" y="18" font-size="12" fill="{TEXT}">{escape(gettext("计划"))}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
