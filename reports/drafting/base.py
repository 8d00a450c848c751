"""What every drafting rule shares: the facts of a year, phrasing choice, numbers, comparison.

A rule is a function `(facts: Facts) -> list[Draft]`: it reads published figure values (this
year's, last year's, the targets) and returns paragraphs as segments, each number tied to the
figure key behind it. Rules never print a zero or a missing figure: a clause whose figure is
zero or missing is left out, and a paragraph with nothing to say is not drafted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..summary import FigureValue, Segment, format_amount, format_number

Number = int | Decimal

# Rounding styles staff may choose per figure (AnnualSummary.rounding): the seed's
# "10余次" (about) and "10次以上" (above); exact is the default.
EXACT, ABOUT, ABOVE = "exact", "about", "above"
ROUNDING_CHOICES = (
    (EXACT, "精确数"),
    (ABOUT, "约数（如“10余次”）"),
    (ABOVE, "下限（如“10次以上”）"),
)


@dataclass(frozen=True)
class Facts:
    """One year's published figures as the summary was drafted from them.

    `current`/`previous`: figure key → value of the year and the year before; `targets` and
    `next_targets`: figure key → the Target of the year and of the next year (as values);
    `rounding`: figure key → rounding style staff chose.
    """

    year: int
    current: dict[str, FigureValue]
    previous: dict[str, FigureValue] = field(default_factory=dict)
    targets: dict[str, FigureValue] = field(default_factory=dict)
    next_targets: dict[str, FigureValue] = field(default_factory=dict)
    rounding: dict[str, str] = field(default_factory=dict)

    def value(self, key: str) -> Number | None:
        fig = self.current.get(key)
        return None if fig is None else fig.value

    def positive(self, key: str) -> bool:
        """Whether the figure is published with a value above zero (what rules print)."""
        value = self.value(key)
        return value is not None and value > 0

    def before(self, key: str) -> Number | None:
        fig = self.previous.get(key)
        return None if fig is None else fig.value

    def label(self, key: str) -> str:
        fig = self.current.get(key) or self.previous.get(key)
        return fig.label if fig else ""

    def unit(self, key: str) -> str:
        fig = self.current.get(key) or self.previous.get(key)
        return fig.unit if fig else ""

    def notes(self, key: str) -> tuple[str, ...]:
        fig = self.current.get(key)
        return tuple(fig.notes) if fig else ()

    def keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.current if k.startswith(prefix))

    @property
    def has_previous(self) -> bool:
        return any(v.value for v in self.previous.values())


@dataclass
class Draft:
    """One drafted paragraph: `slot` names it (stable across re-drafting, the unit staff edit),
    `rule` the function that wrote it; `openings` are the ways it may begin (the composer takes
    the first that differs from the previous paragraph's), `body` follows the opening."""

    slot: str
    rule: str
    body: list[Segment]
    openings: tuple[str, ...] = ("",)
    heading: str = ""
    opening: str = ""

    @property
    def segments(self) -> list[Segment]:
        return merge([Segment(self.opening), *self.body] if self.opening else self.body)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def pick(seed: str, options: Sequence[str]) -> str:
    """One of `options`, chosen by a hash of `seed` (a figure key or slot), so that drafting
    the same facts again gives the same words."""
    digest = hashlib.sha256(seed.encode()).digest()
    return options[digest[0] % len(options)]


def rotate(seed: str, options: Sequence[str]) -> tuple[str, ...]:
    """`options` starting from the one `pick` chooses: the order a composer tries them in."""
    first = options.index(pick(seed, options))
    return tuple(options[first:]) + tuple(options[:first])


def merge(segments: Iterable[Segment]) -> list[Segment]:
    """Join adjacent plain-text segments; drop empty ones."""
    merged: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if merged and not seg.key and not merged[-1].key:
            merged[-1] = Segment(merged[-1].text + seg.text)
        else:
            merged.append(seg)
    return merged


def rounded(value: Number, style: str) -> str:
    """12 → '12'; about: 12 → '10余', 60 → '60'; above: 12 → '10'; below 10 always exact."""
    if style not in (ABOUT, ABOVE) or value < 10 or Decimal(value) != int(value):
        return format_number(value)
    floor = int(value) // 10 * 10
    if style == ABOUT:
        return str(floor) if floor == value else f"{floor}余"
    return str(floor)


def count(facts: Facts, key: str, unit: str) -> list[Segment]:
    """A count with its measure word ('23家'), rounded as staff chose for this figure."""
    value = facts.value(key)
    assert value is not None
    style = facts.rounding.get(key, EXACT)
    text = rounded(value, style)
    if style == ABOVE and text != format_number(value):
        return [Segment(text, key), Segment(f"{unit}以上")]
    return [Segment(text, key), Segment(unit)]


def money(facts: Facts, key: str) -> list[Segment]:
    """An amount in 元 shown as the summary does: 亿元 from one hundred million, else 万元."""
    value = facts.value(key)
    assert value is not None
    if abs(Decimal(value)) >= 100_000_000:
        return [Segment(format_number(value, "yi"), key), Segment("亿元")]
    return [Segment(format_number(value, "wan"), key), Segment("万元")]


def amount(facts: Facts, key: str, unit: str = "") -> list[Segment]:
    """Money or a count, by the figure's unit."""
    if facts.unit(key) == "元":
        return money(facts, key)
    return count(facts, key, unit or facts.unit(key))


def percent(part: Number, whole: Number) -> str:
    """part / whole as a percentage with at most one decimal ('12.5')."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return format_number(value)


def change_words(facts: Facts, key: str, unit: str) -> str:
    """Year on year, in the seed's words: '较上年增加3家' / '同比增长12.5%' / '与上年持平';
    '' when last year has no value for it (nothing to compare)."""
    now, before = facts.value(key), facts.before(key)
    if now is None or before is None or not facts.has_previous:
        return ""
    diff = Decimal(now) - Decimal(before)
    if diff == 0:
        return "与上年持平"
    up = diff > 0
    if facts.unit(key) == "元":
        size = format_amount(abs(diff), "元")
    else:
        size = format_number(abs(diff)) + unit
    pct = abs(diff) * 100 / Decimal(before) if before else None
    # A percentage only where it means something: a base of at least PERCENT_BASE and a change
    # of at most PERCENT_CAP per cent; otherwise the change in units.
    if pct is not None and Decimal(before) >= PERCENT_BASE and pct <= PERCENT_CAP:
        pct = percent(abs(diff), before)
        options = (
            ("较上年增加" if up else "较上年减少") + size,
            ("同比增长" if up else "同比下降") + f"{pct}%",
        )
        return pick(key + ":yoy", options)
    return ("较上年增加" if up else "较上年减少") + size


PERCENT_BASE = Decimal(10)
PERCENT_CAP = Decimal(200)


def with_change(facts: Facts, key: str, unit: str, segments: list[Segment]) -> list[Segment]:
    """The segments followed by '（较上年增加N家）' when there is a comparison to make; not
    for a figure staff chose to round (an exact change would give the exact value away)."""
    if facts.rounding.get(key, EXACT) != EXACT:
        return segments
    words = change_words(facts, key, unit)
    return segments + [Segment(f"（{words}）")] if words else segments


def join(parts: Sequence[list[Segment]], sep: str = "，", last: str | None = None) -> list[Segment]:
    """Clauses joined by `sep` (the last pair by `last` when given: '、' … '和')."""
    result: list[Segment] = []
    for i, part in enumerate(parts):
        if i:
            result.append(Segment(last if last is not None and i == len(parts) - 1 else sep))
        result.extend(part)
    return result


def names(items: Sequence[str], quote: bool = False) -> str:
    """'A、B和C' (quoted “A”、“B” when `quote`)."""
    shown = [f"“{i}”" if quote else i for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    if quote:
        return "、".join(shown)
    return "、".join(shown[:-1]) + "和" + shown[-1]


def noun(label: str, *prefixes: str) -> str:
    """A figure's label without its verb ('新增省级数字化车间' → '省级数字化车间')."""
    for prefix in prefixes:
        if label.startswith(prefix):
            return label[len(prefix) :]
    return label


def text(value: str) -> Segment:
    return Segment(value)
