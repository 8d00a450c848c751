"""高新技术企业 (high-tech enterprise) recognition (criteria §2: 国科发火〔2016〕32号), the same in
both rule sets."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from .facts import HUNDRED, WAN, ZERO, Facts
from .figures import _Figures, _sum, fmt_pct, fmt_wan, pct
from .results import RuleResult, Status
from .rules import _check, _manual, _ratio_rule, _score_verdict, _scored, _unknown
from .text import _, _f


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
