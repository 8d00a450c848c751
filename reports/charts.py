"""The dashboard's main charts drawn server-side as PNG images for the Word export.

Needs matplotlib, which is optional: without it `available()` is False, the Word export
carries the tables only and points to the Excel export's native charts.
"""

from __future__ import annotations

import io
import warnings
from functools import cache

from .word import ChartImage

CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
]


@cache
def _pyplot():
    try:
        import matplotlib
    except ModuleNotFoundError:
        return None
    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = [name for name in CJK_FONTS if name in installed] or ["sans-serif"]
    plt.rcParams["font.sans-serif"] = family + plt.rcParams["font.sans-serif"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def available() -> bool:
    return _pyplot() is not None


def _png(fig) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        # Without a CJK font (CI installs Noto Sans CJK) each Chinese glyph would warn.
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    _pyplot().close(fig)
    return out.getvalue()


def dashboard_charts(data) -> list[ChartImage]:
    """Quarter trends and the non-empty distributions of a DashboardData, as images."""
    plt = _pyplot()
    if plt is None:
        return []
    images = []
    series = [s for s in data.trends["series"] if not s["missing"] and s["unit"] != "万元"]
    if series:
        fig, ax = plt.subplots(figsize=(8, 3.6))
        for s in series:
            ax.plot(
                data.trends["quarters"],
                [v if v is not None else float("nan") for v in s["data"]],
                marker="o",
                label=f"{s['name']}（{s['unit']}）",
            )
        ax.set_title(f"{data.year}年主要指标季度趋势（累计）")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
        images.append(ChartImage(f"图1  {data.year}年主要指标季度趋势", _png(fig)))
    n = len(images) + 1
    for dist in data.distributions:
        if not dist["items"] or dist.get("empty"):
            continue
        fig, ax = plt.subplots(figsize=(8, 3.2))
        names = [i["name"] for i in dist["items"]]
        values = [i["value"] for i in dist["items"]]
        bars = ax.barh(names, values, color="#b3261e")
        ax.bar_label(bars, fmt="%g", fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{data.year}年{dist['title']}")
        images.append(ChartImage(f"图{n}  {dist['title']}", _png(fig)))
        n += 1
    return images
