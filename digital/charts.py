"""Charts drawn server-side as inline SVG (no script, no CDN): the assessment radar."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | float | None]  # 0–100 per axis, None = no data
    color: str
    dashed: bool = False


def _point(cx: float, cy: float, radius: float, index: int, count: int, share: float):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)


def radar_svg(
    axes: Sequence[str], series: Sequence[Series], *, size: int = 380, title: str = ""
) -> SafeString:
    """A radar chart of `series` (each 0–100 per axis) with a legend, as an <svg> element."""
    count = len(axes)
    margin = 70  # room for the axis labels left and right
    width = size + 2 * margin
    cx, cy = width / 2, size / 2
    radius = size / 2 - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" role="img" '
        f'viewBox="0 0 {width} {size + 30 + 18 * len(series)}" width="{width}" '
        f'aria-label="{escape(title)}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for ring in (0.25, 0.5, 0.75, 1.0):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius, i, count, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{points}" fill="none" stroke="#d9dee4" stroke-width="1"/>')
        x, y = _point(cx, cy, radius, 0, count, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="10" fill="#687582">{int(ring * 100)}</text>'
        )
    for i, label in enumerate(axes):
        x, y = _point(cx, cy, radius, i, count, 1.0)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d9dee4"/>'
        )
        lx, ly = _point(cx, cy, radius + 22, i, count, 1.0)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 5:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="#1f2933">{escape(label)}</text>'
        )
    for s in series:
        if all(v is None for v in s.values):
            continue
        shares = [min(max(float(v or 0), 0.0), 100.0) / 100 for v in s.values]
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius, i, count, share) for i, share in enumerate(shares))
        )
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<polygon class="series" data-label="{escape(s.label)}" points="{points}" '
            f'fill="{s.color}" fill-opacity="0.15" stroke="{s.color}" stroke-width="2"{dash}/>'
        )
    y = size + 10
    for s in series:
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<line x1="{margin}" y1="{y:.0f}" x2="{margin + 24}" y2="{y:.0f}" '
            f'stroke="{s.color}" stroke-width="3"{dash}/>'
            f'<text x="{margin + 32}" y="{y + 4:.0f}" font-size="13" fill="#1f2933">'
            f"{escape(s.label)}</text>"
        )
        y += 18
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
