from decimal import Decimal, InvalidOperation

from django import template

from digital.scoring import fmt

register = template.Library()


@register.filter
def points(value) -> str:
    """Points without trailing zeros: 7.500 → 7.5, 50.000 → 50; empty → '—'."""
    if value is None or value == "":
        return "—"
    try:
        return fmt(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
