"""Small helpers of the ladder pages: a trend sparkline drawn as inline SVG (no scripts)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDTH, HEIGHT, PAD = 220, 48, 4


@register.simple_tag
def sparkline(points: list[tuple[str, float]]) -> str:
    """An inline SVG polyline of (label, value) points, each point titled with its value."""
    if not points:
        return mark_safe('<span class="muted">—</span>')  # a constant: nothing to escape
    values = [v for _label, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    coords = [
        (PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD))
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5"><title>{}：{}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", label, f"{v:.1f}")
            for (x, y), (label, v) in zip(coords, points, strict=True)
        ),
    )
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img">'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/>{}</svg>'
        '<span class="spark-range">{} – {}</span>',
        WIDTH, HEIGHT, WIDTH, HEIGHT, line, dots,
        f"{points[0][0]} {points[0][1]:.0f}", f"{points[-1][0]} {points[-1][1]:.0f}",
    )  # fmt: skip
