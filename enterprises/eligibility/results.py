"""What pre-screening answers: a status per rule (`RuleResult`), an outcome per enterprise
(`Assessment`, `decide`), and the shape of a versioned rule set (`RuleSet`)."""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .facts import ZERO, Facts
from .text import _, _f


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict, not a secret)
    FAIL = "fail"
    UNKNOWN = "unknown"
    MANUAL = "manual"
    SCORED = "scored"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self.value]


class Outcome(enum.StrEnum):
    ELIGIBLE = "eligible"
    CANNOT_TELL = "cannot_tell"
    NEEDS_REVIEW = "needs_review"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self.value]

    @property
    def rank(self) -> int:
        return _OUTCOME_RANKS[self.value]


_new_rule = tuple.__new__  # builds a RuleResult from a full tuple, skipping keyword handling

_STATUS_LABELS = {
    "pass": _("符合"),
    "fail": _("不符合"),
    "unknown": _("缺数据"),
    "manual": _("需人工核实"),
    "scored": _("计分"),
}
_OUTCOME_LABELS = {
    "eligible": _("预估符合"),
    "cannot_tell": _("无法判断"),
    "needs_review": _("需人工判断"),
    "not_eligible": _("预估不符合"),
}
_OUTCOME_RANKS = {"eligible": 0, "cannot_tell": 1, "needs_review": 2, "not_eligible": 3}


class RuleResult(NamedTuple):
    """One criterion: the enterprise's value, the threshold, and how it stands.

    `counts` is False for score items and for alternatives of an either/or condition: their
    composite rule carries the verdict. A named tuple rather than a frozen dataclass: ranking
    10,000 enterprises builds hundreds of thousands of these, and a tuple is built 3× faster.
    """

    code: str
    label: str
    status: Status
    value: str = ""
    threshold: str = ""
    points: Decimal | None = None
    max_points: Decimal | None = None
    note: str = ""
    missing: tuple[str, ...] = ()
    counts: bool = True


class PrefixedRules(NamedTuple):
    """Another family's rules, shown under a prefix ("科小·…") but never counted: the 2026 entry
    tier lists both the 科小 and the 创新型 rules. Kept as one part, so that ranking 10,000
    enterprises does not build the prefixed copies; `Assessment.rules` builds them when shown."""

    prefix: str
    rules: tuple[RuleResult, ...]
    counts: bool = False


class DeferredRules:
    """Rules worked out only when shown, never counted: when the 科小 scoring already decides
    the 2026 entry tier, its 创新型 scoring is needed for display alone."""

    counts = False
    __slots__ = ("_make", "_rules")

    def __init__(self, make: Callable[[], tuple]) -> None:
        self._make = make
        self._rules: tuple | None = None

    @property
    def rules(self) -> tuple:
        if self._rules is None:
            self._rules = tuple(self._make())
        return self._rules


def _expanded(parts) -> list[RuleResult]:
    """The rules of `parts` as shown: prefixed and deferred parts expanded, in order."""
    out: list[RuleResult] = []
    for part in parts:
        if isinstance(part, PrefixedRules):
            out.extend(_prefixed_all(part.prefix, part.rules))
        elif isinstance(part, DeferredRules):
            out.extend(_expanded(part.rules))
        else:
            out.append(part)
    return out


def _raw(parts):
    """The rules of `parts` without prefixes (for their missing figures), in order."""
    for part in parts:
        if isinstance(part, PrefixedRules):
            yield from part.rules
        elif isinstance(part, DeferredRules):
            yield from _raw(part.rules)
        else:
            yield part


@dataclass(frozen=True)
class Assessment:
    family: str
    rule_set: RuleSet
    assessed_on: datetime.date
    outcome: Outcome
    parts: tuple[RuleResult | PrefixedRules | DeferredRules, ...]
    score: Decimal | None = None  # the score counting only what is known (lower bound)
    score_max: Decimal | None = None  # the best score the unknown and manual items allow
    pass_score: str = ""

    @functools.cached_property
    def rules(self) -> tuple[RuleResult, ...]:
        """Every rule as shown, prefixed and deferred parts expanded (built on first use)."""
        return tuple(_expanded(self.parts))

    @property
    def missing(self) -> tuple[str, ...]:
        return self.missing_as(str)

    def missing_as(self, text) -> tuple[str, ...]:
        """The missing figures' names, each once, as `text` renders them (the pre-screening
        refresh passes a memo, so a label shared by thousands of assessments is translated
        once per language instead of once per assessment)."""
        seen: dict[str, None] = {}
        for rule in _raw(self.parts):
            for name in rule.missing:
                seen.setdefault(text(name), None)
        return tuple(seen)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        # Prefixed parts never count, so they need not be expanded here.
        return tuple(r for r in self.parts if r.counts and r.status == Status.FAIL)

    @property
    def manual(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if r.status == Status.MANUAL)

    @property
    def sort_key(self) -> tuple:
        """Best first: outcome, then score (higher first), then fewer failed rules."""
        return (self.outcome.rank, -(self.score or ZERO), len(self.failed))


@dataclass(frozen=True)
class RuleSet:
    version: str
    name: str
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    evaluators: Mapping[str, Callable[[Facts], tuple[list[RuleResult], tuple | None]]]

    def applies_on(self, day: datetime.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


def decide(rules: Iterable[RuleResult]) -> Outcome:
    """Any counted fail → not eligible; else any unknown → cannot tell; else eligible if
    something was checked (manual items stay listed for a person), or needs review if not."""
    counted = [r.status for r in rules if r.counts]
    if Status.FAIL in counted:
        return Outcome.NOT_ELIGIBLE
    if Status.UNKNOWN in counted:
        return Outcome.CANNOT_TELL
    if Status.PASS in counted:
        return Outcome.ELIGIBLE
    return Outcome.NEEDS_REVIEW


def _prefixed(prefix: str, rule: RuleResult) -> RuleResult:
    code, label, status, value, threshold, points, max_points, note, missing, _c = rule
    return _new_rule(
        RuleResult,
        (code, _prefixed_label(prefix, label), status, value, threshold, points, max_points)
        + (note, missing, False),
    )


def _prefixed_all(prefix: str, rules: list[RuleResult]) -> list[RuleResult]:
    """`_prefixed` over a list, with the lookups hoisted out of the loop."""
    cache, out = _PREFIXED, []
    for code, label, status, value, threshold, points, max_points, note, missing, _c in rules:
        hit = cache.get((prefix, id(label)))
        text = hit[1] if hit is not None and hit[0] is label else _prefixed_label(prefix, label)
        out.append(
            _new_rule(
                RuleResult,
                (code, text, status, value, threshold, points, max_points, note, missing, False),
            )
        )
    return out


_PREFIXED: dict[tuple[str, int], tuple[object, object]] = {}


def _prefixed_label(prefix: str, label):
    """`prefix + label`, lazily, made once per (prefix, label object): the labels of the rules
    are themselves made once (module constants or cached formats), so two evaluations of 10,000
    enterprises share a few dozen proxies instead of making 290,000."""
    key = (prefix, id(label))
    hit = _PREFIXED.get(key)
    if hit is not None and hit[0] is label:
        return hit[1]
    made = _f("%(p)s%(l)s", {"p": prefix, "l": label})
    if len(_PREFIXED) < 10_000:  # a bound, in case a caller passes fresh labels every time
        _PREFIXED[key] = (label, made)
    return made
