"""Eligibility pre-screening for the tier ladder (梯次培育): plain Python over plain values.

The rules are those of /work/shared/criteria.md §1–§3, versioned by effective date: the 2022
gradient measures (工信部企业〔2022〕63号) before 2026-04-01, the 2026 measures (工信部企业〔2026〕2号,
with 科技和创新型中小企业 as the entry tier) from then on. 科小 (国科发政〔2017〕115号 + 国科火字〔2022〕67号)
and 高企 (国科发火〔2016〕32号) rules are the same in both sets.

Every rule comes back with the enterprise's number, the threshold and a status: pass, fail,
unknown (a figure is missing, and it is named), or manual review (only a person can judge:
market position, "core support", field membership). Manual review is never a pass. The result
is an estimate for the bureau's own planning, never an official finding.

Money is in 元 (as stored); thresholds quoted in 万元 by the criteria are converted here.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy

# One lazy proxy per message, made once: proxies translate when rendered, in the language
# active then, so sharing them is safe, and ranking 10,000 enterprises makes no new ones.
_ = functools.cache(gettext_lazy)

WAN = Decimal(10_000)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CHANGE_2026 = datetime.date(2026, 4, 1)

LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "county": 1, "none": 0}

FIELD_LABELS = {
    "revenue": _("营业收入"),
    "main_business_revenue": _("主营业务收入"),
    "rd_expense": _("研发费用"),
    "cost_expense_total": _("成本费用总额"),
    "hitech_product_revenue": _("高新技术产品（服务）收入"),
    "total_assets": _("资产总额"),
    "total_liabilities": _("负债总额"),
    "net_profit": _("净利润"),
    "equity_financing": _("新增股权融资"),
    "employees": _("从业人员"),
    "tech_staff": _("科技人员"),
    "rd_staff": _("研发人员"),
    "class1_ip": _("I类知识产权"),
    "class2_ip": _("II类知识产权"),
}


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigures:
    """One financial year of an enterprise (money in 元, staff in persons, IP in items)."""

    year: int
    revenue: Decimal | None = None
    main_business_revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    cost_expense_total: Decimal | None = None
    hitech_product_revenue: Decimal | None = None
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    net_profit: Decimal | None = None
    equity_financing: Decimal | None = None
    employees: int | None = None
    tech_staff: int | None = None
    rd_staff: int | None = None
    class1_ip: int | None = None
    class2_ip: int | None = None


@dataclass(frozen=True)
class Facts:
    """What pre-screening knows of one enterprise on `assessment_date`; None means unknown."""

    assessment_date: datetime.date
    established_on: datetime.date | None = None
    size_class: str | None = None  # large / medium / small / micro
    years: Mapping[int, YearFigures] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()  # kind codes held and valid on the assessment date
    niche_since_year: int | None = None
    rd_institution_level: str | None = None  # national/provincial/municipal/county/none
    award_level: str | None = None  # highest S&T award of the last 5 years, or "none"
    award_year: int | None = None
    award_rank: int | None = None
    led_standard_year: int | None = None
    high_value_class1_ip: int | None = None
    self_developed_class1_ip: int | None = None
    digital_level: int | None = None
    development_score: Decimal | None = None
    development_score_year: int | None = None
    strategic_industry: str = ""

    @property
    def prior_year(self) -> int:
        """The financial year the criteria call 'last year' (上年度)."""
        return self.assessment_date.year - 1


# --- Results --------------------------------------------------------------------------------


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
        seen: dict[str, None] = {}
        for rule in _raw(self.parts):
            for name in rule.missing:
                seen.setdefault(str(name), None)
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


# --- Helpers --------------------------------------------------------------------------------


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


def _percent_format(message: str, mapping: dict) -> str:
    return str(message) % mapping


def _join(parts: list) -> str:
    return "；".join(str(p) for p in parts)


# Labels stay lazy until a page or an export renders them: translating every label of every
# enterprise while ranking 10,000 of them would cost more than the rules themselves.
_lazy_percent = lazy(_percent_format, str)
_lazy_join = lazy(_join, str)


def _f(message, mapping: dict):
    """`message % mapping`, evaluated (and translated) only when displayed."""
    return _lazy_percent(message, mapping)


@functools.cache
def _missing_name(year: int, name: str) -> str:
    """ "<year>年<label>", translated when displayed (one proxy per year and figure)."""
    return _f("%(y)s年%(l)s", {"y": year, "l": FIELD_LABELS[name]})


_YEAR_LABELS: dict[tuple[int, int], tuple[object, object]] = {}


def _year_label(message, year: int) -> str:
    """A label naming a year (`message`, one of the cached `_()` proxies, has "%(y)s"), made
    once per message and year. Keyed by the proxy's identity: hashing a proxy translates it."""
    key = (id(message), year)
    hit = _YEAR_LABELS.get(key)
    if hit is None or hit[0] is not message:
        hit = _YEAR_LABELS[key] = (message, _f(message, {"y": year}))
    return hit[1]


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


def _unknown(code: str, label: str, threshold: str, missing: tuple[str, ...], **kw) -> RuleResult:
    return RuleResult(
        code, label, Status.UNKNOWN, value="—", threshold=threshold, missing=missing, **kw
    )


def _check(
    code: str,
    label: str,
    ok: bool,
    value: str,
    threshold: str,
    note: str = "",
    counts: bool = True,
) -> RuleResult:
    return RuleResult(
        code, label, Status.PASS if ok else Status.FAIL, value, threshold, note=note, counts=counts
    )


def _manual(code: str, label: str, note: str = "", value: str = "") -> RuleResult:
    return RuleResult(code, label, Status.MANUAL, value=value, threshold=_("人工核实"), note=note)


def _ratio_rule(
    f: _Figures,
    code: str,
    label: str,
    year: int,
    part: str,
    whole: str,
    op: str,
    limit: Decimal | int,
    counts: bool = True,
) -> RuleResult:
    """part ÷ whole of `year` compared with `limit` percent (op: '>=' or '<=')."""
    (a, b), missing = f.many((year, part), (year, whole))
    threshold = f"{op} {limit}%"
    if missing:
        return _unknown(code, label, threshold, missing, counts=counts)
    value = pct(a, b)
    if value is None:
        return _unknown(
            code, label, threshold, (_missing_name(year, whole) + "（为0）",), counts=counts
        )
    ok = value >= limit if op == ">=" else value <= limit
    return _check(code, label, ok, fmt_pct(value), threshold, counts=counts)


def _amount_rule(
    f: _Figures,
    code: str,
    label: str,
    year: int,
    name: str,
    op: str,
    limit_wan: int,
    counts: bool = True,
) -> RuleResult:
    value, missing = f.get(year, name)
    threshold = f"{op} {limit_wan}万元"
    if missing:
        return _unknown(code, label, threshold, missing, counts=counts)
    limit = Decimal(limit_wan) * WAN
    ok = value >= limit if op == ">=" else value <= limit
    return _check(code, label, ok, fmt_wan(value), threshold, counts=counts)


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


