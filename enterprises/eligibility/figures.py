"""Reading year figures for the rules: values with the names of those missing, ratios,
growth rates and sums, and their display (percent, 万元)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from .facts import FIELD_LABELS, HUNDRED, WAN, ZERO, Facts
from .text import _f


def pct(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole as a percentage; None when either is unknown or the whole is zero."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def band(value: Decimal | int, bands: Iterable[tuple[Decimal | int, Decimal | int]]) -> Decimal:
    """Points of the first band whose (inclusive) lower bound `value` reaches, else 0."""
    for lower, points in bands:
        if value >= lower:
            return Decimal(points)
    return ZERO


def fmt_pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.01'))}%"


def fmt_wan(value: Decimal | None) -> str:
    return "—" if value is None else f"{(Decimal(value) / WAN).quantize(Decimal('0.01'))}万元"


@functools.cache
def _missing_name(year: int, name: str) -> str:
    """ "<year>年<label>", translated when displayed (one proxy per year and figure)."""
    return _f("%(y)s年%(l)s", {"y": year, "l": FIELD_LABELS[name]})


class _Figures:
    """Reads year figures and remembers which were missing, by name."""

    __slots__ = ("facts", "years")

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.years = facts.years

    def get(self, year: int, name: str) -> tuple[Decimal | int | None, tuple[str, ...]]:
        row = self.years.get(year)
        value = getattr(row, name) if row is not None else None
        return value, (() if value is not None else (_missing_name(year, name),))

    def many(self, *pairs: tuple[int, str]) -> tuple[list, tuple[str, ...]]:
        years, values, missing = self.years, [], ()
        for year, name in pairs:  # `get`, inlined: this is the hottest loop of pre-screening
            row = years.get(year)
            value = getattr(row, name) if row is not None else None
            if value is None:
                missing += (_missing_name(year, name),)
            values.append(value)
        return values, missing


def _ratio_value(f: _Figures, year: int, part: str, whole: str) -> Decimal | None:
    (a, b), missing = f.many((year, part), (year, whole))
    return None if missing else pct(a, b)


def _debt_ratio(f: _Figures, year: int) -> tuple[Decimal | None, tuple[str, ...]]:
    (liab, assets), missing = f.many((year, "total_liabilities"), (year, "total_assets"))
    if missing:
        return None, missing
    value = pct(liab, assets)
    return value, (() if value is not None else (_missing_name(year, "total_assets") + "（为0）",))


def _growth(
    f: _Figures, name: str, year: int
) -> tuple[Decimal | None, tuple[str, ...]]:  # percent, year-1 → year
    (now, before), missing = f.many((year, name), (year - 1, name))
    if missing:
        return None, missing
    if before == 0:
        return None, (_missing_name(year - 1, name) + "（为0）",)
    return (Decimal(now) / Decimal(before) - 1) * HUNDRED, ()


def _sum(f: _Figures, name: str, years: Iterable[int]) -> tuple[Decimal | None, tuple[str, ...]]:
    values, missing = f.many(*[(y, name) for y in years])
    if missing:
        return None, missing
    return sum((Decimal(v) for v in values), ZERO), ()


def _two_year_growth(f: _Figures, name: str, y: int) -> tuple[Decimal | None, tuple[str, ...]]:
    """Average of the last two years' growth rates (percent)."""
    g1, m1 = _growth(f, name, y)
    g0, m0 = _growth(f, name, y - 1)
    if m1 or m0:
        return None, m1 + m0
    return (g1 + g0) / 2, ()
