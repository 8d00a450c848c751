"""Money is stored in 元 and shown in 万元 or 亿元, as the summary does."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _scaled(value, divisor: int, places: str) -> str:
    if value is None or value == "":
        return "—"
    number = (Decimal(value) / divisor).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return f"{number:,}"


@register.filter
def wan(value) -> str:
    """元 → 万元, two decimals: 18000000 → '1,800.00'."""
    return _scaled(value, 10_000, "0.01")


@register.filter
def yi(value) -> str:
    """元 → 亿元, two decimals: 200000000 → '2.00'."""
    return _scaled(value, 100_000_000, "0.01")