def _all_of(code: str, label: str, parts: list[RuleResult]) -> RuleResult:
    """A composite that passes when every part passes (parts themselves do not count)."""
    statuses = {p.status for p in parts}
    missing = tuple(m for p in parts for m in p.missing)
    status = (
        Status.FAIL
        if Status.FAIL in statuses
        else Status.UNKNOWN
        if Status.UNKNOWN in statuses
        else Status.MANUAL
        if Status.MANUAL in statuses
        else Status.PASS
    )
    return RuleResult(code, label, status, missing=missing if status == Status.UNKNOWN else ())


def _any_of(code: str, label: str, parts: list[RuleResult], threshold: str = "") -> RuleResult:
    """A composite that passes when any part passes; fails only when every part fails."""
    statuses = [p.status for p in parts]
    if Status.PASS in statuses:
        status = Status.PASS
    elif Status.UNKNOWN in statuses:
        status = Status.UNKNOWN
    elif Status.MANUAL in statuses:
        status = Status.MANUAL
    else:
        status = Status.FAIL
    missing = tuple(m for p in parts for m in p.missing) if status == Status.UNKNOWN else ()
    passed = [p.label for p in parts if p.status == Status.PASS]
    return RuleResult(
        code,
        label,
        status,
        value=_lazy_join(passed) if passed else "",
        threshold=threshold,
        missing=missing,
    )


def _alt(rule: RuleResult) -> RuleResult:
    """The same rule as one alternative of an either/or condition (does not count alone)."""
    code, label, status, value, threshold, points, max_points, note, missing, _c = rule
    return _new_rule(
        RuleResult,
        (code, label, status, value, threshold, points, max_points, note, missing, False),
    )


@functools.cache
def _award_label(min_level: str, max_rank: int, within_years: int) -> str:
    return _f(
        _("近%(n)s年获%(level)s及以上科技奖励（排名前%(rank)s）"),
        {
            "n": within_years,
            "level": {"national": _("国家级"), "provincial": _("省部级")}[min_level],
            "rank": max_rank,
        },
    )


def _award(facts: Facts, min_level: str, max_rank: int, within_years: int) -> RuleResult:
    label = _award_label(min_level, max_rank, within_years)
    code = f"award_{min_level}_{max_rank}_{within_years}"
    if facts.award_level is None:
        return _unknown(code, label, "", (_("科技奖励情况"),), counts=False)
    if facts.award_level == "none":
        return _check(code, label, False, _("无"), "", counts=False)
    if facts.award_year is None or facts.award_rank is None:
        return _unknown(code, label, "", (_("获奖年度及排名"),), counts=False)
    ok = (
        LEVEL_RANK.get(facts.award_level, 0) >= LEVEL_RANK[min_level]
        and facts.award_year >= facts.assessment_date.year - within_years
        and facts.award_rank <= max_rank
    )
    value = f"{facts.award_year} {facts.award_level} #{facts.award_rank}"
    return _check(code, label, ok, value, "", counts=False)


def _institution(facts: Facts, min_level: str, code: str, label: str) -> RuleResult:
    if facts.rd_institution_level is None:
        return _unknown(code, label, "", (_("研发机构级别"),), counts=False)
    ok = LEVEL_RANK.get(facts.rd_institution_level, 0) >= LEVEL_RANK[min_level]
    return _check(code, label, ok, facts.rd_institution_level, str(min_level), counts=False)


_NOT_HELD = _("未持有")


def _title(facts: Facts, codes: Iterable[str], code: str, label: str, counts: bool) -> RuleResult:
    titles = facts.titles
    held = [c for c in codes if c in titles]
    return _check(code, label, bool(held), "、".join(held) or _NOT_HELD, "", counts=counts)


def _niche_years(facts: Facts) -> int | None:
    """Years in the niche market up to the prior year's end, counting both ends."""
    if facts.niche_since_year is None:
        return None
    return max(0, facts.prior_year - facts.niche_since_year + 1)


def _niche_rule(facts: Facts, code: str, minimum: int) -> RuleResult:
    label = _("从事细分市场年限")
    years = _niche_years(facts)
    if years is None:
        return _unknown(code, label, f">= {minimum}年", (_("深耕细分市场起始年度"),))
    return _check(code, label, years >= minimum, f"{years}年", f">= {minimum}年")


def _sme_rule(facts: Facts) -> RuleResult:
    label = _("属于中小企业（划型标准）")
    if not facts.size_class:
        return _unknown("sme", label, _("非大型企业"), (_("企业规模"),))
    return _check("sme", label, facts.size_class != "large", facts.size_class, _("非大型企业"))


def _general_manual() -> RuleResult:
    return _manual(
        "general",
        _("无重大安全、质量、环境事故及失信、偷漏税等情形"),
        note=_("系统未采集信用与事故记录"),
    )


def _scored(
    code: str,
    label: str,
    low: Decimal,
    high: Decimal,
    max_points: int,
    value: str,
    threshold: str,
    missing: tuple[str, ...] = (),
    manual: bool = False,
    note: str = "",
) -> RuleResult:
    status = Status.MANUAL if manual else Status.UNKNOWN if missing else Status.SCORED
    return RuleResult(
        code,
        label,
        status,
        value=value,
        threshold=threshold,
        points=low,
        max_points=Decimal(max_points),
        # A lazy note is never blank: test it without translating it.
        note=note
        if isinstance(note, Promise) or note
        else (f"{low}–{high}" if high != low else ""),
        missing=missing,
        counts=False,
    )


def _banded(
    code: str,
    label: str,
    value: Decimal | None,
    missing: tuple[str, ...],
    bands: list,
    max_points: int,
    threshold: str,
) -> tuple[RuleResult, Decimal, Decimal]:
    if value is None:
        return (
            _scored(code, label, ZERO, Decimal(max_points), max_points, "—", threshold, missing),
            ZERO,
            Decimal(max_points),
        )
    points = band(value, bands)
    return (
        _scored(code, label, points, points, max_points, fmt_pct(value), threshold),
        points,
        points,
    )


def _score_verdict(
    code: str,
    label: str,
    low: Decimal,
    high: Decimal,
    passes: Callable[[Decimal], bool],
    threshold: str,
    items: list[RuleResult],
    counts: bool = True,
) -> RuleResult:
    """Pass when even the lowest possible score passes, fail when even the highest fails."""
    missing = tuple(m for r in items for m in r.missing)
    if passes(low):
        status = Status.PASS
    elif not passes(high):
        status = Status.FAIL
    elif missing:
        status = Status.UNKNOWN
    else:
        status = Status.MANUAL
    value = f"{low}" if low == high else f"{low}–{high}"
    return RuleResult(
        code,
        label,
        status,
        value=value,
        threshold=threshold,
        missing=missing if status == Status.UNKNOWN else (),
        counts=counts,
    )


def _ip_points(
    facts: Facts, f: _Figures, year: int, table: tuple[int, int, int, int]
) -> tuple[Decimal, Decimal, tuple[str, ...], str]:
    """IP score of the gradient tables: (high-value I, self-developed I, any I, any II) points."""
    hv_pts, sd_pts, c1_pts, c2_pts = (Decimal(p) for p in table)
    (c1, c2), missing = f.many((year, "class1_ip"), (year, "class2_ip"))
    if missing:
        return ZERO, hv_pts, missing, "—"
    hv, sd = facts.high_value_class1_ip, facts.self_developed_class1_ip
    if c1 >= 1:
        low = hv_pts if (hv or 0) >= 1 else sd_pts if (sd or 0) >= 1 else c1_pts
        high = hv_pts if hv is None or hv >= 1 else sd_pts if sd is None or sd >= 1 else c1_pts
    else:
        low = high = c2_pts if c2 >= 1 else ZERO
    extra = () if low == high else (_("I类知识产权是否高价值/自主研发"),)
    return low, high, extra, f"I类{c1}件，II类{c2}件"


