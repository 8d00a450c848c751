"""创新型中小企业 (innovative SME) evaluation (criteria §3.3: the 2022 measures), also the 2026
rule set's fallback for the entry tier until its own standard is published."""

from __future__ import annotations

from decimal import Decimal

from .facts import WAN, ZERO, Facts
from .figures import _debt_ratio, _Figures, _growth, _ratio_value, _sum, fmt_pct, fmt_wan
from .results import RuleResult, Status
from .rules import (
    _alt,
    _any_of,
    _award,
    _banded,
    _check,
    _general_manual,
    _institution,
    _ip_points,
    _score_verdict,
    _scored,
    _sme_rule,
    _title,
    _unknown,
)
from .text import _

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
