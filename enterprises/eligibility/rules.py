"""The building blocks every rule family shares: a checked, unknown or manual rule, ratio and
amount thresholds, either/or and all-of composites, score items and score verdicts, and the
common conditions (SME size, niche years, awards, R&D institutions, titles held)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.functional import Promise

from .facts import LEVEL_RANK, WAN, ZERO, Facts
from .figures import _Figures, _missing_name, band, fmt_pct, fmt_wan, pct
from .results import Outcome, RuleResult, Status, _new_rule, decide
from .text import LEVEL_LABELS, SIZE_LABELS, _, _f, _lazy_join, code_label, lazy_titles


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
    value = _f(
        _("%(y)s年%(level)s，排名第%(rank)s"),
        {
            "y": facts.award_year,
            "level": code_label(LEVEL_LABELS, facts.award_level),
            "rank": facts.award_rank,
        },
    )
    return _check(code, label, ok, value, "", counts=False)


def _institution(facts: Facts, min_level: str, code: str, label: str) -> RuleResult:
    if facts.rd_institution_level is None:
        return _unknown(code, label, "", (_("研发机构级别"),), counts=False)
    ok = LEVEL_RANK.get(facts.rd_institution_level, 0) >= LEVEL_RANK[min_level]
    level = code_label(LEVEL_LABELS, facts.rd_institution_level)
    threshold = _f(_("%(level)s及以上"), {"level": code_label(LEVEL_LABELS, min_level)})
    return _check(code, label, ok, level, threshold, counts=False)


_NOT_HELD = _("未持有")


def _title(facts: Facts, codes: Iterable[str], code: str, label: str, counts: bool) -> RuleResult:
    titles = facts.titles
    held = [c for c in codes if c in titles]
    return _check(
        code, label, bool(held), lazy_titles(tuple(held)) if held else _NOT_HELD, "", counts=counts
    )


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
    size = code_label(SIZE_LABELS, facts.size_class)
    return _check("sme", label, facts.size_class != "large", size, _("非大型企业"))


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