# --- 科技型中小企业 (criteria §1) -------------------------------------------------------------

TECH_STAFF_BANDS = [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)]
RD_REVENUE_BANDS = [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)]
RD_COST_BANDS = [(30, 50), (25, 40), (20, 30), (15, 20), (10, 10)]


def tech_sme_ip_points(class1: int, class2: int) -> int:
    """科技成果 points (30 max): any Class-I → 30; Class-II 4+ → 24, 3 → 18, 2 → 12, 1 → 6."""
    if class1 >= 1:
        return 30
    return {0: 0, 1: 6, 2: 12, 3: 18}.get(class2, 24)


def tech_sme(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    rules = [_manual("H1", _("境内注册居民企业，查账征收，研发费用可单独核算"))]
    emp, miss = f.get(y, "employees")
    rules.append(
        _unknown("H2a", _("职工总数"), "<= 500人", miss)
        if miss
        else _check("H2a", _("职工总数"), emp <= 500, f"{emp}人", "<= 500人")
    )
    rules.append(_amount_rule(f, "H2b", _("年销售收入"), y, "revenue", "<=", 20000))
    rules.append(_amount_rule(f, "H2c", _("资产总额"), y, "total_assets", "<=", 20000))
    rules.append(_manual("H3", _("产品（服务）不属于国家禁止、限制和淘汰类")))
    rules.append(_manual("H4", _("上年及当年无重大安全、质量、环境事故及科研严重失信")))

    # Score (100): tech staff 20, R&D 50 (the better of the two bases), IP 30.
    (staff, total), m_staff = f.many((y, "tech_staff"), (y, "employees"))
    staff_ratio = pct(staff, total) if not m_staff else None
    s1, s1_low, s1_high = _banded(
        "S1", _("科技人员占比"), staff_ratio, m_staff, TECH_STAFF_BANDS, 20, ">= 10%"
    )
    rd_rev = _ratio_value(f, y, "rd_expense", "revenue")
    rd_cost = _ratio_value(f, y, "rd_expense", "cost_expense_total")
    points = [
        band(v, bands)
        for v, bands in ((rd_rev, RD_REVENUE_BANDS), (rd_cost, RD_COST_BANDS))
        if v is not None
    ]
    s2_low = max(points, default=ZERO)
    s2_high = s2_low if rd_rev is not None and rd_cost is not None else Decimal(50)
    s2_missing = (
        () if rd_rev is not None or rd_cost is not None else (_missing_name(y, "rd_expense"),)
    )
    s2 = _scored(
        "S2",
        _("研发投入（按收入或成本费用口径取优）"),
        s2_low,
        s2_high,
        50,
        _f(_("占收入%(a)s，占成本费用%(b)s"), {"a": fmt_pct(rd_rev), "b": fmt_pct(rd_cost)}),
        _("收入口径>=2%起分，成本费用口径>=10%起分"),
        s2_missing,
    )
    (c1, c2), m_ip = f.many((y, "class1_ip"), (y, "class2_ip"))
    if m_ip:
        s3_low, s3_high = ZERO, Decimal(30)
        s3 = _scored("S3", _("科技成果（知识产权）"), ZERO, Decimal(30), 30, "—", "", m_ip)
    else:
        s3_low = s3_high = Decimal(tech_sme_ip_points(c1, c2))
        s3 = _scored(
            "S3", _("科技成果（知识产权）"), s3_low, s3_low, 30, f"I类{c1}件，II类{c2}件", ""
        )
    low, high = s1_low + s2_low + s3_low, s1_high + s2_high + s3_high
    score = _score_verdict(
        "S",
        _("评价得分（≥60分且科技人员指标得分不为0）"),
        low,
        high,
        lambda s: s >= 60,
        ">= 60",
        [s1, s2, s3],
        counts=False,
    )
    if staff_ratio is not None and s1_low == 0:
        score = score._replace(status=Status.FAIL, missing=())
    direct = [
        _alt(_title(facts, ["hitech"], "D1", _("持有有效高新技术企业证书"), counts=False)),
        _award(facts, "national", 3, 5),
        _institution(facts, "provincial", "D3", _("拥有省部级以上研发机构")),
        _led_standard(facts),
    ]
    rules += [s1, s2, s3, score, *direct]
    rules.append(_any_of("H5", _("评价得分达标或符合直接认定条件"), [score, *direct]))
    return rules, (low, high, "≥ 60")


def _ratio_value(f: _Figures, year: int, part: str, whole: str) -> Decimal | None:
    (a, b), missing = f.many((year, part), (year, whole))
    return None if missing else pct(a, b)


def _led_standard(facts: Facts) -> RuleResult:
    label = _("近5年主导制定国际、国家或行业标准")
    if facts.led_standard_year is None:
        return _check("D4", label, False, _("无记录"), "", counts=False)
    ok = facts.led_standard_year >= facts.assessment_date.year - 5
    return _check("D4", label, ok, str(facts.led_standard_year), "", counts=False)


# --- 高新技术企业 (criteria §2) ----------------------------------------------------------------


def hitech_rd_threshold(last_year_revenue: Decimal) -> int:
    """Required R&D ÷ revenue percent by last year's sales: ≤5000万 → 5, ≤2亿 → 4, else 3."""
    if last_year_revenue <= 5000 * WAN:
        return 5
    if last_year_revenue <= 20000 * WAN:
        return 4
    return 3


def hitech_growth(values: list[Decimal]) -> Decimal | None:
    """Growth rate (percent) of the 2016 guideline: ½·(V2/V1 + V3/V2) − 1, with its special cases.

    Negative values count as 0; V1 = 0 → V3/V2 − 1 only; V2 = 0 → None (scores 0).
    """
    v1, v2, v3 = (max(Decimal(v), ZERO) for v in values)
    if v2 == 0:
        return None
    if v1 == 0:
        return (v3 / v2 - 1) * HUNDRED
    return ((v2 / v1 + v3 / v2) / 2 - 1) * HUNDRED


GROWTH_BANDS = [(35, (9, 10)), (25, (7, 8)), (15, (5, 6)), (5, (3, 4))]


def hitech_growth_points(growth: Decimal | None) -> tuple[int, int]:
    """(low, high) points of a growth indicator (10 max)."""
    if growth is None or growth <= 0:
        return 0, 0
    for lower, pts in GROWTH_BANDS:
        if growth >= lower:
            return pts
    return 1, 2


def hitech(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    day = facts.assessment_date
    rules: list[RuleResult] = []
    if facts.established_on is None:
        rules.append(_unknown("C1", _("注册成立满一年"), ">= 1年", (_("成立日期"),)))
    else:
        one_year_before = _minus_years(day, 1)
        rules.append(
            _check(
                "C1",
                _("注册成立满一年"),
                facts.established_on <= one_year_before,
                facts.established_on.isoformat(),
                f"<= {one_year_before.isoformat()}",
            )
        )
    (c1, c2), m_ip = f.many((y, "class1_ip"), (y, "class2_ip"))
    rules.append(
        _unknown("C2a", _("拥有知识产权"), ">= 1件", m_ip)
        if m_ip
        else _check("C2a", _("拥有知识产权"), c1 + c2 >= 1, f"I类{c1}件，II类{c2}件", ">= 1件")
    )
    rules.append(_manual("C2b", _("知识产权对主要产品（服务）发挥核心支持作用")))
    rules.append(_manual("C3", _("核心技术属于《国家重点支持的高新技术领域》")))
    rules.append(
        _ratio_rule(f, "C4", _("科技人员占职工总数比例"), y, "tech_staff", "employees", ">=", 10)
    )

    first = y - 2
    if facts.established_on is not None and facts.established_on.year > first:
        first = min(facts.established_on.year, y)  # fewer than 3 years: the actual period
    window = list(range(first, y + 1))
    rd_sum, m_rd = _sum(f, "rd_expense", window)
    rev_sum, m_rev = _sum(f, "revenue", window)
    last_rev, m_last = f.get(y, "revenue")
    label = _window_label(len(window))
    if m_rd or m_rev or m_last:
        rules.append(_unknown("C5a", label, _("按上年销售收入分档"), m_rd + m_rev + m_last))
    else:
        limit = hitech_rd_threshold(last_rev)
        value = pct(rd_sum, rev_sum)
        if value is None:
            rules.append(_unknown("C5a", label, f">= {limit}%", (_("近三年销售收入（为0）"),)))
        else:
            rules.append(
                _check(
                    "C5a",
                    label,
                    value >= limit,
                    fmt_pct(value),
                    f">= {limit}%",
                    note=_f(_("上年销售收入%(r)s"), {"r": fmt_wan(last_rev)}),
                )
            )
    rules.append(
        _manual("C5b", _("境内研发费用占全部研发费用比例 >= 60%"), note=_("系统未采集境内研发费用"))
    )
    rules.append(
        _ratio_rule(
            f,
            "C6",
            _("高新技术产品（服务）收入占比"),
            y,
            "hitech_product_revenue",
            "revenue",
            ">=",
            60,
        )
    )

    # C7: the innovation-capability score (> 70). Only IP quantity and growth can be computed;
    # the rest is expert judgement, so the score is a range and C7 is never a pass.
    items: list[RuleResult] = []
    if m_ip:
        ip_low, ip_high = 0, 8
        items.append(_scored("C7a", _("知识产权数量"), ZERO, Decimal(8), 8, "—", "", m_ip))
    else:
        ip_low, ip_high = (
            (7, 8)
            if c1 >= 1
            else (5, 6)
            if c2 >= 5
            else (3, 4)
            if c2 >= 3
            else (1, 2)
            if c2 >= 1
            else (0, 0)
        )
        items.append(
            _scored(
                "C7a",
                _("知识产权数量"),
                Decimal(ip_low),
                Decimal(ip_high),
                8,
                f"I类{c1}件，II类{c2}件",
                _("I类≥1件7–8分"),
            )
        )
    growth_low = growth_high = 0
    for code, label, name in (
        ("C7b", _("净资产增长率"), None),
        ("C7c", _("销售收入增长率"), "revenue"),
    ):
        values, missing = _three_years(f, y, name)
        if missing:
            items.append(_scored(code, label, ZERO, Decimal(10), 10, "—", "", missing))
            growth_high += 10
            continue
        growth = hitech_growth(values)
        lo, hi = hitech_growth_points(growth)
        growth_low, growth_high = growth_low + lo, growth_high + hi
        items.append(
            _scored(code, label, Decimal(lo), Decimal(hi), 10, fmt_pct(growth), ">= 35% 9–10分")
        )
    expert = _scored(
        "C7d",
        _("知识产权质量、成果转化、研发组织管理（专家评审）"),
        ZERO,
        Decimal(72),
        72,
        "—",
        "",
        manual=True,
        note=_("技术先进性8、核心支持8、获得方式6、成果转化30、组织管理20，由专家评审"),
    )
    items.append(expert)
    low = Decimal(ip_low + growth_low)
    high = Decimal(ip_high + growth_high) + 72
    c7 = _score_verdict(
        "C7", _("创新能力评价（>70分）"), low, high, lambda s: s > 70, "> 70", items
    )
    if c7.status == Status.PASS:  # expert items are never assumed: cannot be a pass
        c7 = c7._replace(status=Status.MANUAL)
    rules += items + [c7]
    rules.append(_manual("C8", _("申请前一年无重大安全、质量事故或严重环境违法行为")))
    return rules, (low, high, "> 70")


@functools.cache
def _window_label(n: int) -> str:
    return _f(_("近%(n)s年研发费用占销售收入比例"), {"n": n})


def _three_years(f: _Figures, y: int, name: str | None) -> tuple[list[Decimal], tuple[str, ...]]:
    """Year-end values of the three years before application: revenue, or net assets."""
    years = [y - 2, y - 1, y]
    if name is not None:
        values, missing = f.many(*[(yr, name) for yr in years])
        return values, missing
    values, missing = f.many(
        *[(yr, n) for yr in years for n in ("total_assets", "total_liabilities")]
    )
    if missing:
        return [], missing
    return [Decimal(values[i]) - Decimal(values[i + 1]) for i in (0, 2, 4)], ()


def _minus_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


# --- 创新型中小企业 (criteria §3.3, 2022; the 2026 fallback for tier 1) ------------------------

INNOV_RD_BANDS = [(5, 20), (3, 15), (2, 10), (1, 5)]
INNOV_GROWTH_BANDS = [(15, 20), (10, 15), (5, 10), (0, 5)]
INNOV_MAIN_SHARE_BANDS = [(70, 20), (60, 15), (55, 10), (50, 5)]


def innovative_debt_points(ratio: Decimal) -> int:
    """资产负债率 points (10 max): < 55% → 10; 55–75% (both included) → 5; > 75% → 0."""
    if ratio < 55:
        return 10
    if ratio <= 75:
        return 5
    return 0


def innovative_sme(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    rules = [_sme_rule(facts), _general_manual()]

    ip_low, ip_high, ip_missing, ip_value = _ip_points(facts, f, y, (20, 15, 10, 5))
    i1 = _scored(
        "I1",
        _("与主导产品相关的有效知识产权"),
        ip_low,
        ip_high,
        20,
        ip_value,
        _("I类高价值20分"),
        ip_missing,
    )
    rd = _ratio_value(f, y, "rd_expense", "revenue")
    _v, m_rd = f.many((y, "rd_expense"), (y, "revenue"))
    i2, i2_low, i2_high = _banded(
        "I2", _("研发费用占营业收入比重"), rd, m_rd, INNOV_RD_BANDS, 20, ">= 5% 20分"
    )
    growth, m_g = _growth(f, "main_business_revenue", y)
    i3, i3_low, i3_high = _banded(
        "I3", _("主营业务收入增长率"), growth, m_g, INNOV_GROWTH_BANDS, 20, ">= 15% 20分"
    )
    debt, m_d = _debt_ratio(f, y)
    if debt is None:
        i4_low, i4_high = ZERO, Decimal(10)
        i4 = _scored("I4", _("资产负债率"), ZERO, Decimal(10), 10, "—", "< 55% 10分", m_d)
    else:
        i4_low = i4_high = Decimal(innovative_debt_points(debt))
        i4 = _scored("I4", _("资产负债率"), i4_low, i4_low, 10, fmt_pct(debt), "< 55% 10分")
    i5 = _scored(
        "I5",
        _("主导产品所属领域（战略性新兴产业分类）"),
        Decimal(5),
        Decimal(10),
        10,
        facts.strategic_industry or "—",
        _("属于10分，其他5分"),
        manual=True,
        note=_("领域归属需人工判断，按5分计"),
    )
    share = _ratio_value(f, y, "main_business_revenue", "revenue")
    _v, m_s = f.many((y, "main_business_revenue"), (y, "revenue"))
    i6, i6_low, i6_high = _banded(
        "I6", _("主营业务收入占营业收入比重"), share, m_s, INNOV_MAIN_SHARE_BANDS, 20, ">= 70% 20分"
    )
    groups = {
        "innovation": (ip_low + i2_low, ip_high + i2_high, 20),
        "growth": (i3_low + i4_low, i3_high + i4_high, 15),
        "special": (Decimal(5) + i6_low, Decimal(10) + i6_high, 15),
    }
    low = sum(g[0] for g in groups.values())
    high = sum(g[1] for g in groups.values())

    def passes_low(total: Decimal) -> bool:
        return total >= 60 and all(g[0] >= g[2] for g in groups.values())

    items = [i1, i2, i3, i4, i5, i6]
    score = _score_verdict(
        "S",
        _("评价得分（≥60分，创新能力≥20、成长性≥15、专业化≥15）"),
        low,
        high,
        lambda s: s >= 60,
        ">= 60",
        items,
        counts=False,
    )
    if score.status != Status.FAIL:
        if passes_low(low):
            score = score._replace(status=Status.PASS)
        elif any(g[1] < g[2] for g in groups.values()):
            score = score._replace(status=Status.FAIL, missing=())
        elif score.status == Status.PASS:
            missing = tuple(m for r in items for m in r.missing)
            status = Status.UNKNOWN if missing else Status.MANUAL
            score = score._replace(status=status, missing=missing)
    equity, m_eq = _sum(f, "equity_financing", range(y - 2, y + 1))
    equity_rule = (
        _unknown("D4", _("近三年新增股权融资 >= 500万元"), ">= 500万元", m_eq, counts=False)
        if m_eq
        else _check(
            "D4",
            _("近三年新增股权融资 >= 500万元"),
            equity >= 500 * WAN,
            fmt_wan(equity),
            ">= 500万元",
            counts=False,
        )
    )
    direct = [
        _award(facts, "provincial", 99, 3),
        _alt(_title(facts, ["hitech"], "D2", _("持有有效高新技术企业等称号"), counts=False)),
        _institution(facts, "provincial", "D3", _("拥有省部级以上研发机构")),
        equity_rule,
    ]
    rules += [*items, score, *direct]
    rules.append(_any_of("P", _("评价得分达标或符合直接认定条件"), [score, *direct]))
    return rules, (low, high, "≥ 60")


# --- 专精特新中小企业 (criteria §3.4, 2022) -----------------------------------------------------


def specialised_rd_points(rd_expense: Decimal, rd_ratio: Decimal | None) -> int:
    """研发投入 points (10 max): the better of the amount band (万元) and the ratio band (%)."""
    amount = band(rd_expense / WAN, [(500, 10), (400, 8), (300, 6), (200, 4), (100, 2)])
    ratio = band(rd_ratio, [(10, 10), (8, 8), (6, 6), (4, 4), (3, 2)]) if rd_ratio else ZERO
    return int(max(amount, ratio))


def specialised_debt_points(ratio: Decimal) -> int:
    """资产负债率 points (5 max): < 50% → 5; 50–60% → 3; 60–70% (70 included) → 1; > 70% → 0."""
    if ratio < 50:
        return 5
    if ratio < 60:
        return 3
    if ratio <= 70:
        return 1
    return 0


def _two_year_growth(f: _Figures, name: str, y: int) -> tuple[Decimal | None, tuple[str, ...]]:
    """Average of the last two years' growth rates (percent)."""
    g1, m1 = _growth(f, name, y)
    g0, m0 = _growth(f, name, y - 1)
    if m1 or m0:
        return None, m1 + m0
    return (g1 + g0) / 2, ()


def specialised_sme(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    rules = [_sme_rule(facts), _general_manual()]
    if "innovative_sme" in facts.titles:
        rules.append(_check("T", _("持有创新型中小企业称号"), True, "innovative_sme", ""))
    else:
        rules.append(
            _manual(
                "T",
                _("持有创新型中小企业称号"),
                note=_("2022年办法是否要求尚不明确，多数省份要求"),
                value=_("未持有"),
            )
        )
    rules.append(_niche_rule(facts, "Z1", 2))
    rules.append(_amount_rule(f, "Z2a", _("上年研发费用"), y, "rd_expense", ">=", 100))
    rules.append(
        _ratio_rule(f, "Z2b", _("上年研发费用占营业收入比重"), y, "rd_expense", "revenue", ">=", 3)
    )
    revenue_rule = _alt(_amount_rule(f, "Z3a", _("上年营业收入"), y, "revenue", ">=", 1000))
    equity2, m_eq2 = _sum(f, "equity_financing", (y - 1, y))
    equity_rule = (
        _unknown("Z3b", _("近两年新增股权融资"), ">= 2000万元", m_eq2, counts=False)
        if m_eq2
        else _check(
            "Z3b",
            _("近两年新增股权融资"),
            equity2 >= 2000 * WAN,
            fmt_wan(equity2),
            ">= 2000万元",
            counts=False,
        )
    )
    rules += [
        revenue_rule,
        equity_rule,
        _any_of("Z3", _("营业收入达1000万元或股权融资达2000万元"), [revenue_rule, equity_rule]),
    ]

    items, low, high = _specialised_score_items(facts, f, y)
    score = _score_verdict(
        "S",
        _("专精特新评价得分（≥60分）"),
        low,
        high,
        lambda s: s >= 60,
        ">= 60",
        items,
        counts=False,
    )
    rd2, m_rd2 = _sum(f, "rd_expense", (y - 1, y))
    direct = [
        _award(facts, "provincial", 3, 3),
        _award(facts, "national", 5, 3),
        _unknown("Z4c", _("近两年研发费用年均 >= 1000万元"), ">= 1000万元", m_rd2, counts=False)
        if m_rd2
        else _check(
            "Z4c",
            _("近两年研发费用年均 >= 1000万元"),
            rd2 / 2 >= 1000 * WAN,
            fmt_wan(rd2 / 2),
            ">= 1000万元",
            counts=False,
        ),
        _unknown("Z4d", _("近两年新增股权融资 >= 6000万元"), ">= 6000万元", m_eq2, counts=False)
        if m_eq2
        else _check(
            "Z4d",
            _("近两年新增股权融资 >= 6000万元"),
            equity2 >= 6000 * WAN,
            fmt_wan(equity2),
            ">= 6000万元",
            counts=False,
        ),
    ]
    rules += [*items, score, *direct]
    rules.append(
        _any_of(
            "Z4",
            _("评价得分达标或符合直接认定条件"),
            [score, *direct],
            threshold=_("创客中国500强等未采集，需人工核实"),
        )
    )
    return rules, (low, high, "≥ 60")


def _specialised_score_items(
    facts: Facts, f: _Figures, y: int
) -> tuple[list[RuleResult], Decimal, Decimal]:
    items: list[RuleResult] = []
    lows: list[Decimal] = []
    highs: list[Decimal] = []

    def add(item: RuleResult, lo: Decimal, hi: Decimal) -> None:
        items.append(item)
        lows.append(Decimal(lo))
        highs.append(Decimal(hi))

    share = _ratio_value(f, y, "main_business_revenue", "revenue")
    _v, m = f.many((y, "main_business_revenue"), (y, "revenue"))
    add(
        *_banded(
            "P1", _("主营业务收入占比"), share, m, [(80, 5), (70, 3), (60, 1)], 5, ">= 80% 5分"
        )
    )
    growth, m = _two_year_growth(f, "main_business_revenue", y)
    add(
        *_banded(
            "P2",
            _("近两年主营业务收入平均增长率"),
            growth,
            m,
            [(10, 10), (8, 8), (6, 6), (4, 4), (0, 2)],
            10,
            ">= 10% 10分",
        )
    )
    years = _niche_years(facts)
    if years is None:
        add(
            _scored(
                "P3",
                _("从事细分市场年限"),
                ZERO,
                Decimal(5),
                5,
                "—",
                _("每满2年1分"),
                (_("深耕细分市场起始年度"),),
            ),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(min(5, years // 2))
        add(
            _scored("P3", _("从事细分市场年限"), pts, pts, 5, f"{years}年", _("每满2年1分")),
            pts,
            pts,
        )
    add(
        _scored("P4", _("主导产品所属领域"), ZERO, Decimal(5), 5, "—", "", manual=True),
        ZERO,
        Decimal(5),
    )
    if facts.digital_level is None:
        add(
            _scored(
                "F1",
                _("数字化水平"),
                ZERO,
                Decimal(5),
                5,
                "—",
                _("三级及以上5分"),
                (_("数字化水平等级"),),
            ),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(5 if facts.digital_level >= 3 else 3 if facts.digital_level == 2 else 0)
        add(
            _scored(
                "F1", _("数字化水平"), pts, pts, 5, f"{facts.digital_level}级", _("三级及以上5分")
            ),
            pts,
            pts,
        )
    add(
        _scored(
            "F2", _("质量管理（获奖、认证、品牌、标准）"), ZERO, Decimal(5), 5, "—", "", manual=True
        ),
        ZERO,
        Decimal(5),
    )
    margin = _ratio_value(f, y, "net_profit", "revenue")
    _v, m = f.many((y, "net_profit"), (y, "revenue"))
    add(
        *_banded(
            "F3",
            _("净利润率"),
            margin,
            m,
            [(10, 10), (8, 8), (6, 6), (4, 4), (2, 2)],
            10,
            ">= 10% 10分",
        )
    )
    debt, m = _debt_ratio(f, y)
    if debt is None:
        add(
            _scored("F4", _("资产负债率"), ZERO, Decimal(5), 5, "—", "< 50% 5分", m),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(specialised_debt_points(debt))
        add(_scored("F4", _("资产负债率"), pts, pts, 5, fmt_pct(debt), "< 50% 5分"), pts, pts)
    add(
        _scored("T1", _("特色化指标（省级设定）"), ZERO, Decimal(15), 15, "—", "", manual=True),
        ZERO,
        Decimal(15),
    )
    lo, hi, m, value = _ip_points(facts, f, y, (10, 8, 6, 2))
    add(
        _scored("N1", _("与主导产品相关的知识产权"), lo, hi, 10, value, _("I类高价值10分"), m),
        lo,
        hi,
    )
    (rd, rev), m = f.many((y, "rd_expense"), (y, "revenue"))
    if m:
        add(_scored("N2", _("上年研发投入"), ZERO, Decimal(10), 10, "—", "", m), ZERO, Decimal(10))
    else:
        ratio = pct(rd, rev)
        pts = Decimal(specialised_rd_points(Decimal(rd), ratio))
        add(
            _scored(
                "N2",
                _("上年研发投入"),
                pts,
                pts,
                10,
                f"{fmt_wan(rd)}，{fmt_pct(ratio)}",
                _(">= 500万元或10%得10分"),
            ),
            pts,
            pts,
        )
    staff = _ratio_value(f, y, "rd_staff", "employees")
    _v, m = f.many((y, "rd_staff"), (y, "employees"))
    add(*_banded("N3", _("研发人员占比"), staff, m, [(20, 5), (10, 3), (5, 1)], 5, ">= 20% 5分"))
    if facts.rd_institution_level is None:
        add(
            _scored("N4", _("研发机构级别"), ZERO, Decimal(10), 10, "—", "", (_("研发机构级别"),)),
            ZERO,
            Decimal(10),
        )
    else:
        pts = Decimal(
            {"national": 10, "provincial": 8, "municipal": 4, "county": 2}.get(
                facts.rd_institution_level, 0
            )
        )
        add(
            _scored(
                "N4", _("研发机构级别"), pts, pts, 10, facts.rd_institution_level, _("国家级10分")
            ),
            pts,
            pts,
        )
    return items, sum(lows, ZERO), sum(highs, ZERO)


# --- 专精特新"小巨人" (criteria §3.5, 2022) ----------------------------------------------------


def little_giant_rd_rule(revenue: Decimal) -> int | None:
    """Required R&D ratio (percent) by revenue: ≥1亿 → 3, 5000万–1亿 → 6, below → None."""
    if revenue >= 10000 * WAN:
        return 3
    if revenue >= 5000 * WAN:
        return 6
    return None


def little_giant(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(facts, ["specialised_sme"], "pre", _("持有专精特新中小企业称号"), counts=True),
        _niche_rule(facts, "Z1", 3),
        _ratio_rule(
            f,
            "Z2",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            70,
        ),
    ]
    growth, m = _two_year_growth(f, "main_business_revenue", y)
    rules.append(
        _unknown("Z3", _("近两年主营业务收入平均增长率"), ">= 5%", m)
        if m
        else _check("Z3", _("近两年主营业务收入平均增长率"), growth >= 5, fmt_pct(growth), ">= 5%")
    )
    rules.append(_manual("J1", _("至少1项核心业务采用信息系统支撑")))
    rules.append(_manual("J2", _("取得管理体系认证或发达国家产品认证")))
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("J3", _("资产负债率"), "<= 70%", m)
        if m
        else _check("J3", _("资产负债率"), debt <= 70, fmt_pct(debt), "<= 70%")
    )
    rules.append(_manual("T1", _("主导产品细分市场占有率 >= 10%")))
    rules.append(_manual("T2", _("拥有直接面向市场并具有竞争优势的自主品牌")))

    general: list[RuleResult] = []
    for year in (y - 1, y):
        (rev, rd), m = f.many((year, "revenue"), (year, "rd_expense"))
        label = _year_label(_("%(y)s年研发费用占营业收入比重"), year)
        if m:
            general.append(_unknown(f"X1_{year}", label, _("按营业收入分档"), m, counts=False))
            continue
        limit = little_giant_rd_rule(Decimal(rev))
        if limit is not None:
            value = pct(rd, rev)
            general.append(
                _check(
                    f"X1_{year}",
                    label,
                    value >= limit,
                    fmt_pct(value),
                    f">= {limit}%",
                    counts=False,
                )
            )
            continue
        # Below 5000万: equity ≥ 8000万 in 2 years, R&D ≥ 3000万, R&D staff ≥ 50%.
        equity, m_eq = _sum(f, "equity_financing", (y - 1, y))
        rd2, m_rd = _sum(f, "rd_expense", (y - 1, y))
        staff = _ratio_value(f, y, "rd_staff", "employees")
        _v, m_st = f.many((y, "rd_staff"), (y, "employees"))
        if m_eq or m_rd or m_st:
            general.append(_unknown(f"X1_{year}", label, "", m_eq + m_rd + m_st, counts=False))
            continue
        ok = equity >= 8000 * WAN and rd2 >= 3000 * WAN and staff >= 50
        general.append(
            _check(
                f"X1_{year}",
                _("营业收入不足5000万元时：股权融资、研发费用、研发人员"),
                ok,
                f"{fmt_wan(equity)}，{fmt_wan(rd2)}，{fmt_pct(staff)}",
                _(">= 8000万元，>= 3000万元，>= 50%"),
                counts=False,
            )
        )
    institution = _institution(facts, "county", "X2", _("自建或与高校、科研机构联合建立研发机构"))
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("X3", _("与主导产品相关的I类知识产权"), ">= 2件", m, counts=False)
        if m
        else _check(
            "X3",
            _("与主导产品相关的I类知识产权"),
            c1 >= 2,
            f"{c1}件",
            ">= 2件",
            note=_("须已实际应用并产生收入，需人工核实"),
            counts=False,
        )
    )
    general += [institution, ip]
    general_all = _alt(_all_of("X", _("创新能力（研发投入、研发机构、知识产权）"), general))
    direct = _award(facts, "national", 3, 3)
    rules += [*general, general_all, direct]
    rules.append(_any_of("X0", _("创新能力条件或直通条件"), [general_all, direct]))
    rules.append(_manual("L1", _("位于产业链关键环节（补短板、锻长板、填空白）")))
    rules.append(_manual("L2", _("主导产品属于工业“六基”、制造强国或网络强国重点领域")))
    return rules, None


# --- 2026 measures (criteria §3.6) ------------------------------------------------------------


def _each_year_rd(f: _Figures, y: int) -> list[RuleResult]:
    out = []
    for year in (y - 1, y):
        out.append(
            _amount_rule(
                f,
                f"N3a_{year}",
                _year_label(_("%(y)s年研发费用"), year),
                year,
                "rd_expense",
                ">=",
                100,
            )
        )
        out.append(
            _ratio_rule(
                f,
                f"N3b_{year}",
                _year_label(_("%(y)s年研发费用占营业收入比重"), year),
                year,
                "rd_expense",
                "revenue",
                ">=",
                3,
            )
        )
    return out


def _development_score(facts: Facts, code: str, minimum: int) -> RuleResult:
    label = _("专精特新发展评价得分")
    if facts.development_score is None or (
        facts.development_score_year is not None and facts.development_score_year < facts.prior_year
    ):
        return _unknown(code, label, f">= {minimum}", (_("当年专精特新发展评价得分"),))
    return _check(
        code,
        label,
        facts.development_score >= minimum,
        str(facts.development_score),
        f">= {minimum}",
        note=_("平台评价得分，由企业填报并提供佐证"),
    )


def specialised_sme_2026(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(
            facts,
            ["tech_innovative_sme", "innovative_sme"],
            "N1a",
            _("持有科技和创新型中小企业称号（含有效期内的创新型中小企业）"),
            counts=True,
        ),
        _niche_rule(facts, "N1b", 3),
    ]
    revenue_rule = _alt(_amount_rule(f, "N2a1", _("上年营业收入"), y, "revenue", ">=", 1500))
    equity, m_eq = _sum(f, "equity_financing", (y - 1, y))
    equity_rule = (
        _unknown("N2a2", _("近两年新增实缴股权融资"), ">= 2000万元", m_eq, counts=False)
        if m_eq
        else _check(
            "N2a2",
            _("近两年新增实缴股权融资"),
            equity >= 2000 * WAN,
            fmt_wan(equity),
            ">= 2000万元",
            counts=False,
        )
    )
    rules += [
        revenue_rule,
        equity_rule,
        _any_of("N2a", _("营业收入达1500万元或股权融资达2000万元"), [revenue_rule, equity_rule]),
    ]
    rules.append(
        _ratio_rule(
            f,
            "N2b",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            80,
        )
    )
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("N2c", _("资产负债率"), "<= 80%", m)
        if m
        else _check("N2c", _("资产负债率"), debt <= 80, fmt_pct(debt), "<= 80%")
    )
    rules += _each_year_rd(f, y)
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("N4a", _("与主导产品相关的I类知识产权"), ">= 1件", m, counts=False)
        if m
        else _check(
            "N4a",
            _("与主导产品相关的I类知识产权"),
            c1 >= 1,
            f"{c1}件",
            ">= 1件",
            note=_("须已应用并产生收入，外购不计"),
            counts=False,
        )
    )
    waivers = [
        _award(facts, "provincial", 3, 3),
        _institution(facts, "provincial", "N4c", _("拥有省部级以上研发机构")),
    ]
    rules += [
        ip,
        *waivers,
        _any_of("N4", _("知识产权条件（或获奖、研发机构豁免）"), [ip, *waivers]),
    ]
    rules.append(_manual("N5", _("主导产品在国内外细分市场中排名靠前")))
    rules.append(_development_score(facts, "N6", 50))
    return rules, None


def little_giant_2026(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(facts, ["specialised_sme"], "G1a", _("持有专精特新中小企业称号"), counts=True),
        _niche_rule(facts, "G1b", 3),
        _amount_rule(f, "G2a", _("上年营业收入"), y, "revenue", ">=", 5000),
        _ratio_rule(
            f,
            "G2b",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            90,
        ),
    ]
    (now, before), m = f.many((y, "revenue"), (y - 2, "revenue"))
    label = _("近两年营业收入复合增长率")
    if m:
        rules.append(_unknown("G2c", label, ">= 5%", m))
    elif before == 0:
        rules.append(
            _unknown("G2c", label, ">= 5%", (_missing_name(y - 2, "revenue") + "（为0）",))
        )
    else:
        ok = Decimal(now) >= Decimal(before) * Decimal("1.1025")  # (1 + 5%)²
        cagr = ((Decimal(now) / Decimal(before)).sqrt() - 1) * HUNDRED
        rules.append(_check("G2c", label, ok, fmt_pct(cagr), ">= 5%"))
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("G2d", _("资产负债率"), "<= 75%", m)
        if m
        else _check("G2d", _("资产负债率"), debt <= 75, fmt_pct(debt), "<= 75%")
    )
    rd2, m = _sum(f, "rd_expense", (y - 1, y))
    rules.append(
        _unknown("G3a", _("近两年研发费用总额"), ">= 1200万元", m)
        if m
        else _check("G3a", _("近两年研发费用总额"), rd2 >= 1200 * WAN, fmt_wan(rd2), ">= 1200万元")
    )
    for year in (y - 1, y):
        rules.append(
            _ratio_rule(
                f,
                f"G3b_{year}",
                _year_label(_("%(y)s年研发费用占营业收入比重"), year),
                year,
                "rd_expense",
                "revenue",
                ">=",
                3,
            )
        )
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("G4a", _("与主导产品相关的I类知识产权"), ">= 4件", m, counts=False)
        if m
        else _check(
            "G4a",
            _("与主导产品相关的I类知识产权"),
            c1 >= 4,
            f"{c1}件",
            ">= 4件",
            note=_("须已应用并产生收入"),
            counts=False,
        )
    )
    award = _award(facts, "national", 3, 3)
    rules += [ip, award, _any_of("G4", _("知识产权条件（或国家级获奖豁免）"), [ip, award])]
    rules.append(_manual("G5", _("细分市场占有率 >= 10% 或国内前三，拥有知名品牌")))
    rules.append(_manual("G6", _("主导产品属于关键基础领域，位于产业链关键环节")))
    rules.append(_development_score(facts, "G7", 60))
    return rules, None


def tech_innovative_sme_2026(facts: Facts) -> tuple[list, tuple | None]:
    """科技和创新型中小企业: its own standard is not yet published (criteria §3.6, §8.2), so both
    the 科小 scoring and the 创新型 scoring are run and either suffices. When the 科小 scoring
    passes, the 创新型 scoring cannot change the verdict: it is then worked out only if the
    rules are shown (ranking 10,000 enterprises needs the verdict alone)."""
    tech_rules, _t = tech_sme(facts)
    tech_verdict = _outcome_rule("TS", _TS_LABEL, tech_rules)

    def innovative() -> tuple[list[RuleResult], RuleResult]:
        innov_rules, _i = innovative_sme(facts)
        return innov_rules, _outcome_rule("IS", _IS_LABEL, innov_rules)

    if tech_verdict.status != Status.PASS:
        innov_rules, innov_verdict = innovative()
        return [
            PrefixedRules("科小·", tuple(tech_rules)),
            PrefixedRules("创新型·", tuple(innov_rules)),
            tech_verdict,
            innov_verdict,
            _any_of("TI", _TI_LABEL, [tech_verdict, innov_verdict]),
        ], None

    done: list = []

    def once() -> tuple[list[RuleResult], RuleResult]:
        if not done:
            done.append(innovative())
        return done[0]

    # Passed by the 科小 scoring: the composite passes whatever the 创新型 verdict; its value
    # names the passed scorings, so it is completed from that verdict when shown.
    def composite_value() -> str:
        return str(_any_of("TI", _TI_LABEL, [tech_verdict, once()[1]]).value)

    return [
        PrefixedRules("科小·", tuple(tech_rules)),
        DeferredRules(lambda: [PrefixedRules("创新型·", tuple(once()[0]))]),
        tech_verdict,
        DeferredRules(lambda: [once()[1]]),
        RuleResult("TI", _TI_LABEL, Status.PASS, value=_lazy_call(composite_value)),
    ], None


# A string worked out when first shown (one proxy class for the module, not one per call).
_lazy_call = lazy(lambda make: make(), str)
_TS_LABEL = _("按科技型中小企业评价")
_IS_LABEL = _("按创新型中小企业评价（63号标准过渡适用）")
_TI_LABEL = _("两套评价之一通过（新标准发布前）")


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


def _outcome_rule(code: str, label: str, rules: list[RuleResult]) -> RuleResult:
    outcome = decide(rules)
    status = {
        Outcome.ELIGIBLE: Status.PASS,
        Outcome.NOT_ELIGIBLE: Status.FAIL,
        Outcome.CANNOT_TELL: Status.UNKNOWN,
        Outcome.NEEDS_REVIEW: Status.MANUAL,
    }[outcome]
    missing: list = []
    for r in rules:
        if r.counts and r.missing:
            missing.extend(r.missing)
    return RuleResult(
        code, label, status, value=outcome.label, missing=tuple(missing), counts=False
    )


def strategic_emerging(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    return [
        _manual(
            "SE",
            _("主营业务属于《战略性新兴产业分类（2018）》"),
            note=_("企业库登记的类别仅供参考，入库以主管部门审核为准"),
            value=facts.strategic_industry or _("未登记"),
        )
    ], None


# --- Rule sets and the engine ----------------------------------------------------------------

RULE_SET_2022 = RuleSet(
    version="2022",
    name=str(_("2022年梯度培育暂行办法（工信部企业〔2022〕63号）及科小、高企现行办法")),
    effective_from=None,
    effective_to=CHANGE_2026 - datetime.timedelta(days=1),
    evaluators={
        "tech_sme": tech_sme,
        "hitech": hitech,
        "innovative_sme": innovative_sme,
        "specialised_sme": specialised_sme,
        "little_giant": little_giant,
        "strategic_emerging": strategic_emerging,
    },
)
RULE_SET_2026 = RuleSet(
    version="2026",
    name=str(_("2026年优质中小企业梯度培育管理办法（工信部企业〔2026〕2号）及科小、高企现行办法")),
    effective_from=CHANGE_2026,
    effective_to=None,
    evaluators={
        "tech_sme": tech_sme,
        "tech_innovative_sme": tech_innovative_sme_2026,
        "hitech": hitech,
        "innovative_sme": innovative_sme,  # 63号 criteria until the new tier-1 standard is out
        "specialised_sme": specialised_sme_2026,
        "little_giant": little_giant_2026,
        "strategic_emerging": strategic_emerging,
    },
)
RULE_SETS = (RULE_SET_2022, RULE_SET_2026)


def rule_set_for(day: datetime.date) -> RuleSet:
    """The rule set in force on `day`."""
    for rule_set in RULE_SETS:
        if rule_set.applies_on(day):
            return rule_set
    raise LookupError(day)


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


def assess(family: str, facts: Facts) -> Assessment | None:
    """Pre-screen `facts` for the kind whose rule family is `family`, with the rules in force
    on the assessment date; None when that rule set has no rules for the family."""
    evaluate = evaluator_for(family, facts.assessment_date)
    return None if evaluate is None else evaluate(facts)


def evaluator_for(family: str, day: datetime.date) -> Callable[[Facts], Assessment] | None:
    """`assess` for one family and one assessment day, the rule set looked up once: for
    pre-screening many enterprises (every `Facts` passed must be assessed on `day`)."""
    rule_set = rule_set_for(day)
    evaluator = rule_set.evaluators.get(family)
    if evaluator is None:
        return None

    def evaluate(facts: Facts) -> Assessment:
        rules, score = evaluator(facts)
        low, high, pass_score = score if score else (None, None, "")
        return Assessment(
            family=family,
            rule_set=rule_set,
            assessed_on=facts.assessment_date,
            outcome=decide(rules),
            parts=tuple(rules),
            score=low,
            score_max=high,
            pass_score=pass_score,
        )

    return evaluate
